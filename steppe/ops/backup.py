"""Back up and restore a whole site: the database, the media files, and a manifest that checks both.

A backup is a folder:

    manifest.json      format, date, database vendor, applied migrations, SHA-256 and size of every
                       file, row count and checksum of every table
    database.sqlite3   SQLite: a copy made with SQLite's online backup API (readers and writers go on)
    database.pgdump    PostgreSQL: `pg_dump --format=custom` (taken from PATH)
    media/…            every file of the default storage, read through Django's storage API (so an
                       S3 bucket is backed up like a folder)

On PostgreSQL the table checksums are computed in a REPEATABLE READ transaction whose snapshot
`pg_dump --snapshot` reuses, so the manifest describes exactly what was dumped; on SQLite they are
computed on the copy. `restore` checks the files against the manifest before touching anything, refuses
a database or storage that holds data unless `--force`, loads the dump, copies the files, and compares
every table and file with the manifest again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils.translation import gettext as _

import dj_database_url

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


# --- Databases ---------------------------------------------------------------------------------


def database_wrapper(url: str | None = None) -> BaseDatabaseWrapper:
    """The site's database, or another one given by URL (same settings otherwise)."""
    if not url:
        return connections["default"]
    parsed = dj_database_url.parse(url)
    base = connections.create_connection("default").settings_dict
    settings_dict = {
        **base,
        **{
            key: parsed.get(key, "")
            for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
        },
    }
    if parsed["ENGINE"] != base["ENGINE"]:
        settings_dict["OPTIONS"] = parsed.get("OPTIONS", {})
    if parsed["ENGINE"] == "django.db.backends.sqlite3":
        settings_dict["OPTIONS"] = (
            {**base.get("OPTIONS", {})} if base["ENGINE"] == parsed["ENGINE"] else {}
        )
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="ops_backup")


def _table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    return [row[0] for row in cursor.fetchall()]


