from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

import pytest

from steppe.knowledge.models import Entity, Event, ItemCountry, Mention
from steppe.knowledge.services import entity_merge, entity_reject, entity_resolve
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db


def _event(article, day: int, country: Country, actor: Entity) -> Event:
    event = Event.objects.create(
        article=article,
        date_value=f"2025-04-{day:02d}",
        precision="day",
        start_on=f"2025-04-{day:02d}",
        end_on=f"2025-04-{day:02d}",
        summary=f"Rencontre numéro {day}",
        sentence=f"Le {day} avril 2025, rencontre.",
        sentence_start=0,
        sentence_end=10,
        fingerprint=str(day),
    )
    event.countries.add(country)
    event.entities.add(actor)
    return event


@pytest.fixture
def corpus():
    kazakhstan = Country.objects.get(code="KZ")
    tokaiev = entity_resolve(
        kind="person", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev"
    )
    bank = entity_resolve(kind="organisation", name="Banque mondiale", key="banque mondiale")
    articles = ArticleFactory.create_batch(3, published=True)
    for n, article in enumerate(articles, start=1):
        Mention.objects.create(article=article, entity=tokaiev, start=0, end=5, surface="Tokaïev")
        Mention.objects.create(
            article=article, entity=bank, start=6, end=9, surface="Banque mondiale"
        )
        ItemCountry.objects.create(article=article, country=kazakhstan, mention_count=2)
        _event(article, n, kazakhstan, tokaiev)
    draft = ArticleFactory(title="Brouillon secret")
    Mention.objects.create(article=draft, entity=tokaiev, start=0, end=5, surface="Tokaïev")
    return {
        "country": kazakhstan,
        "tokaiev": tokaiev,
        "bank": bank,
        "articles": articles,
        "draft": draft,
    }


