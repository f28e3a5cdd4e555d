"""The editor's suggestions: themes from keywords, tags from the registry, the fragment view and tag."""

import re

from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

import pytest

from steppe.knowledge import selectors
from steppe.knowledge.models import Entity, ReviewStatus
from steppe.knowledge.services import entity_merge, entity_reject, entity_resolve
from steppe.knowledge.suggestions import name_candidates, theme_keywords, theme_scores
from steppe.taxonomy.models import Country, Theme

DRAFT = (
    "Le 12 mars 2025, Kassym-Jomart Tokaïev a inauguré une centrale solaire près d'Almaty. "
    "Le Kazakhstan veut tirer 15 % de son électricité des énergies renouvelables d'ici 2030 ; "
    "la Banque asiatique de développement finance aussi un gazoduc vers le sud du pays."
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_every_theme_has_keywords_in_three_languages():
    import json

    from steppe.knowledge.suggestions import THEME_KEYWORDS_PATH

    data = json.loads(THEME_KEYWORDS_PATH.read_text(encoding="utf-8"))
    keywords = theme_keywords()
    for slug in ("energie", "securite", "climat", "mineraux-critiques", "diplomatie"):
        assert set(data[slug]) == {"fr", "en", "ru"}
        assert len(keywords[slug]) >= 20
    for stems in (s for keyword_list in keywords.values() for s in keyword_list):
        assert all(stems), stems  # no keyword made only of stop words


def test_theme_scores_match_stems_phrases_and_scripts():
    scores = theme_scores(DRAFT)
    assert scores.most_common(1)[0][0] == "energie"
    assert scores["energie"] >= 4  # solaire, électricité, énergies (plural), renouvelables, gazoduc
    english = "Drought and glacier melt: the climate is warming faster in Central Asia."
    assert theme_scores(english)["climat"] >= 3
    russian = "Министр иностранных дел провёл переговоры в посольстве накануне саммита ШОС."
    assert theme_scores(russian)["diplomatie"] >= 4
    # A phrase needs its words in order, inside one sentence.
    assert theme_scores("Les terres rares du pays.")["mineraux-critiques"] == 1
    assert theme_scores("Des terres. Rares sont les puits.")["mineraux-critiques"] == 0
    # "traitement", "traiter" share a stem with "traité": that word is left out on purpose.
    assert theme_scores("Le traitement des dossiers, traiter les plaintes.")["diplomatie"] == 0


def test_name_candidates_cover_russian_case_endings_not_sentence_openers():
    candidates = name_candidates("Встреча Токаева и Мирзиёва. Le 4 avril, la Banque mondiale.")
    assert "tokayev" in candidates
    assert "banque mondiale" in candidates
    assert "le 4" not in candidates
    assert not any(key.endswith(" la") for key in candidates)


@pytest.mark.django_db
def test_theme_suggestions_need_two_hits_and_come_best_first():
    themes = selectors.theme_suggestions(text=DRAFT + " Le climat change.")
    assert [t.slug for t in themes][:1] == ["energie"]
    assert "climat" not in [t.slug for t in themes]  # one word in passing is not a theme
    assert selectors.theme_suggestions(text="") == []


@pytest.mark.django_db
def test_tag_suggestions_from_aliases(django_assert_max_num_queries):
    tokaiev = entity_resolve(
        kind="person", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev"
    )
    from steppe.knowledge.models import EntityAlias

    EntityAlias.objects.create(entity=tokaiev, name="Токаев", key="tokayev")
    EntityAlias.objects.create(entity=tokaiev, name="Tokaïev", key="tokaiev")
    Entity.objects.filter(pk=tokaiev.pk).update(mention_count=5)
    adb = entity_resolve(
        kind="organisation",
        name="Banque asiatique de développement",
        key="banque asiatique de developpement",
    )
    Entity.objects.filter(pk=adb.pk).update(status=ReviewStatus.CONFIRMED)
    once = entity_resolve(kind="person", name="Almaz Beketova", key="almaz beketova")
    rejected = entity_resolve(kind="organisation", name="Centrale Solaire", key="centrale solaire")
    Entity.objects.filter(pk=rejected.pk).update(mention_count=9)
    entity_reject(entity=rejected)
    text = DRAFT + " Almaz Beketova était présente. Визит Токаева в Пекин."
    with django_assert_max_num_queries(2):
        tags = selectors.tag_suggestions(text=text)
    assert tags == [tokaiev, adb]  # Tokaïev named three times; Beketova unreviewed and new
    assert once not in tags
    # A merged entity's aliases lead to the entity it was merged into.
    duplicate = entity_resolve(kind="person", name="Almaz Beketova", key="almaz beketova")
    target = entity_resolve(
        kind="person", name="Almaz Bekétova-Nurlan", key="almaz beketova nurlan"
    )
    Entity.objects.filter(pk=target.pk).update(status=ReviewStatus.CONFIRMED)
    entity_merge(source=duplicate, target=target)
    assert target.pk in [e.pk for e in selectors.tag_suggestions(text=text)]


@pytest.mark.django_db
def test_editor_suggestions_mark_what_the_form_already_has():
    kazakhstan = Country.objects.get(code="KZ")
    energy = Theme.objects.get(slug="energie")
    bank = entity_resolve(
        kind="organisation",
        name="Banque asiatique de développement",
        key="banque asiatique de developpement",
    )
    Entity.objects.filter(pk=bank.pk).update(status=ReviewStatus.CONFIRMED)
    result = selectors.editor_suggestions(
        text=DRAFT,
        chosen_countries={str(kazakhstan.pk)},
        chosen_themes=set(),
        tags="banque asiatique de DÉVELOPPEMENT, steppe",
    )
    assert {"label": "Kazakhstan", "value": str(kazakhstan.pk), "chosen": True} in result[
        "countries"
    ]
    assert {"label": "Énergie", "value": str(energy.pk), "chosen": False} in result["themes"]
    assert result["tags"] == [
        {
            "label": "Banque asiatique de développement",
            "value": "Banque asiatique de développement",
            "chosen": True,  # the tags field is compared case-insensitively
        }
    ]


def test_the_editor_form_has_the_fields_the_script_fills():
    """The contract with steppe.publishing: field names and widgets the "Add" buttons act on."""
    from django import forms

    from steppe.publishing.forms import ArticleForm

    fields = ArticleForm.base_fields
    assert isinstance(fields["countries"].widget, forms.SelectMultiple)
    assert isinstance(fields["themes"].widget, forms.CheckboxSelectMultiple)
    assert isinstance(fields["tags"].widget, forms.TextInput)
    assert {"title", "lead", "body_source"} <= set(fields)


# --- the fragment view ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggestion_view_for_a_contributor(client, contributor, django_assert_max_num_queries):
    kazakhstan = Country.objects.get(code="KZ")
    energy = Theme.objects.get(slug="energie")
    client.force_login(contributor)
    url = reverse("knowledge:editor_suggestions")
    with django_assert_max_num_queries(8):
        response = client.post(
            url,
            {"title": "Solaire", "body_source": DRAFT, "countries": [], "themes": [str(energy.pk)]},
        )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert f'data-field="countries" data-value="{kazakhstan.pk}"' in html
    assert f'data-field="themes" data-value="{energy.pk}"' not in html  # already ticked
    assert "déjà choisi" in html
    assert "Ajouter" in html
    assert "<script" not in html


@pytest.mark.django_db
def test_suggestion_view_refuses_strangers_gets_and_forged_posts(contributor):
    url = reverse("knowledge:editor_suggestions")
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(url, {"text": DRAFT}).status_code == 403
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.get(url).status_code == 405
    assert client.post(url, {"text": DRAFT}).status_code == 403  # no CSRF token
    client.get(reverse("publishing:article_new"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"text": DRAFT}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert "Kazakhstan" in response.content.decode()


@pytest.mark.django_db
def test_suggestion_view_is_rate_limited_per_user(client, contributor, settings):
    settings.STEPPE_KNOWLEDGE_SUGGESTION_RATE_LIMIT = (2, 60)
    client.force_login(contributor)
    url = reverse("knowledge:editor_suggestions")
    assert client.post(url, {"text": DRAFT}).status_code == 200
    assert client.post(url, {"text": DRAFT}).status_code == 200
    response = client.post(url, {"text": DRAFT})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


@pytest.mark.django_db
def test_bad_input_does_not_break_the_view(client, contributor):
    client.force_login(contributor)
    url = reverse("knowledge:editor_suggestions")
    for text in ("", "x" * 400_000, "Казахстан 🇰🇿 Mongolie\x00 ∑∫ " * 2000):
        assert client.post(url, {"body_source": text}).status_code == 200


# --- the include for the editor template -----------------------------------------------------------


@pytest.mark.django_db
def test_include_renders_for_a_bound_and_an_initial_form(django_assert_max_num_queries):
    from steppe.publishing.forms import ArticleForm

    kazakhstan = Country.objects.get(code="KZ")
    template = Template('{% include "knowledge/editor_suggestions.html" %}')
    request = RequestFactory().get("/")
    form = ArticleForm(data={"title": "T", "body_source": DRAFT, "tags": ""})
    with django_assert_max_num_queries(6):
        html = template.render(Context({"form": form, "request": request, "csrf_token": "tok"}))
    assert "data-knowledge-suggestions" in html
    assert 'data-csrf="tok"' in html
    assert reverse("knowledge:editor_suggestions") in html
    assert re.search(r'<script src="[^"]*knowledge/suggestions\.js" defer></script>', html)
    assert not re.search(r"<script>|<script [^>]*>[^<]", html)  # no inline script (CSP)
    assert "style=" not in html
    assert f'data-field="countries" data-value="{kazakhstan.pk}"' in html
    # Buttons are hidden until the script shows them: without JavaScript, text only.
    buttons = re.findall(r"<button[^>]*>", html)
    assert buttons
    assert all(" hidden" in tag for tag in buttons)
    initial = ArticleForm(initial={"title": "T", "body_source": DRAFT, "countries": [kazakhstan]})
    html = template.render(Context({"form": initial, "request": request}))
    assert "déjà choisi" in html
    empty = template.render(Context({"form": ArticleForm(), "request": request}))
    assert "Aucune suggestion" in empty
