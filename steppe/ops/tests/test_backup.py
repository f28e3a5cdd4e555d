"""Backup and restore: a populated site comes back identical (every table's rows, every media file)."""

import io
import os
import sqlite3

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest
from PIL import Image

from steppe.library.tests.factories import DocumentFactory
from steppe.ops.backup import database_checksums, database_wrapper, storage_checksums
from steppe.publishing.services import article_image_add
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db(transaction=True)


def _png(color: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), color).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def populated_site(contributor, reference_data):
    kazakhstan = Country.objects.get(code="KZ")
    articles = [
        ArticleFactory(
            published=True,
            author=contributor,
            countries=[kazakhstan],
            title=f"Reportage {n} : ç'est « juste »",
        )
        for n in range(5)
    ]
    ArticleFactory(author=contributor, title="Brouillon")
    article_image_add(article=articles[0], by=contributor, upload=_png("teal"), caption="Yourte")
    article_image_add(article=articles[1], by=contributor, upload=_png("orange"))
    DocumentFactory(published=True, contributor=contributor, chapters=["Introduction", "Annexe"])
    contributor.avatar.save("avatar.png", ContentFile(_png("navy").read()), save=True)
    storages["default"].save("divers/notes.txt", ContentFile("Données : é ü ş\n".encode()))
    return articles


def _snapshot(wrapper=None) -> dict:
    return database_checksums(wrapper or connection)


def _target_url(tmp_path) -> tuple[str, callable]:
    """A separate, empty database for the restore (never the shared `steppe` database)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import psycopg

    params = connection.settings_dict
    name = f"steppe_restore_test_{os.getpid()}"
    admin = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"] or "postgres",
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    url = f"postgres://{params['USER'] or 'postgres'}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


def test_round_trip_restores_identical_content(populated_site, tmp_path, settings):
    before_tables = _snapshot()
    before_media = storage_checksums(storages["default"])
    assert len(before_media) >= 5  # images, their variants, avatar, a nested file
    assert before_tables["publishing_article"]["rows"] == 6
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backup"), stdout=out)
    assert "Media files" in out.getvalue() or "Fichiers" in out.getvalue()
    manifest = (tmp_path / "backup" / "manifest.json").read_text()
    assert "publishing_article" in manifest
    assert '"migrations"' in manifest

    # Restore into a new, empty database and a new, empty media storage.
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    assert storage_checksums(storages["default"]) == {}
    url, drop = _target_url(tmp_path)
    try:
        out = io.StringIO()
        call_command("restore", str(tmp_path / "backup"), database_url=url, stdout=out)
        assert "identical" in out.getvalue() or "identiques" in out.getvalue()
        target = database_wrapper(url)
        try:
            assert _snapshot(target) == before_tables
        finally:
            target.close()
        assert storage_checksums(storages["default"]) == before_media
    finally:
        drop()


def test_restore_refuses_a_database_with_data_without_force(populated_site, tmp_path, settings):
    call_command("backup", output=str(tmp_path / "backup"), verbosity=0)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(tmp_path / "backup"), verbosity=0)
    # --force replaces the site's data: what changed after the backup is gone again.
    before = _snapshot()
    ArticleFactory(title="Écrit après la sauvegarde")
    storages["default"].save("apres.txt", ContentFile(b"plus tard"))
    assert _snapshot() != before
    call_command("restore", str(tmp_path / "backup"), force=True, verbosity=0)
    connection.close()
    assert _snapshot() == before
    assert not storages["default"].exists("apres.txt")


def test_backup_refuses_a_folder_that_is_not_empty_and_restore_a_damaged_backup(
    populated_site, tmp_path
):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match=r"not empty|pas vide"):
        call_command("backup", output=str(tmp_path / "full"), verbosity=0)
    call_command("backup", output=str(tmp_path / "backup"), verbosity=0)
    media = next((tmp_path / "backup" / "media").rglob("*.txt"))
    media.write_text("altéré")
    with pytest.raises(CommandError, match=r"damaged|endommagée"):
        call_command("restore", str(tmp_path / "backup"), force=True, verbosity=0)
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path / "full"), verbosity=0)


@pytest.mark.skipif("sqlite" not in os.environ.get("DATABASE_URL", "sqlite"), reason="SQLite only")
def test_sqlite_backup_is_a_valid_database(populated_site, tmp_path):
    call_command("backup", output=str(tmp_path / "backup"), verbosity=0)
    copy = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM publishing_article").fetchone()[0] == 6