def test_actor_page(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(corpus["tokaiev"].get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kassym-Jomart Tokaïev" in content
    assert "Banque mondiale" in content  # co-mentioned
    assert "Kazakhstan" in content
    assert "Brouillon secret" not in content
    for article in corpus["articles"]:
        assert article.title in content


def test_actor_page_of_merged_and_rejected_entities(client, corpus):
    other = entity_resolve(kind="person", name="Tokaïev K.-J.", key="tokaiev k j")
    entity_merge(source=other, target=corpus["tokaiev"])
    response = client.get(reverse("knowledge:entity_detail", kwargs={"slug": other.slug}))
    assert response.status_code == 301
    assert response["Location"] == corpus["tokaiev"].get_absolute_url()
    entity_reject(entity=corpus["bank"])
    assert client.get(corpus["bank"].get_absolute_url()).status_code == 404


def test_country_timeline_tag_filters_and_pages(corpus, django_assert_max_num_queries, settings):
    from steppe.knowledge import selectors

    settings.DEBUG = False
    template = Template("{% load knowledge %}{% knowledge_country_timeline country %}")
    request = RequestFactory().get("/", {"annee": "2025"})
    with django_assert_max_num_queries(4):
        html = template.render(Context({"country": corpus["country"], "request": request}))
    assert html.count("Rencontre numéro") == 3
    assert html.index("Rencontre numéro 3") < html.index("Rencontre numéro 1")  # newest first
    request = RequestFactory().get("/", {"annee": "2019"})
    assert "Rencontre" not in template.render(
        Context({"country": corpus["country"], "request": request})
    )
    page, has_next = selectors.event_timeline_page(country=corpus["country"])
    assert len(page) == 3
    assert not has_next


def test_item_panel_and_actors_tags(corpus, django_assert_max_num_queries):
    article = corpus["articles"][0]
    template = Template(
        "{% load knowledge %}{% knowledge_item_panel article %}{% knowledge_country_actors country %}"
    )
    with django_assert_max_num_queries(6):
        html = template.render(Context({"article": article, "country": corpus["country"]}))
    assert corpus["tokaiev"].get_absolute_url() in html
    assert "Rencontre numéro 1" in html
    assert "Banque mondiale" in html


def test_regional_timeline_page(client, corpus):
    response = client.get(reverse("knowledge:timeline"))
    assert response.status_code == 200
    assert "Rencontre numéro 2" in response.content.decode()


def test_scheduled_items_events_and_actors_are_not_public(client, corpus):
    """Status "published" with a publication time still to come is scheduled, not published."""
    from django.utils import timezone

    from steppe.knowledge import selectors

    scheduled = ArticleFactory(
        title="Article programmé",
        status="published",
        published_at=timezone.now() + timezone.timedelta(days=2),
    )
    secret = entity_resolve(kind="person", name="Baatar Ganbold", key="baatar ganbold")
    Mention.objects.create(article=scheduled, entity=secret, start=0, end=5, surface="Ganbold")
    Mention.objects.create(
        article=scheduled, entity=corpus["tokaiev"], start=0, end=5, surface="Tokaïev"
    )
    ItemCountry.objects.create(article=scheduled, country=corpus["country"], mention_count=1)
    event = _event(scheduled, 20, corpus["country"], secret)
    event.summary = "Sommet programmé"
    event.save()

    timeline = client.get(reverse("knowledge:timeline")).content.decode()
    assert "Rencontre numéro 2" in timeline
    assert "Sommet programmé" not in timeline
    country_events = selectors.event_list_for_country(country=corpus["country"])
    assert event not in country_events
    assert len(country_events) == 3
    assert 2025 in selectors.event_years(country=corpus["country"])
    actors = list(selectors.entity_list_for_country(country=corpus["country"]))
    assert secret not in actors
    assert corpus["tokaiev"] in actors
    assert client.get(secret.get_absolute_url()).status_code == 404
    page = client.get(corpus["tokaiev"].get_absolute_url()).content.decode()
    assert "Article programmé" not in page
    assert "Baatar Ganbold" not in page  # not co-mentioned through the scheduled item
    profile = selectors.entity_profile(entity=corpus["tokaiev"])
    assert sum(n for _year, n in profile["mentions_per_year"]) == 3

    # Once its time has come, the same rows are public.
    scheduled.published_at = timezone.now() - timezone.timedelta(minutes=1)
    scheduled.save(update_fields=["published_at"])
    assert "Sommet programmé" in client.get(reverse("knowledge:timeline")).content.decode()
    assert client.get(secret.get_absolute_url()).status_code == 200


def _date_published(article, year: int, month: int) -> None:
    from datetime import datetime

    from django.utils import timezone

    moment = timezone.make_aware(datetime(year, month, 15, 12))  # noqa: DTZ001
    type(article).objects.filter(pk=article.pk).update(published_at=moment)


def test_generated_description_says_kind_period_and_countries(corpus):
    from django.utils import translation

    from steppe.knowledge.selectors import entity_generated_description

    for article, (year, month) in zip(
        corpus["articles"], [(2024, 3), (2025, 1), (2025, 10)], strict=True
    ):
        _date_published(article, year, month)
    with translation.override("en"):
        line = entity_generated_description(entity=corpus["tokaiev"])
        bank_line = entity_generated_description(entity=corpus["bank"])
    # The draft's mention is not counted, nor its date.
    assert line == (
        "Person named in 3 articles and documents, from March 2024 to October 2025. "
        "Countries most often named with it: Kazakhstan."
    )
    assert bank_line.startswith("Organisation named in 3 articles and documents")


def test_generated_description_of_a_single_month_and_of_nothing(corpus):
    from django.utils import translation

    from steppe.knowledge.selectors import entity_generated_description

    for article in corpus["articles"]:
        _date_published(article, 2025, 4)
    place = entity_resolve(kind="place", name="Samarcande", key="samarcande")
    with translation.override("en"):
        assert entity_generated_description(entity=corpus["bank"]).startswith(
            "Organisation named in 3 articles and documents, in April 2025."
        )
        assert entity_generated_description(entity=place) == ""  # named nowhere published


def test_actor_page_shows_the_editors_description_before_the_generated_one(client, corpus):
    url = corpus["tokaiev"].get_absolute_url()
    content = client.get(url).content.decode()
    assert "entity__description--generated" in content
    corpus["tokaiev"].description = "Président de la République du Kazakhstan depuis 2019."
    corpus["tokaiev"].save()
    content = client.get(url).content.decode()
    assert "Président de la République du Kazakhstan depuis 2019." in content
    assert "entity__description--generated" not in content


def test_admin_shows_the_generated_description(admin_client, corpus, settings):
    settings.STEPPE_EDITOR_MFA_REQUIRED = False  # the second factor is tested by accounts
    url = reverse("admin:knowledge_entity_change", args=[corpus["tokaiev"].pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "3 articles" in content  # the generated line, in whichever language is active
    assert 'name="description"' in content  # the editors' field stays editable


def test_item_panel_lists_visible_actors_by_mentions_and_events_by_date(corpus):
    from steppe.knowledge import selectors

    article = corpus["articles"][1]
    kazakhstan = corpus["country"]
    nazarbaev = entity_resolve(kind="person", name="Noursoultan Nazarbaïev", key="n nazarbaiev")
    dropped = entity_resolve(kind="organisation", name="Bruit", key="bruit")
    merged = entity_resolve(kind="person", name="K. Tokaïev", key="k tokaiev")
    for start in (10, 20, 30):
        Mention.objects.create(article=article, entity=nazarbaev, start=start, end=start + 5)
    Mention.objects.create(article=article, entity=dropped, start=40, end=45, surface="Bruit")
    Mention.objects.create(article=article, entity=merged, start=50, end=55, surface="K. T.")
    entity_reject(entity=dropped)
    entity_merge(source=merged, target=corpus["tokaiev"])
    later = _event(article, 28, kazakhstan, nazarbaev)
    rejected = _event(article, 1, kazakhstan, nazarbaev)
    rejected.status = "rejected"
    rejected.save()
    document = corpus["articles"][2]  # another item's rows never show

    entities = selectors.entity_list_for_item(item=article)
    assert [(entity.name, entity.n) for entity in entities][:1] == [("Noursoultan Nazarbaïev", 3)]
    names = [entity.name for entity in entities]
    assert "Bruit" not in names
    assert "K. Tokaïev" not in names
    assert names.count("Kassym-Jomart Tokaïev") == 1
    assert len(selectors.entity_list_for_item(item=article, limit=1)) == 1
    events = selectors.event_list_for_item(item=article)
    assert [event.pk for event in events][-1] == later.pk
    assert rejected.pk not in [event.pk for event in events]
    assert [actor.name for actor in events[-1].entities.all()] == ["Noursoultan Nazarbaïev"]
    assert document.pk not in {event.article_id for event in events}
