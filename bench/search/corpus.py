"""A reproducible synthetic French corpus for the search benchmark.

Items are built from word lists written for this benchmark (names, places, organisations, topics)
with a Zipf-like choice, so that a few words are very common (in a third of the items or more) and
most are rare, as in real news. Same seed, same corpus: the file is written once under var/bench/ and
reused.
"""

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

PEOPLE = [
    "Kassym-Jomart Tokaïev",
    "Shavkat Mirziyoyev",
    "Sadyr Japarov",
    "Emomali Rahmon",
    "Serdar Berdimuhamedow",
    "Ukhnaagiin Khürelsükh",
    "Luvsannamsrain Oyun-Erdene",
    "Alikhan Smaïlov",
    "Abdulla Aripov",
    "Akylbek Japarov",
    "Mourat Nurtleu",
    "Bakhtiyor Saidov",
    "Jeenbek Kulubaev",
    "Sirojiddin Muhriddin",
    "Rashid Meredov",
    "Battsetseg Batmunkh",
    "Aïgerim Seitkali",
    "Dilnoza Karimova",
    "Timur Bekmukhamedov",
    "Saule Amanova",
    "Nurlan Yermekbayev",
    "Gulnara Ismaïlova",
    "Erlan Karin",
    "Ruslan Zhaksylykov",
    "Bolat Nurgaliyev",
    "Olzhas Suleimenov",
    "Ainur Abdrakhmanova",
    "Zhanna Kurmangaliyeva",
    "Ganbaatar Dorj",
    "Enkhbayar Tsend",
    "Munkhbat Bold",
    "Sarangerel Dashdorj",
]
PEOPLE_CYRILLIC = ["Токаев", "Мирзиёев", "Жапаров", "Рахмон", "Назарбаев", "Хурэлсүх"]
PLACES = [
    "Astana",
    "Almaty",
    "Tachkent",
    "Samarcande",
    "Boukhara",
    "Bichkek",
    "Och",
    "Douchanbé",
    "Khodjent",
    "Achgabat",
    "Turkmenbachi",
    "Oulan-Bator",
    "Erdenet",
    "Darkhan",
    "Noukous",
    "Karaganda",
    "Chymkent",
    "Aktaou",
    "Atyraou",
    "Pavlodar",
    "Khiva",
    "Ferghana",
    "Termez",
    "Kachgar",
    "Urumqi",
    "Moscou",
    "Pékin",
    "Bruxelles",
    "Paris",
    "Tokyo",
    "Séoul",
    "Ankara",
    "Téhéran",
    "New Delhi",
    "Istanbul",
    "Bakou",
    "Tbilissi",
    "Erevan",
    "Berlin",
    "Rome",
]
ORGS = [
    "l'OTAN",
    "l'UE",
    "l'ONU",
    "l'OCS",
    "l'OTSC",
    "la BERD",
    "la Banque mondiale",
    "le FMI",
    "l'OSCE",
    "la BAD",
    "l'Union économique eurasiatique",
    "l'ASEAN",
    "le G20",
    "l'OPEP",
    "la Commission européenne",
    "le Conseil de sécurité",
    "l'AIEA",
    "l'OMC",
    "l'Unesco",
]
TOPICS = [
    "coopération",
    "énergie",
    "sécurité",
    "sommet",
    "investissement",
    "gaz",
    "pétrole",
    "uranium",
    "minéraux critiques",
    "terres rares",
    "eau",
    "irrigation",
    "climat",
    "sécheresse",
    "corridor",
    "transport",
    "chemin de fer",
    "port",
    "frontière",
    "réforme",
    "élection",
    "constitution",
    "parlement",
    "diplomatie",
    "commerce",
    "exportation",
    "douane",
    "numérique",
    "intelligence artificielle",
    "cybersécurité",
    "hydrogène",
    "solaire",
    "éolien",
    "centrale",
    "nucléaire",
    "barrage",
    "hydroélectricité",
    "agriculture",
    "coton",
    "blé",
    "élevage",
    "inflation",
    "monnaie",
    "banque",
    "dette",
    "budget",
    "fiscalité",
    "corruption",
    "justice",
    "médias",
    "liberté de la presse",
    "société civile",
    "éducation",
    "université",
    "santé",
    "migration",
    "diaspora",
    "tourisme",
    "patrimoine",
    "culture",
    "langue",
    "religion",
    "défense",
    "armée",
    "manœuvres",
    "terrorisme",
    "Afghanistan",
    "talibans",
    "réfugiés",
    "mer d'Aral",
    "mer Caspienne",
    "steppe",
    "désertification",
    "pollution",
    "mines",
    "cuivre",
    "or",
    "charbon",
    "lithium",
    "aluminium",
    "acier",
    "logistique",
    "routes de la soie",
]
ADJECTIVES = [
    "régional",
    "bilatéral",
    "stratégique",
    "économique",
    "énergétique",
    "politique",
    "historique",
    "durable",
    "commun",
    "nouveau",
    "important",
    "majeur",
    "ambitieux",
    "difficile",
    "prudent",
    "central",
    "international",
    "multilatéral",
    "transfrontalier",
    "local",
    "national",
    "militaire",
    "financier",
    "technique",
    "industriel",
    "agricole",
    "climatique",
    "numérique",
]
VERBS = [
    "a annoncé",
    "a signé",
    "a présenté",
    "a rencontré",
    "a inauguré",
    "prévoit",
    "envisage",
    "a critiqué",
    "a salué",
    "a confirmé",
    "renforce",
    "discute",
    "négocie",
    "examine",
    "soutient",
    "finance",
    "lance",
    "relance",
    "suspend",
    "prolonge",
    "accélère",
    "évalue",
]
CONNECTORS = [
    "Selon les observateurs,",
    "Dans ce contexte,",
    "Par ailleurs,",
    "Pour sa part,",
    "Au même moment,",
    "De leur côté,",
    "En outre,",
    "Toutefois,",
    "Ainsi,",
    "En revanche,",
    "D'après plusieurs sources,",
    "À terme,",
    "Depuis plusieurs années,",
    "Cette semaine,",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
# Rare words: each appears in a handful of items only.
RARE_STEMS = [
    "ksar",
    "zhaï",
    "bakh",
    "kour",
    "tengr",
    "ordou",
    "kymyz",
    "yourt",
    "dombr",
    "naadam",
    "bechbar",
    "plov",
    "lagman",
    "chapan",
    "kalpak",
    "tioubet",
    "ikat",
    "souzani",
    "karakoul",
]
ENGLISH = [
    "The summit in {place} focused on {topic} and regional trade.",
    "Officials discussed energy security and investment with {org}.",
    "{person} met partners to review transport corridors.",
    "Analysts expect new agreements on water management and climate.",
]
RUSSIAN = [
    "Президент {cyr} провёл переговоры в {place}.",
    "Стороны обсудили энергетическую безопасность и инвестиции.",
    "Эксперты ожидают новых соглашений по водным ресурсам.",
]


class Zipf:
    """Pick from a list with weights 1/(rank+1)^s."""

    def __init__(self, rng: random.Random, values: list[str], s: float = 1.0) -> None:
        self.rng = rng
        self.values = values
        self.weights = [1 / (rank + 1) ** s for rank in range(len(values))]

    def __call__(self) -> str:
        return self.rng.choices(self.values, self.weights)[0]


class CorpusBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.person = Zipf(rng, PEOPLE, 0.9)
        self.place = Zipf(rng, PLACES, 0.9)
        self.org = Zipf(rng, ORGS, 0.8)
        self.topic = Zipf(rng, TOPICS, 0.8)
        self.adjective = Zipf(rng, ADJECTIVES, 0.7)
        self.verb = Zipf(rng, VERBS, 0.5)
        # Rare invented words: 19 stems x 400 endings, each used a few times in the corpus.
        self.rare = [f"{stem}{suffix}" for stem in RARE_STEMS for suffix in self._suffixes()]

    def _suffixes(self) -> list[str]:
        letters = "aeiouy"
        consonants = "bdgklmnrstvz"
        return [f"{a}{b}{c}" for a in letters for b in consonants for c in "aeio"][:400]

    def sentence(self) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.3:
            return (
                f"{self.person()} {self.verb()} à {self.place()} un projet de {self.topic()} "
                f"{self.adjective()} avec {self.org()}."
            )
        if shape < 0.55:
            return (
                f"{rng.choice(CONNECTORS)} la question de la {self.topic()} reste au cœur du "
                f"dialogue {self.adjective()} entre {self.place()} et {self.place()}."
            )
        if shape < 0.75:
            day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2008, 2025)
            return (
                f"Le {day} {month} {year}, {self.org()} {self.verb()} un accord sur la "
                f"{self.topic()} et le {self.topic()} en Asie centrale."
            )
        if shape < 0.9:
            return (
                f"Les experts estiment que la {self.topic()} {self.adjective()} dépendra des "
                f"investissements de {self.org()} et des choix de {self.person()}."
            )
        return (
            f"À {self.place()}, les habitants évoquent le {rng.choice(self.rare)} et la "
            f"{self.topic()}, loin des discours officiels."
        )

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def item(self, number: int) -> dict:
        rng = self.rng
        language = rng.choices(["fr", "en", "ru"], [90, 7, 3])[0]
        is_document = rng.random() < 0.12
        topic, place = self.topic(), self.place()
        title = rng.choice(
            [
                f"{topic.capitalize()} : {place} et {self.org()} relancent le dialogue",
                f"{self.person()} à {place} pour parler de {topic}",
                f"Le {topic} {self.adjective()}, enjeu majeur pour {place}",
                f"À {place}, la {topic} au cœur des débats",
                f"{topic.capitalize()} et {self.topic()} : ce qui change en {rng.randint(2008, 2025)}",
            ]
        )
        lead = self.paragraph(2)
        if language == "fr":
            body = "\n\n".join(self.paragraph(rng.randint(6, 9)) for _ in range(rng.randint(5, 7)))
        else:
            lines = ENGLISH if language == "en" else RUSSIAN
            body = "\n\n".join(
                " ".join(
                    rng.choice(lines).format(
                        place=self.place(),
                        topic=self.topic(),
                        org=self.org(),
                        person=self.person(),
                        cyr=rng.choice(PEOPLE_CYRILLIC),
                    )
                    for _ in range(12)
                )
                for _ in range(6)
            )
        return {
            "number": number,
            "type": "document" if is_document else "article",
            "kind": rng.choices(["news", "analysis", "opinion", "interview"], [60, 20, 15, 5])[0],
            "language": language,
            "title": title,
            "lead": lead,
            "body": body,
            "chapters": [self.paragraph(1)[:200] for _ in range(rng.randint(3, 8))]
            if is_document
            else [],
            "days_ago": rng.randint(0, 15 * 365),
            "seconds": rng.randint(0, 86_399),
            "countries": rng.sample(range(23), rng.choices([1, 2, 3], [60, 30, 10])[0]),
            "themes": rng.sample(range(10), rng.choices([1, 2], [70, 30])[0]),
            "author": rng.randint(0, 299),
        }


def corpus_path(var_dir: Path, *, seed: int, size: int) -> Path:
    return var_dir / "bench" / f"search-corpus-{seed}-{size}.jsonl.gz"


def ensure_corpus(var_dir: Path, *, seed: int, size: int) -> Path:
    """Write the corpus file once; later runs reuse it."""
    path = corpus_path(var_dir, seed=seed, size=size)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    builder = CorpusBuilder(seed)
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=3) as out:
        for number in range(size):
            out.write(json.dumps(builder.item(number), ensure_ascii=False) + "\n")
    partial.rename(path)
    return path


def read_corpus(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)
