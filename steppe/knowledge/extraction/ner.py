"""People, organisations and places: spaCy for French, slovnet (natasha) for Russian, rules for English.

Models load lazily, once per process and per language (`_french()`, `_russian()`), with only the
components used: spaCy's `tok2vec` + `ner` (the parser, lemmatiser and morphologiser are excluded),
natasha's news embedding + NER tagger, pymorphy2 for Russian names' nominative forms.

English: no spaCy English pipeline is installable from PyPI here (en_core_web_sm is published on GitHub
only) and the French model reads English badly (it tags "Mongolia hosted the summit" as a person), so
English uses rules: runs of capitalised words, classified by organisation keywords, acronyms, titles
before a name ("President", "Minister"…) and the gazetteer. Its recall is lower than the models'.

Every span is then validated: page chrome and function words trimmed from its edges, spans across line
breaks cut, verb forms glued after a name removed ("Battsetseg Batmunkh Souligné"), and country and city
names relabelled from the gazetteer (the French model tags "Mongolie" as MISC or ORG).
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .countries import CountryHit, country_of, find_countries
from .text import CYRILLIC as CYRILLIC_NAME
from .text import Sentence, entity_key, fold

logger = logging.getLogger(__name__)

PERSON, ORGANISATION, PLACE = "person", "organisation", "place"


@dataclass(frozen=True)
class EntitySpan:
    kind: str
    start: int
    end: int
    text: str  # as written
    name: str  # the name to register: nominative for Russian, articles dropped
    key: str  # entity_key(name)


_ORG_WORDS = frozenset(
    """banque bank organisation organization union ministere ministry fonds fund agence agency
    commission conseil council comite committee parlement parliament assemblee assembly parti
    party forum universite university institut institute societe company corporation groupe
    group association programme program initiative cour court gouvernement government office
    autorite authority federation nations otan nato ocs sco asean onu ue eu jsc llc ltd inc plc
    bourse exchange academie academy centre center fondation foundation alliance cooperation
    bureau secretariat communaute community senat senate douma kurultai majilis mazhilis khural
    jogorku oliy ambassade embassy ong ngo commissariat corporation holding airlines railways
    sberbank gazprom rosatom kazmunaygas samruk банк организация союз министерство фонд
    агентство комиссия совет комитет парламент ассамблея партия форум университет институт
    компания корпорация группа ассоциация программа суд правительство федерация сотрудничества
    содружество сенат дума курултай мажилис хурал""".split()  # noqa: SIM905 (a word list reads better as text)
)
_CHROME = frozenset(
    """files fichiers published publie detail details souligne partager share lire voir read more
    menu accueil home newsletter cookies telecharger download pdf sommaire contents tags""".split()  # noqa: SIM905 (a word list reads better as text)
)
_FUNCTION_WORDS = frozenset(
    """le la les l un une des du de d au aux et ou en dans sur pour par avec selon mais donc car ce
    cette ces son sa ses leur leurs il elle ils elles on nous vous je tu apres avant depuis lors
    quand si comme the a an of in on at to for by with from and or but as after before since
    when while according this that these those his her its their he she they we it mr mrs ms m
    mme dr monsieur madame president presidente premier ministre chef secretaire directeur porte
    parole ambassadeur homologue general generale vice minister prime foreign chairman
    chairwoman secretary director ambassador spokesman spokeswoman spokesperson counterpart
    leader governor mayor envoy chancellor king queen deputy вчера сегодня завтра однако также
    кроме после перед между президент премьер министр глава председатель посол""".split()  # noqa: SIM905 (a word list reads better as text)
)
_RU_ORG_STEMS = (
    "банк",
    "организаци",
    "союз",
    "министерств",
    "фонд",
    "агентств",
    "комисси",
    "совет",
    "комитет",
    "парламент",
    "ассамбле",
    "парти",
    "форум",
    "университет",
    "институт",
    "компани",
    "корпораци",
    "групп",
    "ассоциаци",
    "программ",
    "правительств",
    "федераци",
    "сотрудничеств",
    "содружеств",
    "сенат",
    "курултай",
    "мажилис",
    "хурал",
)
# Organisations the models often miss or mislabel in this corpus (hand-curated, extendable; the
# entity registry's confirmed names are meant to join this list — see issue #8).
KNOWN_ORGANISATIONS = frozenset(
    " ".join(name.split())
    for name in [
        "Kazatomprom",
        "Samruk-Kazyna",
        "KazMunayGas",
        "QazaqGaz",
        "Air Astana",
        "Uzbekneftegaz",
        "Uzbekistan Airways",
        "\n    Navoiyuran",
        "Orano",
        "Rio Tinto",
        "Gazprom",
        "Rosatom",
        "Lukoil",
        "Rosneft",
        "CNPC",
        "Sinopec",
        "Huawei",
        "TotalEnergies",
        "\n    Erdenes Mongol",
        "Erdenes Tavan Tolgoi",
        "MIAT",
        "Grand Khoural d’État",
        "Grand Khoural d'État",
        "State Great Khural",
        "\n    Jogorku Kenesh",
        "Oliy Majlis",
        "Majilis",
        "Mäjilis",
        "Mejlis",
        "Khalk Maslakhaty",
        "Majlisi Oli",
        "Kurultaï",
        "Akorda",
        "\n    Газпром",
        "Росатом",
        "Казатомпром",
        "Самрук-Казына",
        "Жогорку Кенеш",
        "Олий Мажлис",
        "Мажилис",
        "Великий Государственный Хурал",
        # International and regional bodies by their acronyms (fr, en, ru): the models miss
        # most of them, and an upper-case word is too often not an organisation to guess.
        "ONU",
        "OTAN",
        "OSCE",
        "OTSC",
        "OCS",
        "CEI",
        "UEE",
        "FMI",
        "BERD",
        "BAD",
        "BAII",
        "BEI",
        "OMC",
        "OPEP",
        "AIEA",
        "AIE",
        "PNUD",
        "UNESCO",
        "UNICEF",
        "OMS",
        "CICR",
        "HCR",
        "BRICS",
        "UN",
        "NATO",
        "CSTO",
        "SCO",
        "CIS",
        "EAEU",
        "IMF",
        "EBRD",
        "ADB",
        "AIIB",
        "EIB",
        "WTO",
        "OPEC",
        "IAEA",
        "IEA",
        "UNDP",
        "UNHCR",
        "ICRC",
        "USAID",
        "CAREC",
        "ООН",
        "НАТО",
        "ОБСЕ",
        "ОДКБ",
        "ШОС",
        "СНГ",
        "ЕАЭС",
        "МВФ",
        "ЕБРР",
        "АБР",
        "ЕАБР",
        "ВТО",
        "МАГАТЭ",
        "ОПЕК",
        "БРИКС",
        # Companies, banks and agencies of the region and their main partners.
        "KTZ",
        "Kazakhstan Temir Zholy",
        "Qazaqstan Temir Joly",
        "Kazakhtelecom",
        "Halyk Bank",
        "Kaspi.kz",
        "Freedom Holding",
        "Kazakhmys",
        "Eurasian Resources Group",
        "Tengizchevroil",
        "North Caspian Operating Company",
        "NCOC",
        "Caspian Pipeline Consortium",
        "Karachaganak Petroleum Operating",
        "KazTransOil",
        "KEGOC",
        "Uzbekistan Temir Yullari",
        "O‘zbekiston temir yo‘llari",
        "Almalyk MMC",
        "Navoi Mining",
        "Uzbekhydroenergo",
        "Kyrgyzaltyn",
        "Kumtor Gold Company",
        "Centerra Gold",
        "Barki Tojik",
        "TALCO",
        "Türkmengaz",
        "Turkmengaz",
        "Türkmennebit",
        "Turkmennebit",
        "Turkmenistan Airlines",
        "Erdenes Oyu Tolgoi",
        "Mongolian Mining Corporation",
        "MIAT Mongolian Airlines",
        "Cameco",
        "Glencore",
        "Chevron",
        "ExxonMobil",
        "Eni",
        "Alstom",
        "Siemens",
        "Airbus",
        "Boeing",
        "Hyundai",
        "Samsung",
        "Transneft",
        "Inter RAO",
        "Russian Railways",
        "VTB",
        "PetroChina",
        "CNNC",
        "China National Nuclear Corporation",
        "CITIC",
        "State Grid",
        "Xinhua",
        "TASS",
        "RIA Novosti",
        "Reuters",
        "AFP",
        "Kazinform",
        "Tengrinews",
        "Kun.uz",
        "Gazeta.uz",
        "AKIpress",
        "Kabar",
        "Khovar",
        "Asia-Plus",
        "Montsame",
        "Eurasianet",
        "Amanat",
        "Nur Otan",
        "Ata Meken",
        "Ak Jol",
        "Казахстан темир жолы",
        "Казахтелеком",
        "Халык банк",
        "Казмунайгаз",
        "Узбекнефтегаз",
        "Кыргызалтын",
        "Барки Точик",
        "Туркменгаз",
        "Транснефть",
        "Лукойл",
        "Роснефть",
        "Сбербанк",
        "Интер РАО",
        "Синьхуа",
        "ТАСС",
        "Казинформ",
        "Кабар",
        "Ховар",
        "Монцамэ",
    ]
)
_EVENT_WORDS = frozenset(
    """games summit day week festival cup olympics expo conference award prize championship
    marathon biennale jeux sommet journée festival coupe conférence""".split()  # noqa: SIM905 (a word list reads better as text)
)
_REGION_WORDS = frozenset(
    """central asia asian europe european eurasia eurasian africa african america american americas
    middle east eastern western northern southern caspian sea silk road corridor steppe region
    pacific atlantic arctic""".split()  # noqa: SIM905 (a word list reads better as text)
)
_PORTFOLIOS = re.compile(
    r"^(?:affaires\s+(?:étrangères|intérieures|sociales)|foreign\s+affairs|internal\s+affairs|"
    r"économie|finances|défense|énergie|justice|santé|éducation)$",
    re.IGNORECASE,
)
_PARTICLES = frozenset(
    """de du des la le d van von der al el ibn bin ben ul uulu kyzy ogly uly""".split()  # noqa: SIM905 (a word list reads better as text)
)
_VERB_ENDING = re.compile(r"(?:é|ée|és|ées|ait|aient|ant|era|ira|ed)$")
_TITLE_BEFORE = re.compile(
    r"(?:President|Prime\s+Minister|Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Ambassador|Chairman|Chairwoman|"
    r"Secretary(?:-General)?|Governor|Mayor|Chancellor|King|Queen|Envoy|Deputy|Senator|Professor|"
    r"CEO|Director|Speaker|leader|counterpart|spokesman|spokeswoman|spokesperson|minister|president|"
    r"premier|economist|analyst|researcher|journalist|activist)\s*$"
)
_EN_CANDIDATE = re.compile(
    r"(?:[A-Z][\w’'.\-]*[\w]|[A-Z])(?:\s+(?:(?:of|for|de|du|al)\s+(?:the\s+)?)?(?:[A-Z][\w’'.\-]*\w|[A-Z]{2,}))*"
)
_EN_NOT_NAMES = frozenset(
    """the in on at to for by with from and or but as after before since when while according this
    that these those his her its their he she they we it there here what which who how a an of
    january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday however meanwhile also yet still both all
    some many most several other others such last next president minister prime foreign mr mrs
    ms dr on""".split()  # noqa: SIM905 (a word list reads better as text)
)
_EN_TITLES = frozenset(
    """president minister ambassador chairman chairwoman secretary secretary-general governor
    mayor chancellor envoy deputy senator professor director speaker ceo spokesman spokeswoman
    spokesperson premier""".split()  # noqa: SIM905 (a word list reads better as text)
)
_EN_VERB_AFTER = re.compile(
    r"[\s,]+(?:(?:has|had|have|will|would|was|is|also|then|later|again)\s+)?(?:[a-z]+ed|said|says|"
    r"met|meets|told|tells|made|took|gave|sent|won|led|spoke|wrote|went|came|held|saw|left|"
    r"became|began|flew|signed|visits|arrives|calls|warns|urges|plans|wants)\b"
)
_ARTICLE_PREFIX = re.compile(
    r"^(?:(?:le|la|les|l['’]|the|du|des|de\s+la|de\s+l['’]|d['’])\s*)+", re.IGNORECASE
)


def _org_like(name: str) -> bool:
    for word in re.findall(r"\w+", name):
        folded = fold(word)
        if folded in _ORG_WORDS or (len(folded) > 3 and folded.startswith(_RU_ORG_STEMS)):
            return True
    return False


_KNOWN_BY_LENGTH = sorted(KNOWN_ORGANISATIONS, key=len, reverse=True)
# Russian names also match declined ("Казатомпрома", "Газпромом"); the name registered is the list's.
_KNOWN_ORG_PATTERN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(n) + (r"(?:а|у|ом|е|ы|ой|ию|ии|ией)?" if CYRILLIC_NAME.search(n[-1]) else "")
        for n in _KNOWN_BY_LENGTH
    )
    + r")(?!\w)"
)


def _known_name(surface: str) -> str:
    return next(n for n in _KNOWN_BY_LENGTH if surface.startswith(n))


# "Fonds monétaire international (FMI)": a name followed by its acronym in parentheses.
_ACRONYM = re.compile(r"\(\s*([A-ZА-ЯЁ][A-ZА-ЯЁ0-9]{1,7})\s*\)")
_ACRONYM_SKIP = frozenset(
    """de du des d l la le les et pour dans sur en a au aux of for the and on in to at
    о по и в на для""".split()  # noqa: SIM905 (a word list reads better as text)
)


def _acronym_expansions(text: str) -> list[tuple[int, int, int, int]]:
    """(name start, name end, acronym start, acronym end) for every "Long Name (LN)" of `text`.

    The name is the shortest run of words before the parenthesis, starting with a capital, whose
    initials (function words skipped, a hyphenated word counting once) spell the acronym.
    """
    found = []
    for match in _ACRONYM.finditer(text):
        letters = fold(match.group(1))
        if not letters.isalpha():
            continue
        low = max(0, match.start() - 200)
        before = text[low : match.start()]
        if before[-1:] not in (" ", "\u00a0"):
            continue
        tokens = list(re.finditer(r"[\w\-]+", before))
        initials = ""
        for token in reversed(tokens):
            word = token.group()
            if fold(word) in _ACRONYM_SKIP:
                continue
            initials = fold(word)[0] + initials
            if not letters.endswith(initials):
                break
            if initials == letters:
                start, end = low + token.start(), low + tokens[-1].end()
                if word[0].isupper() and not re.search(r"[,;:.!?()«»\"\n]", text[start:end]):
                    found.append((start, end, match.start(1), match.end(1)))
                break
    return found


@cache
def _french():
    import spacy

    return spacy.load(
        "fr_core_news_sm",
        exclude=["parser", "lemmatizer", "attribute_ruler", "morphologizer", "senter"],
    )


@cache
def _russian():
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


@cache
def _morph():
    import inspect

    if not hasattr(inspect, "getargspec"):
        # pymorphy2 0.9 calls inspect.getargspec, removed in Python 3.11; the first four fields of
        # getfullargspec are the same tuple. pymorphy3 would not need this, but natasha 1.6
        # requires pymorphy2 and imports it (through yargy) on `import natasha`, and pymorphy3's
        # dawg2-python installs the same `dawg_python` module as pymorphy2's dawg-python: the two
        # cannot sit side by side. Revisit when natasha moves to pymorphy3.
        inspect.getargspec = lambda func: tuple(inspect.getfullargspec(func)[:4])

    import pymorphy2
    import pymorphy2_dicts_ru

    # An explicit path: pymorphy2 0.9 finds its dictionaries through pkg_resources, absent on 3.11+.
    return pymorphy2.MorphAnalyzer(path=pymorphy2_dicts_ru.get_path())


def load_models(language: str) -> None:
    """Load the models a language needs now (a worker can call this at start-up)."""
    if language == "fr":
        _french()
    elif language == "ru":
        _russian()
        _morph()


_CAPITALISED_INSIDE = re.compile(r"\s[A-ZÀ-ÖØ-ÞА-ЯЁ]")


_CAPITALISED_WORD = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'\-]*")
_CHUNK_CHARS = 2000


@cache
def _french_stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(fold(word) for word in STOP_WORDS) | _FUNCTION_WORDS


def _may_hold_a_name(sentence: Sentence, covered: list[tuple[int, int]]) -> bool:
    """False when every capitalised word is a sentence-initial common word or a gazetteer hit:
    such a sentence has no person or organisation for the model to find, so it is not run."""
    stop_words = _french_stop_words()
    for match in _CAPITALISED_WORD.finditer(sentence.text):
        start = sentence.start + match.start()
        if any(low <= start < high for low, high in covered):
            continue
        core = re.split(r"[’']", match.group())[-1]  # "L’Organisation" → "Organisation"
        if match.start() == 0 and fold(core) in stop_words:
            continue
        return True
    return False


def _raw_french(
    text: str, sentences: list[Sentence], covered: list[tuple[int, int]]
) -> Iterable[tuple[str, int, int]]:
    nlp = _french()
    chosen = [s for s in sentences if _may_hold_a_name(s, covered)]
    # Sentences go to the model in chunks of a few (joined by line breaks, which spans never cross):
    # one doc per sentence costs ~20 % more, one doc per item gives nothing to skip.
    chunks: list[list[Sentence]] = []
    for sentence in chosen:
        if chunks and sum(len(s.text) + 1 for s in chunks[-1]) + len(sentence.text) < _CHUNK_CHARS:
            chunks[-1].append(sentence)
        else:
            chunks.append([sentence])
    labels = {"PER": PERSON, "ORG": ORGANISATION, "LOC": PLACE, "MISC": "misc"}
    texts = ("\n".join(s.text for s in chunk) for chunk in chunks)
    for chunk, doc in zip(chunks, nlp.pipe(texts, batch_size=32), strict=True):
        offsets = []
        position = 0
        for sentence in chunk:
            offsets.append((position, sentence))
            position += len(sentence.text) + 1
        for ent in doc.ents:
            base, sentence = next((o, s) for o, s in reversed(offsets) if o <= ent.start_char)
            start = sentence.start + ent.start_char - base
            end = min(sentence.start + ent.end_char - base, sentence.end)
            yield labels.get(ent.label_, "misc"), start, end


def _raw_russian(text: str) -> Iterable[tuple[str, int, int]]:
    from natasha import Doc

    segmenter, tagger = _russian()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    labels = {"PER": PERSON, "ORG": ORGANISATION, "LOC": PLACE}
    for span in doc.spans:
        yield labels.get(span.type, "misc"), span.start, span.stop


def _raw_english(text: str, sentences: list[Sentence]) -> Iterable[tuple[str, int, int]]:
    for sentence in sentences:
        for match in _EN_CANDIDATE.finditer(sentence.text):
            words = match.group().split()
            start = sentence.start + match.start()
            # Drop leading function words ("The", "In", "According") and titles.
            while words and (
                fold(words[0]).strip(".") in _EN_NOT_NAMES
                or (
                    len(words) > 1 and (entry := country_of(words[0])) and entry.kind == "adjective"
                )
            ):
                start += len(words[0]) + 1
                start = text.index(words[1], start - 1) if len(words) > 1 else start
                words = words[1:]
            while words and fold(words[-1]).strip(".") in _EN_NOT_NAMES:
                words = words[:-1]
            titled = False
            # "Energy Minister Daler Juma": the name is what follows the last title word.
            for index in range(len(words) - 2, -1, -1):
                if fold(words[index]).strip(".") in _EN_TITLES:
                    start = text.index(words[index + 1], start + len(" ".join(words[: index + 1])))
                    words, titled = words[index + 1 :], True
                    break
            if not words:
                continue
            end = text.index(words[-1], start) + len(words[-1])
            surface = text[start:end]
            if country_of(surface) or all(fold(w) in _REGION_WORDS for w in words):
                continue
            if fold(words[-1]) in _EVENT_WORDS:
                continue
            before = text[max(sentence.start, start - 40) : start]
            if _org_like(surface) or re.fullmatch(r"[A-Z]{2,6}", surface):
                yield ORGANISATION, start, end
            elif (titled or _TITLE_BEFORE.search(before)) and not _org_like(surface):
                yield PERSON, start, end  # "Energy Minister Daler Juma", "President Japarov"
            elif (
                2 <= len(words) <= 3
                and all(
                    w[0].isupper() and w[1:].replace("-", "").islower()
                    for w in words
                    if w not in _PARTICLES
                )
                # At a sentence's start, a name needs a verb after it ("Shavkat Mirziyoyev met").
                and (start != sentence.start or _EN_VERB_AFTER.match(text, end))
            ):
                yield PERSON, start, end


def _trim(kind: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    surface = text[start:end]
    if "\n" in surface:  # glued across a line break: keep the first line
        end = start + surface.index("\n")
    tokens = [
        (m.start() + start, m.end() + start) for m in re.finditer(r"[\w’'.\-]+", text[start:end])
    ]

    def word(token: tuple[int, int]) -> str:
        return fold(text[token[0] : token[1]]).strip(".’'-")

    while tokens and (word(tokens[0]) in _CHROME or word(tokens[0]) in _FUNCTION_WORDS):
        tokens = tokens[1:]
    while tokens and (word(tokens[-1]) in _CHROME or word(tokens[-1]) in _FUNCTION_WORDS):
        tokens = tokens[:-1]
    if kind == PERSON:
        while len(tokens) >= 2 and (
            text[tokens[-1][0]].islower()
            or (len(tokens) >= 3 and _VERB_ENDING.search(word(tokens[-1])))
        ):
            tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0][0], tokens[-1][1]


# Common nouns written with a capital that the models take for names when they stand alone ("les
# chefs d'État", "le Parlement a voté"): never an entity by themselves, only inside a longer name
# ("Grand Khoural d'État"). Folded forms, fr/en/ru.
_GENERIC_NAMES = frozenset(
    """etat etats gouvernement parlement president presidente presidence ministere ministre
    republique region regions capitale pays nation nations senat assemblee conseil commission cour
    tribunal armee police constitution occident orient nord sud est ouest centre
    state states government parliament president ministry minister republic region capital
    country nation senate assembly council commission court army police constitution west east
    north south
    государство правительство парламент президент министерство министр республика регион
    столица страна сенат совет комиссия суд армия полиция конституция запад восток""".split()  # noqa: SIM905 (a word list reads better as text)
)


def _valid(kind: str, surface: str) -> bool:
    words = surface.split()
    if len(surface) < 2 or (not surface[0].isupper() and not surface[0].isdigit()):
        return False
    if len(words) == 1 and fold(surface).strip(".") in _GENERIC_NAMES:
        return False
    if any(fold(w).strip(".") in _CHROME for w in words):
        return False
    if kind == PERSON:
        if len(words) > 5 or any(ch.isdigit() for ch in surface):
            return False
        return all(w[0].isupper() or fold(w) in _PARTICLES for w in words)
    if kind == ORGANISATION:
        return len(words) <= 12
    return len(words) <= 6


def _register_name(kind: str, surface: str, language: str) -> str:
    name = " ".join(surface.split())
    if language == "ru":
        return _russian_nominative(kind, name)
    name = _ARTICLE_PREFIX.sub("", name) if kind != PERSON else name
    name = re.sub(r"['’]s$", "", name)
    return name[:1].upper() + name[1:] if name else name


def _russian_nominative(kind: str, name: str) -> str:
    """The nominative of a Russian name or organisation ("Шавкатом Мирзиёевым" → "Шавкат Мирзиёев")."""
    morph = _morph()
    words = name.split()
    if kind == PERSON:
        return " ".join(
            "-".join(_person_word(morph, part) for part in word.split("-")) for word in words
        )
    out = list(words)
    head = None
    for index, word in enumerate(words):
        if word.isupper() or not re.search(r"[а-яё]", word, re.IGNORECASE):
            if head is None and index == 0:
                return name  # "ШОС", "ЕАЭС …": already a name
            continue
        parse = morph.parse(word)[0]
        if "NOUN" in parse.tag:
            inflected = parse.inflect({"nomn"})
            form = inflected.word if inflected else word
            out[index] = form.capitalize() if word[0].isupper() else form
            head = parse
            for previous in range(index):
                adjective = morph.parse(words[previous])[0]
                if "ADJF" not in adjective.tag:
                    continue
                grammemes = (
                    {"nomn", "plur"}
                    if "plur" in parse.tag
                    else {"nomn", parse.tag.gender or "masc"}
                )
                inflected = adjective.inflect(grammemes)
                if inflected:
                    form = inflected.word
                    out[previous] = form.capitalize() if words[previous][0].isupper() else form
            break
    return " ".join(out)


def _person_word(morph, part: str) -> str:
    parses = [p for p in morph.parse(part) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
    if not parses or any("nomn" in p.tag for p in parses):
        return part
    inflected = parses[0].inflect({"nomn", "sing"})
    return inflected.word.capitalize() if inflected else part


def find_entities(
    text: str,
    language: str,
    sentences: list[Sentence],
    country_hits: "list[CountryHit] | None" = None,
) -> list[EntitySpan]:
    """Validated people, organisations and places of `text`, written in `language`.

    `country_hits` (from `find_countries`) lets the French model skip sentences whose only
    capitalised words are countries and cities; those cities become places here directly.
    """
    if country_hits is None:
        country_hits = find_countries(text)
    covered = [(hit.start, hit.end) for hit in country_hits]
    if language == "fr":
        raw = _raw_french(text, sentences, covered)
    elif language == "ru":
        raw = _raw_russian(text)
    elif language == "en":
        raw = _raw_english(text, sentences)
    else:
        return []
    spans: list[EntitySpan] = []
    # Spans whose name is known before the model speaks: listed organisations, and names that
    # an acronym in parentheses delimits; model spans overlapping them are dropped.
    forced: dict[tuple[int, int], str] = {}
    acronyms: dict[str, tuple[int, int]] = {}
    for match in _KNOWN_ORG_PATTERN.finditer(text):
        forced[match.span()] = _known_name(match.group())
    for start, end, acronym_start, acronym_end in _acronym_expansions(text):
        # A listed name before the parenthesis ("Kazakhstan Temir Zholy (KTZ)") is the full name.
        full = next((span for span in forced if span[0] < end and start < span[1]), (start, end))
        forced.setdefault(full, "")
        acronym = text[acronym_start:acronym_end]
        acronyms[acronym] = full
        for use in re.finditer(rf"(?<!\w){re.escape(acronym)}(?!\w)", text):
            forced.setdefault(use.span(), "")
    known = [(ORGANISATION, start, end) for start, end in forced]
    taken = list(forced)
    raw = known + [span for span in raw if not any(s < span[2] and span[1] < e for s, e in taken)]
    for kind, raw_start, raw_end in raw:
        trimmed = _trim(kind, text, raw_start, raw_end)
        if trimmed is None:
            continue
        start, end = trimmed
        surface = text[start:end]
        entry = country_of(surface) or country_of(_ARTICLE_PREFIX.sub("", surface))
        if entry is not None:
            if entry.kind != "city":
                continue  # a country: the country extractor counts it
            kind, name = PLACE, entry.canonical
        else:
            if kind in (PERSON, PLACE, "misc") and _org_like(surface):
                kind = ORGANISATION
            if kind == ORGANISATION and _PORTFOLIOS.match(surface):
                continue
            if kind == "misc" or not _valid(kind, surface):
                continue
            name = forced.get((raw_start, raw_end)) or _register_name(kind, surface, language)
            if surface in acronyms:  # "FMI" is the "Fonds monétaire international" named before
                full_start, full_end = acronyms[surface]
                name = forced.get((full_start, full_end)) or _register_name(
                    ORGANISATION, text[full_start:full_end], language
                )
                kind = ORGANISATION
        key = entity_key(name)
        if key:
            spans.append(EntitySpan(kind, start, end, surface, name, key))
    for hit in country_hits:
        if hit.city and not any(s.start < hit.end and hit.start < s.end for s in spans):
            spans.append(
                EntitySpan(PLACE, hit.start, hit.end, hit.surface, hit.city, entity_key(hit.city))
            )
    spans.sort(key=lambda span: span.start)
    return _resolve_in_item(spans)


def _resolve_in_item(spans: list[EntitySpan]) -> list[EntitySpan]:
    """Give a lone surname the full name written elsewhere in the item ("Tokaïev" → "Kassym-Jomart Tokaïev")."""
    full_names: dict[str, EntitySpan] = {}
    # Full names only: a single word ("Rogun") labelled a person once is too weak a clue.
    people = {span.key for span in spans if span.kind == PERSON and " " in span.key}
    for span in spans:
        words = span.key.split()
        if span.kind == PERSON and len(words) >= 2:
            for word in (words[-1], words[0]):
                full_names.setdefault(word, span)
    resolved = []
    for span in spans:
        if span.kind == PERSON and " " not in span.key and span.key in full_names:
            full = full_names[span.key]
            span = EntitySpan(PERSON, span.start, span.end, span.text, full.name, full.key)
        elif span.kind == PLACE and span.key in people:
            # The model read a person's name as a place in one sentence ("… à Kassym-Jomart
            # Tokaïev"): the item names that person elsewhere.
            span = EntitySpan(PERSON, span.start, span.end, span.text, span.name, span.key)
        resolved.append(span)
    return resolved
