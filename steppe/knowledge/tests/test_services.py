import pytest

from steppe.knowledge.models import (
    Entity,
    EntityAlias,
    Event,
    ItemAnalysis,
    ItemCountry,
    Mention,
    Origin,
)
from steppe.knowledge.services import (
    KnowledgeError,
    entity_merge,
    entity_reject,
    entity_rename,
    entity_resolve,
    entity_split,
    item_extract,
)
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db

BODY = (
    "Le 4 avril 2025, le président kazakh Kassym-Jomart Tokaïev a reçu à Astana son homologue "
    "ouzbek Shavkat Mirziyoyev.\n\nLa Mongolie vise la neutralité carbone d’ici 2050, selon la "
    "Banque mondiale.\n\nLa Mongolie reste un partenaire."
)


def article(body: str = BODY, **kwargs):
    from steppe.core.text import render_markdown

    return ArticleFactory(
        published=True,
        title="Sommet à Astana",
        lead="",
        body_source=body,
        body_html=render_markdown(body),
        **kwargs,
    )


def test_item_extract_stores_countries_entities_events(nlp_models):
    item = article()
    analysis = item_extract(item=item)
    assert analysis.language == "fr"
    counts = {row.country.code: row.mention_count for row in ItemCountry.objects.for_item(item)}
    assert counts["MN"] == 2
    assert counts["KZ"] >= 2
    assert "UZ" in counts
    names = set(Entity.objects.values_list("name", flat=True))
    assert {"Kassym-Jomart Tokaïev", "Shavkat Mirziyoyev", "Banque mondiale", "Astana"} <= names
    events = list(Event.objects.for_item(item).order_by("start_on"))
    assert [(e.date_value, e.is_future_target) for e in events] == [
        ("2025-04-04", False),
        ("2050", True),
    ]
    summit = events[0]
    assert summit.place.name == "Astana"
    assert {c.code for c in summit.countries.all()} == {"KZ", "UZ"}
    assert {e.name for e in summit.entities.all()} == {
        "Kassym-Jomart Tokaïev",
        "Shavkat Mirziyoyev",
    }
    assert item.knowledge_mentions.count() == Mention.objects.count()


def test_item_extract_twice_changes_nothing(nlp_models):
    item = article()
    first = item_extract(item=item)
    counts = (Entity.objects.count(), Mention.objects.count(), Event.objects.count())
    assert item_extract(item=item).extracted_at == first.extracted_at  # unchanged text: skipped
    item_extract(item=item, force=True)
    assert (Entity.objects.count(), Mention.objects.count(), Event.objects.count()) == counts
    assert ItemAnalysis.objects.count() == 1


def test_editor_decisions_survive_reextraction(nlp_models):
    item = article()
    item_extract(item=item)
    bank = Entity.objects.get(name="Banque mondiale")
    entity_reject(entity=bank)
    target = Event.objects.get(is_future_target=True)
    target.status = Event.Status.CONFIRMED
    target.summary = "Objectif de neutralité carbone (résumé d’éditeur)"
    target.save()
    wrong = Event.objects.get(is_future_target=False)
    wrong.status = Event.Status.REJECTED
    wrong.save()
    uzbekistan = ItemCountry.objects.for_item(item).get(country__code="UZ")
    uzbekistan.status = ItemCountry._meta.get_field("status").choices[2][0]  # rejected
    uzbekistan.save()
    editor_row = ItemCountry.objects.create(
        article=item, country=Country.objects.get(code="FR"), origin=Origin.EDITOR
    )

    item_extract(item=item, force=True)

    assert not Mention.objects.filter(entity=bank).exists()
    assert Event.objects.for_item(item).count() == 2  # neither duplicated nor recreated
    target.refresh_from_db()
    assert target.summary.endswith("(résumé d’éditeur)")
    assert Event.objects.get(pk=wrong.pk).status == Event.Status.REJECTED
    assert ItemCountry.objects.get(pk=uzbekistan.pk).status == "rejected"
    assert ItemCountry.objects.filter(pk=editor_row.pk).exists()


