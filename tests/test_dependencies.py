"""G30: the dependencies are pinned with their hashes (``requirements/``, written by
``make lock``) and audited over the lock (``scripts/audit-dependencies``): a known
vulnerability fails, and where the advisory service cannot be reached the audit says it was
skipped — never a pass."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DEV_LOCK = ROOT / "requirements" / "dev.txt"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([a-z0-9,._-]+)\])?==(\S+) \\$")
HASH = re.compile(r"^ +--hash=sha256:[0-9a-f]{64}( \\)?$")


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """Name → (version, number of hashes) of each requirement of a pip-compile lock; a line
    that is neither a pin, a hash nor a comment fails."""
    return {name: (version, hashes) for name, (version, _, hashes) in pinned(lock).items()}


def pinned(lock: Path) -> dict[str, tuple[str, frozenset[str], int]]:
    """Name → (version, extras, number of hashes) of each requirement of a pip-compile lock."""
    out: dict[str, tuple[str, frozenset[str], int]] = {}
    current = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pin = PIN.match(line)
        if pin:
            current = str(canonicalize_name(pin.group(1)))
            extras = frozenset((pin.group(2) or "").split(",")) - {""}
            out[current] = (pin.group(3), extras, 0)
            continue
        assert current, f"{lock.name}: a hash before any pin: {line!r}"
        assert HASH.match(line), f"{lock.name}: not a pin or a hash: {line!r}"
        version, extras, hashes = out[current]
        out[current] = (version, extras, hashes + 1)
    return out


def pyproject() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        "runtime": [Requirement(r) for r in data["project"]["dependencies"]],
        "dev": [Requirement(r) for r in data["project"]["optional-dependencies"]["dev"]],
        "build": [Requirement(r) for r in data["build-system"]["requires"]],
    }


def test_every_requirement_is_pinned_with_its_hashes_in_the_locks() -> None:
    dev, runtime = pins(DEV_LOCK), pins(RUNTIME_LOCK)
    wanted = pyproject()
    unhashed = [f"{lock}: {name}" for lock, found in (("dev", dev), ("runtime", runtime))
                for name, (_, hashes) in found.items() if hashes == 0]  # fmt: skip
    assert unhashed == []
    missing = []
    for lock, groups in (("dev", ("runtime", "dev", "build")), ("runtime", ("runtime", "build"))):
        found = dev if lock == "dev" else runtime
        for group in groups:
            for requirement in wanted[group]:
                name = str(canonicalize_name(requirement.name))
                if name not in found or found[name][0] not in requirement.specifier:
                    missing.append(f"{lock}: {requirement}")
    assert missing == [], "make lock (pyproject.toml changed since the lock was written)"
    # The deployment's lock is the development lock's runtime part, at the same versions.
    assert {name: dev[name][0] for name in runtime} == {n: v for n, (v, _) in runtime.items()}
    assert {"django", "setuptools", "pip-audit", "pip-tools"} <= dev.keys()
    assert "pytest" not in runtime
    assert "django" in runtime


def test_the_locks_keep_the_extras_they_install() -> None:
    """A dependency asked for with extras (``psycopg[binary]``, pip-audit's
    ``CacheControl[filecache]``) is pinned with them: pip in hash mode refuses an extra's
    requirement that no pin of the lock carries, once the index offers a newer release (CI
    failed so on ``CacheControl[filecache]>=0.13.0`` with the extras stripped)."""
    dev, runtime = pinned(DEV_LOCK), pinned(RUNTIME_LOCK)
    assert dev["cachecontrol"][1] == {"filecache"}
    assert dev["psycopg"][1] == runtime["psycopg"][1] == {"binary"}
    for lock, groups in ((dev, ("runtime", "dev", "build")), (runtime, ("runtime", "build"))):
        for group in groups:
            for requirement in pyproject()[group]:
                name = str(canonicalize_name(requirement.name))
                assert set(requirement.extras) <= lock[name][1], f"{requirement} ({group})"


STAND_IN = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$CALLS"
case "$MODE" in
  clean) echo "No known vulnerabilities found" ;;
  found) echo "Found 1 known vulnerability in 1 package"
         [[ "$*" == *--strict* ]] && exit 1 ;;
  away) echo "django Dependency not found on PyPI and could not be audited: django (5.2.20)" ;;
esac
exit 0
"""


def audit(tmp_path: Path, mode: str, *args: str, **env: str) -> tuple[int, str, list[str]]:
    stand_in = tmp_path / "pip-audit"
    stand_in.write_text(STAND_IN, encoding="utf-8")
    stand_in.chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()
    result = subprocess.run(
        [str(ROOT / "scripts" / "audit-dependencies"), *args],
        env={**os.environ, "PIP_AUDIT": str(stand_in), "MODE": mode, "CALLS": str(calls), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr, calls.read_text().splitlines()


def test_the_audit_runs_strict_over_the_hashed_lock(tmp_path: Path) -> None:
    status, output, calls = audit(tmp_path, "clean")
    assert status == 0
    assert "No known vulnerabilities found" in output
    assert calls[1] == (
        "--strict --require-hashes --disable-pip --progress-spinner off -r requirements/dev.txt"
    )


def test_a_known_vulnerability_fails(tmp_path: Path) -> None:
    status, output, calls = audit(tmp_path, "found")
    assert status == 1
    assert "Found 1 known vulnerability" in output
    assert [call.split()[0] for call in calls] == ["--no-deps", "--strict"]


@pytest.mark.parametrize(("required", "status"), [("0", 0), ("1", 3)])
def test_an_unreachable_service_is_reported_as_skipped_not_passed(
    tmp_path: Path, required: str, status: int
) -> None:
    code, output, calls = audit(tmp_path, "away", YANZHEN_AUDIT_REQUIRED=required)
    assert code == status
    assert "pip-audit SKIPPED (not a pass)" in output
    count = len(pins(DEV_LOCK))
    assert f"{count} pinned packages of requirements/dev.txt were not audited" in output
    assert "No known vulnerabilities" not in output
    assert len(calls) == 1  # the probe only: the audit itself was not run


def test_a_lock_without_hashes_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text("django==5.2.20\n", encoding="utf-8")
    status, output, calls = audit(tmp_path, "clean", str(lock))
    assert status == 2
    assert f"{lock} has a requirement without its hashes" in output
    assert calls == []
