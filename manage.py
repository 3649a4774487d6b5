#!/usr/bin/env python
"""Django's command-line utility; the same as the ``yanzhen`` console command."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from yanzhen.__main__ import main

if __name__ == "__main__":
    main()
