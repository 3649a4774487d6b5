from __future__ import annotations

from tests.accounts.conftest import clerk, make_admin, town

__all__ = ["clerk", "make_admin", "town"]
