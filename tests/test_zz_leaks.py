"""Run last (see conftest): nothing the suite showed or logged leaked personal data or a
secret."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tests.accounts.test_passwords import GOOD_PASSWORDS, WEAK
from tests.pii import LEAKS, SECRETS, log_problems
from yanzhen.demo.yongji import DEMO_PASSWORD

KNOWN_SECRETS = [DEMO_PASSWORD, *GOOD_PASSWORDS, *(w for w in WEAK if len(w) >= 8)]


def test_no_response_showed_personal_data_to_a_user_without_the_permission() -> None:
    assert LEAKS == []


def test_no_log_holds_a_password_session_totp_secret_id_number_or_mobile() -> None:
    log = Path(getattr(settings, "SUITE_LOG")).read_text(encoding="utf-8")  # noqa: B009
    assert "security login" in log  # the suite did log in, and it was logged
    assert log_problems(log, [*KNOWN_SECRETS, *SECRETS]) == []
