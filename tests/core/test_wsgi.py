"""The WSGI entry point loads the whole application before the first request and freezes it
out of the garbage collector's reach."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_the_entry_point_freezes_the_loaded_application(tmp_path: object) -> None:
    script = (
        "import gc, json, sys\n"
        "before = gc.get_freeze_count()\n"
        "from yanzhen.wsgi import application\n"
        "print(json.dumps({'before': before, 'after': gc.get_freeze_count(),\n"
        "    'urls': 'yanzhen.urls' in sys.modules, 'views': 'yanzhen.cooperation.views' in sys.modules}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="yanzhen.settings", YANZHEN_DATA_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    found = json.loads(out.stdout)
    assert found["before"] == 0
    assert found["after"] > 100_000  # Django, the apps, the URLconf and every view
    assert (found["urls"], found["views"]) == (True, True)
