"""The importer end to end: database writes, idempotence, errors that leave nothing behind."""

import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

import pytest

from steppe.accounts.models import User
from steppe.core.models import PublicationStatus
from steppe.ingest.services import content_import
from steppe.library.models import Document
from steppe.publishing.models import Article

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(settings.BASE_DIR) / "demo"

AUTHORS = """\
- username: saule
  display_name: Saule Amanova
  kind: individual
  country: KZ
"""

ARTICLE = """\
---
kind: analysis
title: L'eau du Syr-Daria
lead: Un chapeau.
author: saule
published_at: 2025-03-01T10:00:00+01:00
countries: [KZ, UZ]
themes: [eau]
tags: [Syr-Daria, irrigation]
---
Le corps de l'analyse.
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_demo_format_creates_published_items_and_reimport_changes_nothing(tmp_path):
    root = _tree(tmp_path, {"authors.yaml": AUTHORS, "articles/a1.md": ARTICLE})
    first = content_import(paths=[root])
    assert (first.created, first.updated, first.errors) == (2, 0, [])
    article = Article.objects.get()
    assert article.status == PublicationStatus.PUBLISHED
    assert article.author.username == "saule"
    assert sorted(article.countries.values_list("code", flat=True)) == ["KZ", "UZ"]
    assert sorted(article.tags.values_list("name", flat=True)) == ["Syr-Daria", "irrigation"]
    updated_at = article.updated_at

    second = content_import(paths=[root])
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    article.refresh_from_db()
    assert article.updated_at == updated_at


def test_reimport_of_an_edited_file_updates_in_place(tmp_path):
    root = _tree(tmp_path, {"authors.yaml": AUTHORS, "articles/a1.md": ARTICLE})
    content_import(paths=[root])
    (root / "articles/a1.md").write_text(
        ARTICLE.replace("Un chapeau.", "Un autre chapeau."), encoding="utf-8"
    )
    report = content_import(paths=[root])
    assert report.updated == 1
    assert Article.objects.count() == 1
    assert Article.objects.get().lead == "Un autre chapeau."


def test_a_malformed_file_is_skipped_whole_and_the_others_go_on(tmp_path):
    bad = ARTICLE.replace("countries: [KZ, UZ]", "countries: [KZ, XX]")
    root = _tree(
        tmp_path,
        {
            "authors.yaml": AUTHORS,
            "articles/a1.md": ARTICLE,
            "articles/a2.md": bad.replace("L'eau", "La terre"),
        },
    )
    report = content_import(paths=[root])
    assert [(e.path.name, e.line) for e in report.errors] == [("a2.md", 7)]
    assert "XX" in report.errors[0].reason
    assert list(Article.objects.values_list("title", flat=True)) == ["L'eau du Syr-Daria"]
    assert not Article.objects.filter(title__startswith="La terre").exists()


def test_unknown_author_is_reported(tmp_path):
    root = _tree(tmp_path, {"articles/a1.md": ARTICLE})
    report = content_import(paths=[root])
    assert report.errors[0].reason == "auteur inconnu\u00a0: saule"
    assert report.errors[0].line == 5
    assert Article.objects.count() == 0


def test_command_reports_errors_in_french_and_fails(tmp_path):
    root = _tree(
        tmp_path,
        {
            "authors.yaml": AUTHORS,
            "articles/a1.md": ARTICLE,
            "articles/a2.md": "---\nkind: [\n---\n",
        },
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 fichier n’a pas pu être importé"):
        call_command("import_content", str(root), stdout=out, stderr=err)
    assert "a2.md, ligne 2" in err.getvalue()
    assert "YAML invalide" in err.getvalue()
    assert "rien de ce fichier n’a été importé" in err.getvalue()
    assert "2 créé(s)" in out.getvalue()


def test_command_shows_progress_on_large_inputs(tmp_path):
    files = {"authors.yaml": AUTHORS}
    for n in range(25):
        files[f"articles/a{n:02}.md"] = ARTICLE.replace("L'eau du Syr-Daria", f"Article {n}")
    root = _tree(tmp_path, files)
    err = StringIO()
    call_command("import_content", str(root), stdout=StringIO(), stderr=err)
    assert "26/26" in err.getvalue()
    assert Article.objects.count() == 25


def test_seed_pages_become_drafts_owned_by_the_import_account(seeds_dir, tmp_path):
    for path in seeds_dir.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    report = content_import(paths=[tmp_path])
    assert report.errors == []
    assert Document.objects.count() == 2
    assert Article.objects.count() == 22  # 20 listing items, one article, one opinion piece
    assert set(Article.objects.values_list("status", flat=True)) == {PublicationStatus.DRAFT}
    assert set(Document.objects.values_list("status", flat=True)) == {PublicationStatus.DRAFT}
    owner = User.objects.get(username="import")
    assert not owner.is_active
    assert set(Article.objects.values_list("author", flat=True)) == {owner.pk}
    dialogue = Document.objects.get(published_on="2025-12-23")
    assert dialogue.chapters.count() == 10
    assert list(dialogue.countries.values_list("code", flat=True)) == ["KZ"]
    assert Article.objects.get(kind="opinion").byline == "Ame_21"

    again = content_import(paths=[tmp_path])
    assert (again.created, again.updated) == (0, 0)
    assert Article.objects.count() == 22


def test_owner_option_assigns_drafts_to_an_account(seeds_dir, tmp_path):
    shutil.copy(next(seeds_dir.glob("001_*.txt")), tmp_path / "page.txt")
    owner = User.objects.create(username="redaction")
    content_import(paths=[tmp_path], owner_username="redaction")
    assert Article.objects.get().author == owner


def test_demo_corpus_loads_twice_without_change(capsys):
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    assert Article.objects.published().count() + Document.objects.published().count() >= 40
    assert "Compte éditeur de démonstration" in out.getvalue()
    editor = User.objects.get(username="editeur")
    assert editor.is_staff
    assert editor.groups.filter(name="editors").exists()
    password = (Path(settings.VAR_DIR) / "demo-editor.txt").read_text().strip()
    assert editor.check_password(password)

    counts = (Article.objects.count(), Document.objects.count(), User.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    assert "0 créé(s), 0 mis à jour" in out.getvalue()
    assert password in out.getvalue()
    assert (Article.objects.count(), Document.objects.count(), User.objects.count()) == counts
