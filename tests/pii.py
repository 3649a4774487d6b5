"""Test-suite watchers for leaks of personal data and secrets.

* ``PiiScanMiddleware`` (added to the test settings) reads every response given to a user
  who may not see full values now — without ``core.view_personal_data``, or without a second
  person's approval in force (``core.masking.has_active_grant``) — and notes any full ID
  number (valid check digit) or mobile number in it;
* ``SECRETS`` collects the session keys and TOTP secrets the suite creates, so that the last
  test can look for them — and for passwords, ID numbers and mobiles — in the suite's log file.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException

from yanzhen.engines.idcard import check_id_number

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
# Not inside a longer word: a hash or a hex id holds runs of digits too.
MOBILE_PATTERN = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
LEAKS: list[str] = []
SECRETS: set[str] = set()


def personal_data_in(text: str) -> list[str]:
    found = [m for m in ID_PATTERN.findall(text) if check_id_number(m) is None]
    found += MOBILE_PATTERN.findall(text)
    return found


def _text(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        return ""
    content = response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    if kind.startswith(("text/", "application/json")):
        return content.decode("utf-8", "replace")
    return ""


class PiiScanMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from yanzhen.core.masking import has_active_grant

            typed = _typed(request)
            found = [v for v in personal_data_in(_text(response)) if v.upper() not in typed]
            # Whether the user may see full values now is read only when some were found: no
            # query is added to the query counts the tests pin.
            if found and not has_active_grant(user):
                where = f"{request.method} {request.get_full_path()}"
                LEAKS.extend(f"{where} → {value}" for value in found)
        return response


def _typed(request: HttpRequest) -> str:
    """What the user sent with the request (query, form fields, JSON body): a value they typed
    themselves — a search, a form shown again with its errors — is theirs, not data of the
    platform shown to them."""
    parts = [v for _, values in request.GET.lists() for v in values]
    parts += [v for _, values in request.POST.lists() for v in values if isinstance(v, str)]
    if request.content_type == "application/json":
        with contextlib.suppress(RawPostDataException):  # a body read as a stream: none kept
            parts.append(request.body.decode("utf-8", "replace"))
    return "\n".join(parts).upper()


def watch_secrets() -> None:
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_save
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def session(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
        if request.session.session_key:
            SECRETS.add(request.session.session_key)

    def device(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
        import base64

        SECRETS.add(instance.key)
        SECRETS.add(base64.b32encode(bytes.fromhex(instance.key)).decode())

    user_logged_in.connect(session, dispatch_uid="tests-pii-session", weak=False)
    post_save.connect(device, sender=TOTPDevice, dispatch_uid="tests-pii-totp", weak=False)


# Django's request log and the security log name the path a test client asked for ("Not Found:
# /api/v1/x/15818307675", "path=/api/v1/x/15818307675"): the fuzzer's made-up ids are input, not
# data of the platform, so those paths are left out of the scan.
REQUESTED_PATH = re.compile(r"(?:^[A-Z][A-Za-z ]+: |\bpath=)/\S*", re.MULTILINE)


def log_problems(log: str, secrets: Iterable[str]) -> list[str]:
    """What the suite's log must not hold: the given secrets, full ID numbers, mobiles."""
    found = sorted(f"secret {s[:3]}…" for s in set(secrets) if s and s in log)
    found += [f"personal data {v}" for v in personal_data_in(REQUESTED_PATH.sub("", log))]
    return found


def save_watch(path: Path) -> None:
    """Write this process's leaks and secrets for the process that checks (xdist workers)."""
    path.write_text(json.dumps({"leaks": LEAKS, "secrets": sorted(SECRETS)}), encoding="utf-8")


def load_watches(folder: Path) -> tuple[list[str], set[str]]:
    leaks: list[str] = []
    secrets: set[str] = set()
    for path in sorted(folder.glob("watch-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        leaks += data["leaks"]
        secrets.update(data["secrets"])
    return leaks, secrets
