from datetime import date

import pytest

from steppe.knowledge.extraction.dates import find_dates

REFERENCE = date(2025, 4, 10)  # a Thursday


def first(text: str, language: str = "fr", reference: date | None = REFERENCE):
    found = find_dates(text, language, reference)
    return (
        (found[0].value.edtf, found[0].value.precision, found[0].value.is_future_target)
        if found
        else None
    )


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Le 4 avril 2025, les dirigeants se sont réunis.", "fr", ("2025-04-04", "day", False)),
        (
            "Les 6 et 7 juin 2024, la Mongolie a accueilli",
            "fr",
            ("2024-06-06/2024-06-07", "day", False),
        ),
        ("du 3 au 5 mars, une conférence", "fr", ("2025-03-03/2025-03-05", "day", False)),
        ("du 28 février au 2 mars 2025", "fr", ("2025-02-28/2025-03-02", "day", False)),
        ("les 1er et 2 novembre 2023", "fr", ("2023-11-01/2023-11-02", "day", False)),
        ("en septembre 2024 le pays a signé", "fr", ("2024-09", "month", False)),
        ("en 2021, le pays a signé", "fr", ("2021", "year", False)),
        ("la neutralité carbone d’ici 2060", "fr", ("2060", "year", True)),
        ("à l’horizon 2035", "fr", ("2035", "year", True)),
        ("le 10/01/2026", "fr", ("2026-01-10", "day", False)),  # French order, not October
        ("Le ministre a déclaré mardi que", "fr", ("2025-04-08", "day", False)),
        ("Hier, le ministre", "fr", ("2025-04-09", "day", False)),
        ("le forum se tiendra en novembre", "fr", ("2025-11", "month", False)),
        ("On 4 April 2025, leaders met", "en", ("2025-04-04", "day", False)),
        ("On April 4, 2025, leaders met", "en", ("2025-04-04", "day", False)),
        ("On June 6 and 7, 2024, a forum", "en", ("2024-06-06/2024-06-07", "day", False)),
        ("net zero by 2050", "en", ("2050", "year", True)),
        ("4 апреля 2025 года лидеры", "ru", ("2025-04-04", "day", False)),
        ("6 и 7 июня 2024 года", "ru", ("2024-06-06/2024-06-07", "day", False)),
        ("с 3 по 5 марта 2025 года", "ru", ("2025-03-03/2025-03-05", "day", False)),
        ("в сентябре 2024 года", "ru", ("2024-09", "month", False)),
        ("к 2060 году", "ru", ("2060", "year", True)),
    ],
)
def test_find_dates(text, language, expected):
    assert first(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Il a environ 70 ans et sa fille 33 ans.", "fr"),  # dateparser reads 1970 here
        ("Depuis 2005, la Mongolie dialogue avec l’OTAN.", "fr"),
        ("Chaque 1er mai, le Kazakhstan célèbre l’unité.", "fr"),
        ("au début des années 2000", "fr"),
        ("Since 2016, Uzbekistan has opened up.", "en"),
        ("Prices may rise; we march on.", "en"),
        ("Это было давно.", "ru"),
    ],
)
def test_find_dates_ignores_non_events(text, language):
    assert first(text, language) is None


def test_year_less_dates_need_a_reference():
    assert first("Le 4 avril, les dirigeants", reference=None) is None
    assert first("Le 4 avril 2025, les dirigeants", reference=None) == ("2025-04-04", "day", False)


def test_year_less_date_takes_the_nearest_year():
    assert first("En décembre, le sommet a eu lieu", reference=date(2025, 1, 15)) == (
        "2024-12",
        "month",
        False,
    )
