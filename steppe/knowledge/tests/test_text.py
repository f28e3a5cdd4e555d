from steppe.knowledge.extraction.text import entity_key, split_sentences, strip_page_structure


def test_split_sentences_keeps_abbreviations_and_initials_together():
    text = "M. Tokaïev est arrivé. K.-J. Tokaïev a parlé à 10 h. La séance a duré 2 h.\nTitre sans point"
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == [
        "M. Tokaïev est arrivé.",
        "K.-J. Tokaïev a parlé à 10 h.",
        "La séance a duré 2 h.",
        "Titre sans point",
    ]


def test_sentence_offsets_point_into_the_text():
    text = "  Première phrase ici.  Seconde phrase là ! "
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_strip_page_structure_blanks_chrome_and_keeps_offsets():
    text = "Files / Le Kazakhstan\nUn rapport\nDetail\nPublished 12/03/2025\nLe texte commence."
    cleaned = strip_page_structure(text)
    assert len(cleaned) == len(text)
    assert "Files" not in cleaned
    assert "Published" not in cleaned
    assert "Detail" not in cleaned
    assert cleaned.index("Le texte commence.") == text.index("Le texte commence.")


def test_entity_key_brings_scripts_and_spellings_together():
    assert entity_key("Токаев") == entity_key("Tokayev") == "tokayev"
    assert entity_key("Мирзиёев") == "mirziyoyev"
    assert entity_key("Tokaïev") == "tokaiev"
    assert entity_key("l’OTAN") == "l otan"
