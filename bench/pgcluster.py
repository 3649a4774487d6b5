"""A throwaway PostgreSQL cluster on loopback, for benchmarks (never for data you keep).

``initdb`` + ``pg_ctl`` from the Debian package (``/usr/lib/postgresql/<v>/bin``) into a
temporary directory, trust authentication on 127.0.0.1 only, a free port. Run as root, the
server runs as the ``postgres`` user (through ``runuser``), since PostgreSQL refuses root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Memory settings for the benchmark machine (2 cores, 24 GB), as a DBA would set them; the
# rest are PostgreSQL's defaults (fsync on, JIT on).
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "shared_buffers": "2GB",
    "effective_cache_size": "12GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "random_page_cost": "1.1",
}


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    root: Path
    port: int
    prefix: list[str]
    bin_dir: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql://yanzhen@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        subprocess.run(  # noqa: S603
            [
                *self.prefix,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Cluster:
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="yanzhen-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(root=root, port=_free_port(), prefix=prefix, bin_dir=bin_dir)

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True)  # noqa: S603

    run(
        str(bin_dir / "initdb"),
        "-D", str(cluster.data),
        "-U", "yanzhen",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )  # fmt: skip
    options = " ".join(f"-c {k}={v}" for k, v in SERVER_SETTINGS.items())
    options += f" -c port={cluster.port} -c unix_socket_directories={root}"
    run(
        str(bin_dir / "pg_ctl"),
        "-D", str(cluster.data),
        "-l", str(root / "server.log"),
        "-o", options,
        "-w",
        "start",
    )  # fmt: skip
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", cluster.port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return cluster
