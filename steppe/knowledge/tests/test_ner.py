from steppe.knowledge.extraction.ner import find_entities
from steppe.knowledge.extraction.text import split_sentences, strip_page_structure


def entities(text: str, language: str) -> list[tuple[str, str]]:
    text = strip_page_structure(text)
    return [(e.kind, e.name) for e in find_entities(text, language, split_sentences(text))]


def test_french_names_without_chrome_or_glued_words(nlp_models):
    found = entities(
        "Files / Le Kazakhstan\nPublished 12/03/2025\n"
        "En tant que ministre, Battsetseg Batmunkh Souligné Dans une interview, Battsetseg a parlé.",
        "fr",
    )
    assert ("person", "Battsetseg Batmunkh") in found
    assert all("Souligné" not in name and "Files" not in name for _, name in found)
    assert all(name != "Published" for _, name in found)


def test_countries_are_not_entities_and_cities_are_places(nlp_models):
    found = entities("La Mongolie et le Kazakhstan ont signé un accord à Oulan-Bator.", "fr")
    assert ("place", "Oulan-Bator") in found
    assert all(name not in ("Mongolie", "Kazakhstan") for _, name in found)


def test_surname_alone_takes_the_full_name(nlp_models):
    found = entities("Kassym-Jomart Tokaïev a parlé. Ensuite, Tokaïev a quitté la salle.", "fr")
    assert found.count(("person", "Kassym-Jomart Tokaïev")) == 2


def test_russian_names_in_the_nominative(nlp_models):
    found = entities(
        "Президент Касым-Жомарт Токаев встретился с Шавкатом Мирзиёевым и представителями "
        "Всемирного банка.",
        "ru",
    )
    assert ("person", "Шавкат Мирзиёев") in found
    assert ("organisation", "Всемирный банк") in found


def test_english_rules():
    found = entities(
        "Kazakh President Kassym-Jomart Tokayev met officials of the Asian Development Bank. "
        "The World Nomad Games opened in Astana.",
        "en",
    )
    assert ("person", "Kassym-Jomart Tokayev") in found
    assert ("organisation", "Asian Development Bank") in found
    assert all("Games" not in name for _, name in found)