def _normalise(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def table_checksums(cursor, vendor: str) -> dict[str, dict]:
    """Row count and a SHA-256 of the sorted rows of every table (independent of physical order)."""
    quote = '"{}"'.format
    result = {}
    for table in _table_names(cursor, vendor):
        cursor.execute(f"SELECT * FROM {quote(table.replace(chr(34), chr(34) * 2))}")  # noqa: S608
        rows = sorted(repr(tuple(_normalise(v) for v in row)) for row in cursor.fetchall())
        digest = hashlib.sha256()
        for row in rows:
            digest.update(row.encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
        result[table] = {"rows": len(rows), "sha256": digest.hexdigest()}
    return result


def database_checksums(wrapper: BaseDatabaseWrapper) -> dict[str, dict]:
    """`table_checksums` of a database; SQLite is read without Django's type converters, as in
    the backup copy, so that both sides compare the stored values themselves."""
    if wrapper.vendor == "sqlite":
        raw = sqlite3.connect(wrapper.settings_dict["NAME"])
        try:
            return table_checksums(raw.cursor(), "sqlite")
        finally:
            raw.close()
    with wrapper.cursor() as cursor:
        return table_checksums(cursor, wrapper.vendor)


def applied_migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def database_is_empty(wrapper: BaseDatabaseWrapper) -> tuple[bool, int]:
    with wrapper.cursor() as cursor:
        tables = _table_names(cursor, wrapper.vendor)
    return (not tables, len(tables))


def _pg_env(settings_dict: dict) -> dict:
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s was not found on PATH: install the PostgreSQL client (postgresql-client).")
            % {"tool": name}
        )
    return path


# --- Files -------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage, through its own API (listdir works on S3 too)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{folder}/{directory}" if folder else directory)


def storage_checksums(storage: Storage) -> dict[str, dict]:
    result = {}
    for name in storage_files(storage):
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        result[name] = {"size": size, "sha256": digest.hexdigest()}
    return result


# --- Backup ------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    folder: Path
    tables: int
    rows: int
    files: int
    bytes: int


def backup(
    output: Path,
    *,
    database_url: str | None = None,
    storage: Storage | None = None,
    progress: Progress = lambda message: None,
) -> BackupResult:
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(
            _("The folder %(folder)s is not empty: choose a new folder for the backup.")
            % {"folder": output}
        )
    output.mkdir(parents=True, exist_ok=True)
    storage = storage or storages["default"]
    wrapper = database_wrapper(database_url)
    manifest: dict = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "vendor": wrapper.vendor,
        "files": {},
        "media": {},
    }
    progress(_("Database (%(vendor)s)…") % {"vendor": wrapper.vendor})
    if wrapper.vendor == "sqlite":
        dump = _backup_sqlite(wrapper, output, progress)
        copy = sqlite3.connect(dump)
        try:
            cursor = copy.cursor()
            manifest["tables"] = table_checksums(cursor, "sqlite")
            manifest["migrations"] = applied_migrations(cursor)
        finally:
            copy.close()
    elif wrapper.vendor == "postgresql":
        dump, manifest["tables"], manifest["migrations"] = _backup_postgresql(
            wrapper, output, progress
        )
    else:
        raise BackupError(_("Unsupported database: %(vendor)s.") % {"vendor": wrapper.vendor})
    manifest["database"] = dump.name
    manifest["files"][dump.name] = {"size": dump.stat().st_size, "sha256": file_sha256(dump)}

    names = list(storage_files(storage))
    progress(_("Media files: %(count)s to copy…") % {"count": len(names)})
    total = 0
    step = max(1, len(names) // 20)
    for number, name in enumerate(names, start=1):
        target = output / MEDIA_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        size = target.stat().st_size
        total += size
        manifest["media"][name] = {"size": size, "sha256": digest.hexdigest()}
        if number % step == 0 or number == len(names):
            progress(_("Media files: %(done)s/%(count)s") % {"done": number, "count": len(names)})
    (output / MANIFEST).write_text(
        json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
    )
    wrapper_close(wrapper, database_url)
    return BackupResult(
        folder=output,
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"].values()),
        files=len(names),
        bytes=total + dump.stat().st_size,
    )


def wrapper_close(wrapper: BaseDatabaseWrapper, database_url: str | None) -> None:
    if database_url:
        wrapper.close()


def _backup_sqlite(wrapper: BaseDatabaseWrapper, output: Path, progress: Progress) -> Path:
    target = output / "database.sqlite3"
    wrapper.ensure_connection()
    destination = sqlite3.connect(target)

    def report(status, remaining, total):
        if total:
            progress(
                _("Database: %(percent)s %%") % {"percent": int(100 * (total - remaining) / total)}
            )

    try:
        # 1,024 pages per step: other connections may write between steps (online backup).
        wrapper.connection.backup(destination, pages=1024, progress=report)
    finally:
        destination.close()
    return target


def _backup_postgresql(wrapper: BaseDatabaseWrapper, output: Path, progress: Progress):
    pg_dump = _pg_tool("pg_dump")
    target = output / "database.pgdump"
    settings_dict = wrapper.settings_dict
    # A snapshot shared by our checksums and pg_dump: the manifest describes exactly the dump.
    snapshot_connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        {**settings_dict}, alias="ops_snapshot"
    )
    try:
        snapshot_connection.ensure_connection()
        snapshot_connection.set_autocommit(False)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            process = subprocess.Popen(  # noqa: S603 (fixed arguments)
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--verbose",
                    f"--file={target}",
                    f"--dbname={settings_dict['NAME']}",
                ],
                env=_pg_env(settings_dict),
                stderr=subprocess.PIPE,
                text=True,
            )
            tables = table_checksums(cursor, "postgresql")
            migrations = applied_migrations(cursor)
            dumped = 0
            errors = []
            for line in process.stderr:
                if "dumping contents of table" in line:
                    dumped += 1
                    if dumped % 10 == 0:
                        progress(_("Database: %(count)s tables dumped") % {"count": dumped})
                elif "error" in line.lower():
                    errors.append(line.strip())
            if process.wait() != 0:
                raise BackupError(_("pg_dump failed: %(error)s") % {"error": " ".join(errors)})
        snapshot_connection.rollback()
    finally:
        snapshot_connection.close()
    return target, tables, migrations


# --- Restore -----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    mismatches: list[str]
    migrations_missing_in_code: list[str]
    migrations_to_apply: list[str]


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(folder)s is not a Steppe backup (no manifest.json).") % {"folder": folder}
        )
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Unknown backup format: %(format)s.") % {"format": manifest.get("format")}
        )
    return manifest