def test_spellings_and_scripts_meet_in_one_entity(nlp_models):
    first = entity_resolve(kind="person", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev")
    assert (
        entity_resolve(kind="person", name="Kassym-Jomart Tokayev", key="kassym jomart tokayev")
        == first
    )
    assert (
        entity_resolve(kind="person", name="Касым-Жомарт Токаев", key="kasym zhomart tokayev")
        == first
    )
    assert (
        entity_resolve(kind="organisation", name="Tokaïev", key="tokaiev") != first
    )  # another kind


def test_a_known_person_labelled_as_a_place_is_that_person():
    person = entity_resolve(
        kind="person", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev"
    )
    assert (
        entity_resolve(kind="place", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev")
        == person
    )
    # A real place keeps its own record, and a person is never taken for a place.
    city = entity_resolve(kind="place", name="Astana", key="astana")
    assert city.kind == "place"
    assert entity_resolve(kind="person", name="Astana", key="astana") != city
    # A single word is too ambiguous to cross kinds.
    rogun = entity_resolve(kind="person", name="Rogun", key="rogun")
    assert entity_resolve(kind="place", name="Rogun", key="rogun") != rogun


def test_rejected_entity_is_not_linked_again():
    entity = entity_resolve(kind="organisation", name="Détail", key="detail")
    entity_reject(entity=entity)
    assert entity_resolve(kind="organisation", name="Détail", key="detail") is None


def test_merge_moves_everything_and_later_extractions_follow(nlp_models):
    item = article()
    item_extract(item=item)
    tokaiev = Entity.objects.get(name="Kassym-Jomart Tokaïev")
    other = entity_resolve(kind="person", name="K.-J. Tokaïev", key="k j tokaiev")
    Mention.objects.create(article=item, entity=other, start=0, end=5, surface="K.-J. Tokaïev")
    entity_merge(source=other, target=tokaiev)
    other.refresh_from_db()
    assert other.merged_into == tokaiev
    assert tokaiev.mentions.filter(surface="K.-J. Tokaïev").exists()
    assert EntityAlias.objects.filter(entity=tokaiev, name="K.-J. Tokaïev").exists()
    assert entity_resolve(kind="person", name="K.-J. Tokaïev", key="k j tokaiev") == tokaiev
    with pytest.raises(KnowledgeError):
        entity_merge(source=tokaiev, target=Entity.objects.get(name="Banque mondiale"))


def test_split_and_rename():
    entity = entity_resolve(kind="person", name="Batmunkh", key="batmunkh")
    Mention.objects.create(
        document=DocumentFactory(published=True),
        entity=entity,
        start=0,
        end=8,
        surface="Battsetseg",
    )
    alias = EntityAlias.objects.create(entity=entity, name="Battsetseg", key="battsetseg")
    new = entity_split(entity=entity, aliases=[alias], name="Battsetseg Batmunkh")
    assert new.mentions.get().surface == "Battsetseg"
    assert new.status == Entity.Status.CONFIRMED
    assert not entity.mentions.exists()
    entity_rename(entity=entity, name="Luvsannyam Batmunkh")
    entity.refresh_from_db()
    assert entity.name == "Luvsannyam Batmunkh"
    assert set(entity.aliases.values_list("name", flat=True)) >= {"Batmunkh", "Luvsannyam Batmunkh"}


def test_document_extraction_reads_title_chapters_and_presentation(nlp_models):
    from steppe.core.text import render_markdown

    document = DocumentFactory(
        published=True,
        title="L’énergie au Kirghizstan",
        presentation_source="Le 15 janvier 2025, le gouvernement kirghize a lancé un chantier à Och.",
        presentation_html=render_markdown(
            "Le 15 janvier 2025, le gouvernement kirghize a lancé un chantier à Och."
        ),
    )
    document.chapters.create(position=1, title="Le rôle de la Chine")
    item_extract(item=document)
    assert {r.country.code for r in ItemCountry.objects.for_item(document)} == {"KG", "CN"}
    assert Event.objects.for_item(document).get().date_value == "2025-01-15"


def test_country_suggestions_for_a_draft():
    from steppe.knowledge.services import country_suggestions

    text = "Le président kazakh est à Oulan-Bator. La Mongolie et le Kazakhstan, puis la Mongolie."
    assert [c.code for c in country_suggestions(text=text)] == ["MN", "KZ"]
    assert country_suggestions(text="") == []


def test_task_extracts_and_tolerates_a_deleted_item(nlp_models):
    from steppe.knowledge.tasks import item_extract_task

    item = article()
    result = item_extract_task.enqueue("article", item.pk)
    assert result.return_value == "fr"
    assert ItemAnalysis.objects.filter(article=item).exists()
    gone = item_extract_task.enqueue("article", item.pk + 1000)
    assert gone.return_value == "gone"
