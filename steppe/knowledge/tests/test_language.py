import pytest

from steppe.knowledge.extraction.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le président kazakh a rencontré son homologue ouzbek à Samarcande.", "fr"),
        ("The Kazakh president met his Uzbek counterpart in Samarkand on Friday.", "en"),
        ("Президент Казахстана встретился с президентом Узбекистана в Самарканде.", "ru"),
        (
            "Oʻzbekiston Respublikasi Prezidenti qoʻshni davlatlar rahbarlari bilan uchrashdi va "
            "hamkorlik masalalarini muhokama qildi.",
            "uz",
        ),
        ("Қазақстан Республикасының Президенті көрші елдердің басшыларымен кездесті.", "kk"),
        (
            "Кыргыз Республикасынын Президенти Бишкекте коңшу өлкөлөрдүн лидерлери менен жолукту.",
            "ky",
        ),
        ("Президенти Ҷумҳурии Тоҷикистон дар шаҳри Душанбе бо роҳбарони кишварҳо вохӯрд.", "tg"),
        ("Türkmenistanyň Prezidenti Aşgabatda goňşy ýurtlaryň ýolbaşçylary bilen duşuşdy.", "tk"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text).code == expected


@pytest.mark.parametrize("text", ["", "Bonjour", "Astana, 2025", "Oui oui non"])
def test_short_texts_are_unknown(text):
    guess = detect_language(text)
    assert guess.code == ""
    assert "too short" in guess.reason
