"""The query parser and the analysis: no database."""

import pytest

from steppe.search.analysis import index_tokens, query_word_terms, word_terms
from steppe.search.backends.postgres import render as render_tsquery
from steppe.search.backends.sqlite import render as render_fts5
from steppe.search.query import MAX_CLAUSES, All, Any, Token, parse_query


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("sommets", "sommet"),
        ("coopérations", "coopération"),
        ("Tokaiev", "Tokaïev"),
        ("TOKAÏEV", "tokaïev"),
        ("securite", "sécurité"),
        ("Tokaev", "Токаев"),
        ("Токаев", "Tokaev"),
        ("coeur", "cœur"),
    ],
)
def test_a_typed_word_shares_a_term_with_the_indexed_word(typed, indexed):
    assert set(query_word_terms(typed)) & set(word_terms(indexed, "fr"))


def test_russian_words_are_stemmed_in_russian_then_transliterated():
    assert "prezident" in word_terms("Президента", "ru")


def test_stop_words_carry_no_term():
    assert word_terms("les", "fr") == ()
    assert query_word_terms("the") == ()


def test_bigrams_join_neighbours_but_not_across_sentences():
    tokens = index_tokens(["Le sommet d'Astana. Asie centrale"], "fr")
    assert "sommet_astan" in tokens
    assert "asi_central" in tokens
    assert "astan_asi" not in tokens


def test_words_are_required_phrases_become_bigrams_and_or_groups():
    query = parse_query('sommet "Asie centrale" Astana OR Almaty -gaz')
    assert [len(group) for group in query.required] == [1, 1, 2]
    assert query.required[1][0].is_phrase
    assert [atom.text for atom in query.excluded] == ["gaz"]
    positive = query.positive()
    assert isinstance(positive, All)
    assert any(
        isinstance(child, Any | Token) and "asi_central" in render_fts5(child)
        for child in positive.children
    )


def test_exclusions_alone_search_nothing():
    assert parse_query("-gaz -pétrole").is_empty


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        '"',
        '"unbalanced',
        "NEAR(a b)",
        "a* ^b c:d",
        "'; DROP TABLE x; --",
        "\x00\x1f",
        "OR OR",
        "- -",
        "--",
        "((()))",
        "💥 ∑ 漢字",
        "a" * 10_000,
    ],
)
def test_the_parser_accepts_anything(raw):
    query = parse_query(raw)
    if not query.is_empty:
        render_fts5(query.positive())
        render_tsquery(query.positive())


def test_the_query_is_bounded():
    query = parse_query(" ".join(f"mot{n}" for n in range(100)))
    assert len(query.required) == MAX_CLAUSES


def test_rendered_tokens_are_quoted_in_both_syntaxes():
    node = All((Token("a'b"), Any((Token('c"d'), Token("e")))))
    assert render_fts5(node) == '("a\'b" AND ("c""d" OR "e"))'
    assert render_tsquery(node) == "('a''b' & ('c\"d' | 'e'))"


def test_french_quotes_delimit_a_phrase():
    assert parse_query("« Asie centrale »").required[0][0].is_phrase
