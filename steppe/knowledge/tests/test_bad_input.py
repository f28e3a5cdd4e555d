"""Odd input never crashes extraction; the reason is logged and kept in the result's notes."""

import logging
from datetime import date

from steppe.knowledge.extraction import extract


def test_empty_text(caplog):
    with caplog.at_level(logging.INFO, logger="steppe.knowledge.extraction"):
        result = extract("   ", published_on=date(2025, 1, 1))
    assert result.language == ""
    assert result.events == []
    assert result.entities == []
    assert "empty text" in caplog.text


def test_huge_text_is_cut_and_logged(nlp_models, caplog):
    paragraph = "Le 4 avril 2025, le Kazakhstan a signé un accord avec la Mongolie à Astana. " * 8
    text = (paragraph + "\n") * (5_000_000 // len(paragraph))
    assert len(text) > 4_900_000
    with caplog.at_level(logging.INFO, logger="steppe.knowledge.extraction"):
        result = extract(text, published_on=date(2025, 4, 10))
    assert "only the first" in caplog.text
    assert result.language == "fr"
    assert {"KZ", "MN"} <= set(result.country_codes())


def test_unsupported_language_gives_countries_only(caplog):
    text = (
        "Türkmenistanyň Prezidenti Aşgabatda goňşy ýurtlaryň ýolbaşçylary bilen duşuşdy. Ashgabat"
    )
    with caplog.at_level(logging.INFO, logger="steppe.knowledge.extraction"):
        result = extract(text, published_on=date(2025, 1, 1))
    assert result.language == "tk"
    assert result.entities == []
    assert result.events == []
    assert result.country_codes() == ["TM"]
    assert "not served" in caplog.text


def test_mixed_scripts_are_noted(nlp_models, caplog):
    text = (
        "Le 4 avril 2025, le président a parlé à Astana. "
        "Президент Казахстана выступил в Астане перед депутатами парламента страны."
    )
    with caplog.at_level(logging.INFO, logger="steppe.knowledge.extraction"):
        result = extract(text, published_on=date(2025, 4, 10))
    assert "mixed scripts" in caplog.text
    assert result.country_codes() == ["KZ"]


def test_junk_does_not_crash():
    junk = "\x00\ufffd" * 50 + "%%%% //// 12/99/9999 ;;; \u202e" * 100
    result = extract(junk)
    assert result.events == []
