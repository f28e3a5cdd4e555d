"""Seed the regions, the countries of the region and their main partners, and the themes.

The data lives in this file on purpose: a data migration must not import application code.
"""

from django.db import migrations

# slug, French, English, Russian
REGIONS = [
    ("asie-centrale", "Asie centrale", "Central Asia", "Центральная Азия"),
    ("asie-du-nord-est", "Asie du Nord-Est", "Northeast Asia", "Северо-Восточная Азия"),
    ("asie-du-sud", "Asie du Sud", "South Asia", "Южная Азия"),
    ("caucase", "Caucase", "Caucasus", "Кавказ"),
    ("europe", "Europe", "Europe", "Европа"),
    ("moyen-orient", "Moyen-Orient", "Middle East", "Ближний Восток"),
    ("ameriques", "Amériques", "Americas", "Америка"),
]

# ISO code, slug, French, French with article, English, Russian, region slug, covered by Steppe
COUNTRIES = [
    (
        "KZ",
        "kazakhstan",
        "Kazakhstan",
        "le Kazakhstan",
        "Kazakhstan",
        "Казахстан",
        "asie-centrale",
        True,
    ),
    (
        "KG",
        "kirghizistan",
        "Kirghizistan",
        "le Kirghizistan",
        "Kyrgyzstan",
        "Киргизия",
        "asie-centrale",
        True,
    ),
    (
        "TJ",
        "tadjikistan",
        "Tadjikistan",
        "le Tadjikistan",
        "Tajikistan",
        "Таджикистан",
        "asie-centrale",
        True,
    ),
    (
        "TM",
        "turkmenistan",
        "Turkménistan",
        "le Turkménistan",
        "Turkmenistan",
        "Туркменистан",
        "asie-centrale",
        True,
    ),
    (
        "UZ",
        "ouzbekistan",
        "Ouzbékistan",
        "l'Ouzbékistan",
        "Uzbekistan",
        "Узбекистан",
        "asie-centrale",
        True,
    ),
    ("MN", "mongolie", "Mongolie", "la Mongolie", "Mongolia", "Монголия", "asie-du-nord-est", True),
    (
        "AF",
        "afghanistan",
        "Afghanistan",
        "l'Afghanistan",
        "Afghanistan",
        "Афганистан",
        "asie-du-sud",
        True,
    ),
    ("CN", "chine", "Chine", "la Chine", "China", "Китай", "asie-du-nord-est", False),
    ("JP", "japon", "Japon", "le Japon", "Japan", "Япония", "asie-du-nord-est", False),
    (
        "KR",
        "coree-du-sud",
        "Corée du Sud",
        "la Corée du Sud",
        "South Korea",
        "Южная Корея",
        "asie-du-nord-est",
        False,
    ),
    (
        "KP",
        "coree-du-nord",
        "Corée du Nord",
        "la Corée du Nord",
        "North Korea",
        "КНДР",
        "asie-du-nord-est",
        False,
    ),
    ("IN", "inde", "Inde", "l'Inde", "India", "Индия", "asie-du-sud", False),
    ("PK", "pakistan", "Pakistan", "le Pakistan", "Pakistan", "Пакистан", "asie-du-sud", False),
    (
        "AZ",
        "azerbaidjan",
        "Azerbaïdjan",
        "l'Azerbaïdjan",
        "Azerbaijan",
        "Азербайджан",
        "caucase",
        False,
    ),
    ("GE", "georgie", "Géorgie", "la Géorgie", "Georgia", "Грузия", "caucase", False),
    ("AM", "armenie", "Arménie", "l'Arménie", "Armenia", "Армения", "caucase", False),
    ("TR", "turquie", "Turquie", "la Turquie", "Türkiye", "Турция", "moyen-orient", False),
    ("IR", "iran", "Iran", "l'Iran", "Iran", "Иран", "moyen-orient", False),
    (
        "SA",
        "arabie-saoudite",
        "Arabie saoudite",
        "l'Arabie saoudite",
        "Saudi Arabia",
        "Саудовская Аравия",
        "moyen-orient",
        False,
    ),
    (
        "AE",
        "emirats-arabes-unis",
        "Émirats arabes unis",
        "les Émirats arabes unis",
        "United Arab Emirates",
        "ОАЭ",
        "moyen-orient",
        False,
    ),
    (
        "US",
        "etats-unis",
        "États-Unis",
        "les États-Unis",
        "United States",
        "США",
        "ameriques",
        False,
    ),
    ("RU", "russie", "Russie", "la Russie", "Russia", "Россия", "europe", False),
    ("BY", "bielorussie", "Biélorussie", "la Biélorussie", "Belarus", "Беларусь", "europe", False),
    ("CH", "suisse", "Suisse", "la Suisse", "Switzerland", "Швейцария", "europe", False),
    ("NO", "norvege", "Norvège", "la Norvège", "Norway", "Норвегия", "europe", False),
    ("QA", "qatar", "Qatar", "le Qatar", "Qatar", "Катар", "moyen-orient", False),
    ("CA", "canada", "Canada", "le Canada", "Canada", "Канада", "ameriques", False),
    (
        "AU",
        "australie",
        "Australie",
        "l'Australie",
        "Australia",
        "Австралия",
        "asie-du-nord-est",
        False,
    ),
    ("UA", "ukraine", "Ukraine", "l'Ukraine", "Ukraine", "Украина", "europe", False),
    (
        "GB",
        "royaume-uni",
        "Royaume-Uni",
        "le Royaume-Uni",
        "United Kingdom",
        "Великобритания",
        "europe",
        False,
    ),
    ("AT", "autriche", "Autriche", "l'Autriche", "Austria", "Австрия", "europe", False),
    ("BE", "belgique", "Belgique", "la Belgique", "Belgium", "Бельгия", "europe", False),
    ("BG", "bulgarie", "Bulgarie", "la Bulgarie", "Bulgaria", "Болгария", "europe", False),
    ("HR", "croatie", "Croatie", "la Croatie", "Croatia", "Хорватия", "europe", False),
    ("CY", "chypre", "Chypre", "Chypre", "Cyprus", "Кипр", "europe", False),
    ("CZ", "tchequie", "Tchéquie", "la Tchéquie", "Czechia", "Чехия", "europe", False),
    ("DK", "danemark", "Danemark", "le Danemark", "Denmark", "Дания", "europe", False),
    ("EE", "estonie", "Estonie", "l'Estonie", "Estonia", "Эстония", "europe", False),
    ("FI", "finlande", "Finlande", "la Finlande", "Finland", "Финляндия", "europe", False),
    ("FR", "france", "France", "la France", "France", "Франция", "europe", False),
    ("DE", "allemagne", "Allemagne", "l'Allemagne", "Germany", "Германия", "europe", False),
    ("GR", "grece", "Grèce", "la Grèce", "Greece", "Греция", "europe", False),
    ("HU", "hongrie", "Hongrie", "la Hongrie", "Hungary", "Венгрия", "europe", False),
    ("IE", "irlande", "Irlande", "l'Irlande", "Ireland", "Ирландия", "europe", False),
    ("IT", "italie", "Italie", "l'Italie", "Italy", "Италия", "europe", False),
    ("LV", "lettonie", "Lettonie", "la Lettonie", "Latvia", "Латвия", "europe", False),
    ("LT", "lituanie", "Lituanie", "la Lituanie", "Lithuania", "Литва", "europe", False),
    (
        "LU",
        "luxembourg",
        "Luxembourg",
        "le Luxembourg",
        "Luxembourg",
        "Люксембург",
        "europe",
        False,
    ),
    ("MT", "malte", "Malte", "Malte", "Malta", "Мальта", "europe", False),
    ("NL", "pays-bas", "Pays-Bas", "les Pays-Bas", "Netherlands", "Нидерланды", "europe", False),
    ("PL", "pologne", "Pologne", "la Pologne", "Poland", "Польша", "europe", False),
    ("PT", "portugal", "Portugal", "le Portugal", "Portugal", "Португалия", "europe", False),
    ("RO", "roumanie", "Roumanie", "la Roumanie", "Romania", "Румыния", "europe", False),
    ("SK", "slovaquie", "Slovaquie", "la Slovaquie", "Slovakia", "Словакия", "europe", False),
    ("SI", "slovenie", "Slovénie", "la Slovénie", "Slovenia", "Словения", "europe", False),
    ("ES", "espagne", "Espagne", "l'Espagne", "Spain", "Испания", "europe", False),
    ("SE", "suede", "Suède", "la Suède", "Sweden", "Швеция", "europe", False),
]

