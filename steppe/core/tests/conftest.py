"""Throwaway servers for the production-profile tests: Redis, a PostgreSQL cluster, an S3 server.

Each runs on a free port of 127.0.0.1 and belongs to the test alone (the machine's shared Redis and
PostgreSQL, used by other developers' suites, are never stopped or restarted). A test that needs a
binary this machine lacks is skipped, with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


# --- Redis ----------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    port: int
    binary: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server():
    """A private redis-server (no persistence) that the test may stop and start again."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    server = RedisServer(port=free_port(), binary=binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- PostgreSQL -----------------------------------------------------------------------------------


def _postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresCluster:
    bindir: Path
    datadir: Path
    port: int
    run_as: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(
        self, *args: str, check: bool = True, timeout: float = 60
    ) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 (fixed arguments)
            [*self.run_as, *args], check=check, capture_output=True, text=True, timeout=timeout
        )

    def pg_ctl(self, action: str, *extra: str) -> None:
        self._run(
            str(self.bindir / "pg_ctl"),
            action,
            "-D",
            str(self.datadir),
            "-w",
            "-t",
            "30",
            "-l",
            str(self.datadir.parent / "server.log"),
            "-o",
            f"-p {self.port} -k {self.datadir.parent} -c listen_addresses=127.0.0.1 -c fsync=off",
            *extra,
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        """A fast restart: the server ends every session (rolling back open transactions)."""
        self.pg_ctl("restart", "-m", "fast")

    def createdb(self, name: str) -> None:
        self._run(
            str(self.bindir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            name,
        )


@pytest.fixture(scope="module")
def pg_cluster():
    """A throwaway PostgreSQL cluster (initdb in a temporary folder, own port), never the shared one.

    initdb refuses to run as root: then the cluster belongs to the `postgres` system user, through
    runuser.
    """
    bindir = _postgres_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="steppe-pg-"))
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if not runuser:
            pytest.skip("running as root and runuser is missing: initdb cannot run")
        run_as = [runuser, "-u", "postgres", "--"]
        shutil.chown(root, user="postgres", group="postgres")
    root.chmod(0o700)
    cluster = PostgresCluster(bindir=bindir, datadir=root / "data", port=free_port(), run_as=run_as)
    cluster._run(
        str(bindir / "initdb"),
        "-D",
        str(cluster.datadir),
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--no-sync",
        timeout=120,
    )
    cluster.start()
    try:
        yield cluster
    finally:
        cluster._run(
            str(bindir / "pg_ctl"),
            "stop",
            "-D",
            str(cluster.datadir),
            "-m",
            "immediate",
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


# --- S3 (moto's server mode) ----------------------------------------------------------------------


@dataclass
class S3Server:
    endpoint_url: str
    bucket: str
    access_key: str = "steppe-test"
    secret_key: str = "steppe-test-secret"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def storage_settings(self) -> dict:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint_url,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "region_name": "us-east-1",
                "location": "media",
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": None,
            },
        }


@pytest.fixture
def s3_server():
    """moto's S3 server on 127.0.0.1 (a real HTTP server, not an in-process mock), with a bucket."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed")
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        s3 = S3Server(endpoint_url=f"http://127.0.0.1:{port}", bucket="steppe-media")
        s3.client().create_bucket(Bucket=s3.bucket)
        yield s3
    finally:
        server.stop()
