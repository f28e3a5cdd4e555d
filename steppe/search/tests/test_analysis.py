"""The indexer's tokens: the fast path of `add_tokens` against a plain reference."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.search.analysis import add_tokens, field_terms, index_tokens


def reference(text: str, language: str) -> tuple[set[str], Counter]:
    """Tokens and term counts from the regular expression's word stream, one word at a time."""
    tokens: set[str] = set()
    counts: Counter = Counter()
    previous: list[str] = []
    for position in field_terms(text, language):
        if not position:  # a sentence break
            previous = []
            continue
        tokens.update(position)
        tokens.update(f"{left}_{right}" for left in previous for right in position)
        counts.update(position)
        previous = position
    return tokens, counts


def analysed(text: str, language: str) -> tuple[set[str], Counter]:
    tokens: set[str] = set()
    counts: Counter = Counter()
    add_tokens([text], language, tokens, counts=counts)
    return tokens, counts


def test_punctuation_attached_to_a_word_changes_nothing():
    spaced = index_tokens(["Les routes de la soie , vers l' Asie centrale . Astana"], "fr")
    attached = index_tokens(["Les routes de la soie, vers l'Asie centrale. Astana"], "fr")
    assert attached == spaced
    assert "asi_central" in attached
    assert "central_astan" not in attached  # a sentence break stops bigrams
    assert "rout_soi" in attached  # stop words do not


def test_a_cyrillic_word_pairs_both_its_terms_with_its_neighbours():
    tokens = set(index_tokens(["Президент Токаев, в Астане."], "ru"))
    assert {"toka", "tokaev"} <= tokens
    assert {"toka_astan", "tokaev_astan", "toka_astane", "tokaev_astane"} <= tokens


def test_the_same_chunk_in_another_language_is_analysed_again():
    assert index_tokens(["running."], "en") == ["run"]
    assert index_tokens(["running."], "fr") == ["running"]


# Letters of several scripts, digits, white space of every kind, sentence breaks, punctuation.
pieces = st.sampled_from(
    ["Asie", "centrale", "l'OTAN", "Tokaïev", "Токаев", "Ёлка", "ǅ", "ﬁn", "œuvre", "2024", "_x_",
     ".", "…", "?!", ";", ",", "«", "»", "—", "(", ")", " ", "  ", "\t", "\n", "\u00a0", "\u2028",
     "\x1f", "de", "la", "и"]
)  # fmt: skip
texts = st.one_of(st.lists(pieces, max_size=40).map("".join), st.text(max_size=80))


@given(text=texts, language=st.sampled_from(["fr", "en", "ru"]))
@settings(max_examples=300, deadline=None)
def test_tokens_are_those_of_the_word_stream(text, language):
    assert analysed(text, language) == reference(text, language)


def test_the_analysis_caches_stay_bounded_in_a_long_running_process():
    from steppe.search import analysis

    previous = analysis._CACHE_LIMIT
    analysis.cache_limit_set(100)
    try:
        for start in range(0, 1000, 50):
            words = " ".join(f"mot{n}x" for n in range(start, start + 50))
            analysis.add_tokens([words], "fr", set())
            assert len(analysis._chunk_caches["fr"]) <= 150
            assert len(analysis._term_caches["fr"]) <= 150
    finally:
        analysis.cache_limit_set(previous)


def test_reindex_workers_get_the_large_caches():
    from steppe.search import analysis, services

    previous = analysis._CACHE_LIMIT
    try:
        services._worker_init()
        assert analysis._CACHE_LIMIT == services.REINDEX_CACHE_ENTRIES > previous
    finally:
        analysis.cache_limit_set(previous)
