"""A throwaway PostgreSQL server on loopback, for tests and benchmarks (not for production).

``TempPostgres.start()`` runs ``initdb`` into a new temporary directory and ``pg_ctl start``
on 127.0.0.1 with a free port (as the ``postgres`` system user when run as root, since
``initdb`` refuses root), with trust authentication on loopback only; ``stop()`` removes
it. It needs the PostgreSQL server binaries (Debian: ``apt-get install postgresql``);
``find_bindir()`` says where they are, or None.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import StoreError

# Where Debian and most Linux packages put the server binaries (initdb is not on PATH).
_BINDIR_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin")


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is absent."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for pattern in _BINDIR_GLOBS:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
                return Path(candidate)
    return None


def create_database(server_url: str, prefix: str = "factledger") -> str:
    """A new empty database on the server of ``server_url`` (whose user may create
    databases); returns the new database's URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name we made: no user input
    return urlunsplit(urlsplit(server_url)._replace(path="/" + name))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TempPostgres:
    """A running throwaway cluster; ``url(db)`` is the URL of one of its databases."""

    bindir: Path
    datadir: Path
    port: int
    user: str | None  # the system user the server runs as (None: the current one)

    @classmethod
    def start(cls) -> TempPostgres:
        bindir = find_bindir()
        if bindir is None:
            raise StoreError("PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql")
        user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise StoreError("running as root and there is no 'postgres' user to run initdb as") from exc
            user = "postgres"
        datadir = Path(tempfile.mkdtemp(prefix="factledger-pg-"))
        if user:
            shutil.chown(datadir, user=user)
        server = cls(bindir, datadir, _free_port(), user)
        try:
            server._run("initdb", "-D", str(datadir / "data"), "-U", "postgres", "--auth=trust",
                        "--no-locale", "--encoding=UTF8", "--no-sync")
            options = f"-h 127.0.0.1 -p {server.port} -k {datadir} -c fsync=off -c full_page_writes=off"
            server._run("pg_ctl", "-D", str(datadir / "data"), "-l", str(datadir / "log"), "-w",
                        "-t", "60", "-o", options, "start")
        except StoreError:
            shutil.rmtree(datadir, ignore_errors=True)
            raise
        return server

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=self.datadir)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise StoreError(f"{tool} failed ({done.returncode}): {' '.join(tail)}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "factledger") -> str:
        """A new empty database; returns its URL."""
        return create_database(self.url(), prefix)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.datadir / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.datadir, ignore_errors=True)
