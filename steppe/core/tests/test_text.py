import re

import pytest

from steppe.core.text import clean_text, render_markdown, sanitize_html

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    '<a href="javascript:alert(1)">clic</a>',
    "<style>body{display:none}</style>",
    '<iframe src="https://example.org"></iframe>',
    "![x](javascript:alert(1))",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_render_markdown_neutralises_active_content(source):
    html = render_markdown(source)
    # Escaped text ("&lt;script&gt;") is harmless; only real tags and attributes count.
    assert not re.search(r"<(script|style|iframe)", html, re.IGNORECASE)
    assert not re.search(r"<[^>]+\son\w+\s*=", html, re.IGNORECASE)
    assert not re.search(r"<[^>]+(href|src)\s*=\s*\"?\s*javascript:", html, re.IGNORECASE)


def test_render_markdown_keeps_structure_and_demotes_h1():
    html = render_markdown(
        "# Titre\n\nUn **paragraphe** avec [un lien](https://example.org).\n\n- un\n- deux"
    )
    assert "<h2>Titre</h2>" in html
    assert "<strong>paragraphe</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<li>deux</li>" in html


@pytest.mark.parametrize(
    "source", [*ATTACKS, "Texte **gras** et <b>brut</b>", "| a | b |\n|---|---|\n| 1 | 2 |"]
)
def test_sanitising_twice_changes_nothing(source):
    once = render_markdown(source)
    assert sanitize_html(once) == once


def test_clean_text_drops_control_characters_and_surrogates():
    assert clean_text("Ti\x00tre\x1b\ud800 ok") == "Titre ok"
    assert clean_text("e\u0301") == "é"
