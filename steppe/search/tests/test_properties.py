"""Any query string gives a page, never an error: property tests over arbitrary Unicode.

They run on whichever engine the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL).
"""

from urllib.parse import urlencode

from django.urls import reverse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.search.query import parse_query
from steppe.search.selectors import search_run

pytestmark = pytest.mark.django_db

SYNTAX = ['"', "-", " OR ", "|", "(", ")", "*", "^", ":", "NEAR(", "AND", "NOT", "'", "\\", "%",
          ";", "--", "{title}", "\x00", "\u202f", "é", "Ё", "漢"]  # fmt: skip
queries = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=12)), max_size=30).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50).map(lambda s: s * 50),
)
relaxed = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def corpus(make_article, make_document):
    make_article(title="Le sommet d'Astana", body_source="Kassym-Jomart Tokaïev, Asie centrale.")
    make_article(title="Визит Токаев", slug="vizit", language="ru")
    make_document(title="Rapport (NEAR) sur l'OTAN : 100 % *", chapters=["Sécurité"])


@given(text=queries)
@relaxed
def test_any_text_parses(text):
    query = parse_query(text)
    assert len(query.raw) <= len(text)


@given(text=queries, sort=st.sampled_from(["relevance", "date"]))
@relaxed
def test_any_query_returns_results(corpus, text, sort):
    results = search_run(text=text, sort=sort)
    assert results.total >= len(results.hits) >= 0


@given(text=queries)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_query_returns_a_page(corpus, client, text):
    # The test client refuses NUL in a URL, as browsers and servers do; everything else goes through.
    text = text.replace("\x00", "")
    response = client.get(reverse("search:search") + "?" + urlencode({"q": text}))
    assert response.status_code == 200
