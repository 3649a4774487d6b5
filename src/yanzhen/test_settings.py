"""Settings for the test suite: the same as production, with fast hashing and no disk noise."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("YANZHEN_DATA_DIR", tempfile.mkdtemp(prefix="yanzhen-test-"))

from yanzhen.settings import *  # noqa: F403
from yanzhen.settings import DATA_DIR, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(DATA_DIR) / "media"
STATIC_ROOT = Path(DATA_DIR) / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Fixed keys (as a deployment would set them from outside the data directory): the migrated
# template database of the suite (tests/dbcache.py) is built in another process, and what its
# migrations sign or encrypt (the audit log's genesis checkpoint) must verify here.
TEST_FIELD_KEY = "dGVzdC1maWVsZC1rZXktb2YtdGhlLXN1aXRlLTAwMDA="
TEST_AUDIT_KEY = "dGVzdC1hdWRpdC1rZXktb2YtdGhlLXN1aXRlLTAwMDA="
YANZHEN_FIELD_KEY = TEST_FIELD_KEY
YANZHEN_AUDIT_KEY = TEST_AUDIT_KEY

# WhiteNoise looks files up per request instead of scanning every static file each time a
# middleware chain is built (once per test client: 0.14 s each, minutes over the suite).
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test.sqlite3")}

# Every response to a user without the personal-data permission is scanned for unmasked ID
# numbers and mobiles, and everything the suite logs goes to a file the last test reads.
MIDDLEWARE = [*MIDDLEWARE, "tests.pii.PiiScanMiddleware"]  # noqa: F405
SUITE_LOG = Path(DATA_DIR) / "suite.log"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "file": {"class": "logging.FileHandler", "filename": str(SUITE_LOG), "encoding": "utf-8"}
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