# slug, French, English, Russian
THEMES = [
    ("energie", "Énergie", "Energy", "Энергетика"),
    ("securite", "Sécurité", "Security", "Безопасность"),
    ("climat", "Climat", "Climate", "Климат"),
    ("mineraux-critiques", "Minéraux critiques", "Critical minerals", "Критически важные минералы"),
    ("diplomatie", "Diplomatie", "Diplomacy", "Дипломатия"),
    ("economie", "Économie", "Economy", "Экономика"),
    ("eau", "Eau", "Water", "Вода"),
    ("numerique", "Numérique et IA", "Digital and AI", "Цифровые технологии и ИИ"),
    ("culture", "Culture", "Culture", "Культура"),
    ("societe", "Société", "Society", "Общество"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("taxonomy", "Region")
    Country = apps.get_model("taxonomy", "Country")
    Theme = apps.get_model("taxonomy", "Theme")
    regions = {}
    for position, (slug, fr, en, ru) in enumerate(REGIONS):
        regions[slug], _ = Region.objects.update_or_create(
            slug=slug, defaults={"name_fr": fr, "name_en": en, "name_ru": ru, "position": position}
        )
    for code, slug, fr, fr_article, en, ru, region, is_focus in COUNTRIES:
        Country.objects.update_or_create(
            code=code,
            defaults={
                "slug": slug,
                "name_fr": fr,
                "name_fr_article": fr_article,
                "name_en": en,
                "name_ru": ru,
                "region": regions[region],
                "is_focus": is_focus,
            },
        )
    for position, (slug, fr, en, ru) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name_fr": fr, "name_en": en, "name_ru": ru, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
