from pathlib import Path

from django.conf import settings

import polib

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_sources():
    # Keyed by context and msgid: the same msgid may be translated differently in two contexts.
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(PO))
        if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(PO.with_suffix(".mo")))
    }
    compiled.pop((None, ""), None)
    stale = {msgid for msgid in source if source[msgid] != compiled.get(msgid)}
    assert stale == set(), "run `make messages` to recompile locale/fr/LC_MESSAGES/django.mo"