def verify_backup_files(folder: Path, manifest: dict, progress: Progress) -> None:
    """Every file of the backup is there with its checksum, before anything is changed."""
    progress(_("Checking the backup's files…"))
    expected = {
        **manifest["files"],
        **{f"{MEDIA_DIR}/{k}": v for k, v in manifest["media"].items()},
    }
    for name, meta in expected.items():
        path = Path(folder) / name
        if not path.is_file():
            raise BackupError(_("The backup is incomplete: %(name)s is missing.") % {"name": name})
        if path.stat().st_size != meta["size"] or file_sha256(path) != meta["sha256"]:
            raise BackupError(
                _("The backup is damaged: %(name)s does not match its checksum.") % {"name": name}
            )


def restore(
    folder: Path,
    *,
    force: bool = False,
    database_url: str | None = None,
    storage: Storage | None = None,
    progress: Progress = lambda message: None,
) -> RestoreResult:
    folder = Path(folder)
    manifest = read_manifest(folder)
    storage = storage or storages["default"]
    wrapper = database_wrapper(database_url)
    if wrapper.vendor != manifest["vendor"]:
        raise BackupError(
            _("This backup is of a %(backup)s database; this site uses %(site)s.")
            % {"backup": manifest["vendor"], "site": wrapper.vendor}
        )
    verify_backup_files(folder, manifest, progress)
    empty, tables = database_is_empty(wrapper)
    existing_files = list(storage_files(storage))
    if not force and (not empty or existing_files):
        raise BackupError(
            _(
                "The database holds %(tables)s tables and the storage %(files)s files: restoring "
                "would replace them. Run again with --force to replace them."
            )
            % {"tables": tables, "files": len(existing_files)}
        )
    progress(_("Database…"))
    dump = folder / manifest["database"]
    if wrapper.vendor == "sqlite":
        _restore_sqlite(wrapper, dump, progress)
    else:
        _restore_postgresql(wrapper, dump, progress)

    progress(_("Media files…"))
    wanted = manifest["media"]
    for name in existing_files:
        if name not in wanted:
            storage.delete(name)
    step = max(1, len(wanted) // 20)
    for number, name in enumerate(sorted(wanted), start=1):
        if storage.exists(name):
            storage.delete(name)
        with (folder / MEDIA_DIR / name).open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupError(
                _("The storage renamed %(name)s to %(saved)s.") % {"name": name, "saved": saved}
            )
        if number % step == 0 or number == len(wanted):
            progress(_("Media files: %(done)s/%(count)s") % {"done": number, "count": len(wanted)})

    progress(_("Comparing the restored site with the manifest…"))
    mismatches = []
    restored = database_checksums(wrapper)
    for table in sorted(set(restored) | set(manifest["tables"])):
        if restored.get(table) != manifest["tables"].get(table):
            mismatches.append(f"table {table}")
    restored_media = storage_checksums(storage)
    for name in sorted(set(restored_media) | set(wanted)):
        if restored_media.get(name) != wanted.get(name):
            mismatches.append(f"file {name}")
    wrapper_close(wrapper, database_url)

    from django.db.migrations.loader import MigrationLoader

    in_code = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {tuple(pair) for pair in manifest["migrations"]}
    return RestoreResult(
        tables=len(restored),
        rows=sum(t["rows"] for t in restored.values()),
        files=len(restored_media),
        mismatches=mismatches,
        migrations_missing_in_code=sorted(f"{a}.{n}" for a, n in in_backup - in_code),
        migrations_to_apply=sorted(f"{a}.{n}" for a, n in in_code - in_backup),
    )


def _restore_sqlite(wrapper: BaseDatabaseWrapper, dump: Path, progress: Progress) -> None:
    wrapper.ensure_connection()
    source = sqlite3.connect(dump)

    def report(status, remaining, total):
        if total:
            progress(
                _("Database: %(percent)s %%") % {"percent": int(100 * (total - remaining) / total)}
            )

    try:
        # The backup API replaces the whole content of the target, tables it had included.
        source.backup(wrapper.connection, pages=1024, progress=report)
    finally:
        source.close()


def _restore_postgresql(wrapper: BaseDatabaseWrapper, dump: Path, progress: Progress) -> None:
    pg_restore = _pg_tool("pg_restore")
    settings_dict = wrapper.settings_dict
    with wrapper.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    wrapper.close()
    process = subprocess.run(  # noqa: S603 (fixed arguments)
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise BackupError(_("pg_restore failed: %(error)s") % {"error": process.stderr.strip()})
