"""Text analysis shared by both engines: words → index terms.

Both engines store the terms this module produces, never their own analysis of the text: SQLite FTS5
(whose built-in tokenizers have no French stemmer) and PostgreSQL (whose parser splits words
differently) therefore match exactly the same items for the same query.

A word becomes a term in four steps:

1. Unicode NFKC and case folding ("Ǆ" → "dž", "ﬁ" → "fi").
2. Cyrillic words are stemmed with the Russian Snowball stemmer, then transliterated to Latin, and the
   unstemmed transliteration is indexed too ("Токаев" → "toka" and "tokaev"), so that a Latin query
   "Tokaev" finds it: Snowball treats the end of many surnames as a suffix.
3. Other words lose their accents ("Tokaïev" → "tokaiev", "sécurité" → "securite") *before* stemming,
   as PostgreSQL's usual `unaccent, french_stem` chain does: a reader who types no accents gets the
   same stem as the text.
4. Stemming with the item's language (French, English; Russian items' Latin words use English).

Stop words are dropped; the remaining terms of a field form a stream in which each pair of
neighbours inside a sentence is also indexed as a *bigram* ("asi_central"). A quoted phrase is matched
through its bigrams: neither engine then needs word positions, which keeps both indexes small and makes a
phrase as cheap as a word (see docs/SEARCH.md).
"""

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

import snowballstemmer

MAX_TERM_LENGTH = 40  # longer "words" (hashes, base64, a 10 KB query) are cut: no index bloat
BIGRAM_JOINER = "_"

# A word is a run of letters and digits (no underscore: it joins bigrams and marks facet tokens).
# A sentence break stops bigrams, so that "… en Asie. Centrale …" does not match "Asie centrale".
_TOKEN = re.compile(r"([^\W_]+)|([.!?;:…]+)")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Kyrgyz, Mongolian, Tajik, Uzbek and Ukrainian letters.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ї": "i", "є": "e", "ґ": "g", "ў": "u", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u",
}  # fmt: skip
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})  # NFKD keeps them: "cœur" is "coeur"

STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait as au aucun aucune aupres aussi autre autres aux avaient avais avait avec
    avez aviez avions avoir avons ayant c ca ce ceci cela celle celles celui ces cet cette ceux chez ci
    comme d dans de des deja depuis donc dont du elle elles en encore entre es est et etaient etais
    etait etant ete etes etiez etions etre eu eux fait faut fois furent fut ici il ils j je jusqu l la
    le les leur leurs lors lui m ma mais me meme memes mes moi mon n ne ni nos notre nous on ont ou
    par pas pendant peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui s sa sans
    se selon ses si sien son sont sous sur t ta tandis te tes toi ton tous tout toute toutes tres tu
    un une unes uns vers vos votre vous y
    an and are as at be been but by for from had has have he her his i if in into is it its of on or
    our she so than that the their them then there these they this those to was we were which while
    who will with would you your
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас
    нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их
    чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого
    какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда
    можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая
    много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им
    более всегда конечно всю между
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_STEMMERS = {
    "fr": snowballstemmer.stemmer("french"),
    "en": snowballstemmer.stemmer("english"),
    "ru": snowballstemmer.stemmer("russian"),
}
CONTENT_LANGUAGES = ("fr", "en", "ru")


def fold(word: str) -> str:
    """Case-fold and strip accents: "Tokaïev" → "tokaiev"."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(char for char in word if not unicodedata.combining(char))
    return word.translate(_LIGATURES) if "œ" in word or "æ" in word else word


def transliterate(word: str) -> str:
    """Cyrillic → Latin, simplified (Tokaev, not Tokaïev or Tokayev): see docs/SEARCH.md."""
    return word.translate(_TRANSLIT_TABLE)


@lru_cache(maxsize=200_000)
def word_terms(word: str, language: str) -> tuple[str, ...]:
    """The index terms of one word of an item written in `language` (empty for a stop word)."""
    word = unicodedata.normalize("NFKC", word).casefold()[:MAX_TERM_LENGTH]
    if _CYRILLIC.search(word):
        word = word.replace("ё", "е")
        if word in STOP_WORDS:
            return ()
        surface = _clean(fold(transliterate(word)))
        stem = _clean(fold(transliterate(_STEMMERS["ru"].stemWord(word))))
        terms = (stem, surface) if stem != surface else (surface,)
        return tuple(term for term in terms if term)
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return ()
    stemmer = _STEMMERS["fr" if language == "fr" else "en"]
    stem = stemmer.stemWord(folded) or folded
    # The stemmer may leave characters the word regex would split (it never adds any); keep it whole.
    return (_clean(stem),)


@lru_cache(maxsize=100_000)
def query_word_terms(word: str) -> tuple[str, ...]:
    """The terms a word typed by a reader may match, in items of any language."""
    alternatives: list[str] = []
    for language in CONTENT_LANGUAGES:
        for term in word_terms(word, language):
            if term not in alternatives:
                alternatives.append(term)
    folded = fold(unicodedata.normalize("NFKC", word).casefold()[:MAX_TERM_LENGTH])
    # The unstemmed form finds transliterated Cyrillic surnames ("Tokaev" → "Токаев").
    if alternatives and not _CYRILLIC.search(folded) and folded not in alternatives:
        alternatives.append(_clean(folded))
    return tuple(term for term in alternatives if term)


def _clean(term: str) -> str:
    return "".join(_TOKEN_CHAR.findall(term))


_TOKEN_CHAR = re.compile(r"[^\W_]")


def words(text: str) -> Iterator[str | None]:
    """Words of `text` in order; None marks a sentence break."""
    for match in _TOKEN.finditer(text):
        word = match.group(1)
        yield word if word is not None else None


def field_terms(text: str, language: str) -> list[list[str]]:
    """Terms of a field, grouped per word position (a Cyrillic word has two), breaks as []."""
    stream: list[list[str]] = []
    for word in words(text):
        if word is None:
            if stream and stream[-1]:
                stream.append([])
            continue
        terms = word_terms(word, language)
        if terms:
            stream.append(list(terms))
    return stream


def bigram(left: str, right: str) -> str:
    return f"{left}{BIGRAM_JOINER}{right}"


_SENTENCE = re.compile(r"[.!?;:…]+")
_WORD = re.compile(r"[^\W_]+")
# Words and sentence breaks, in one pass over a field.
_PIECE = re.compile(r"[^\W_]+|[.!?;:…]+")
_BREAK_CHARS = frozenset(".!?;:…")
BREAK = "."  # the cached "term" of a sentence break: terms hold only letters and digits
# Entries per language in the chunk and term caches before they are emptied. Small in web and
# task processes, which index one item at a time; a reindex's workers raise it (`cache_limit_set`).
_CACHE_LIMIT = 50_000
_term_caches: dict[str, dict[str, str | tuple[str, ...]]] = {}


def add_tokens(
    texts: Iterable[str],
    language: str,
    tokens: set[str],
    unigrams: set[str] | None = None,
    counts: Counter | None = None,
) -> None:
    """Add the distinct tokens of a field to `tokens`: terms, and bigrams of neighbouring terms.

    `unigrams` receives the terms alone; `counts`, how often each term occurs (related items).
    The indexer's inner loop, written for speed (it runs on every word of 100,000 items during a
    reindex). A text is split on white space into *chunks* ("centrale.", "l'OTAN", "(ONU)"), and a
    dictionary per language maps each chunk to the values of its pieces (words and sentence
    breaks, as `_PIECE` finds them): a term, "" for a stop word, BREAK for a sentence break, a
    tuple for a word with several terms. Each distinct chunk is analysed once; `str.split` and
    dictionary look-ups cost less than half of a regular-expression pass over the text, and the
    pieces are the same (no piece contains white space).
    """
    cache = _chunk_caches.setdefault(language, {})
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
        _multi_term_chunks.clear()
    get = cache.get
    joiner = BIGRAM_JOINER
    for text in texts:
        if not text:
            continue
        chunks = text.split()
        values = list(map(get, chunks))
        if None in values:  # chunks not seen yet: analyse them (once)
            values = [
                value if value is not None else _chunk_value(cache, chunk, language)
                for value, chunk in zip(values, chunks, strict=True)
            ]
        terms = list(chain_from_iterable(values))
        if not _multi_term_chunks.isdisjoint(chunks):  # a Cyrillic word has two terms: slow path
            _add_tokens_by_sentence(terms, tokens, unigrams, counts)
            continue
        terms = list(filter(None, terms))  # stop words are ""
        if not terms:
            continue
        tokens.update(terms)
        # Neighbours inside a sentence: a pair across a break has BREAK on one side.
        tokens.update(
            [
                left + joiner + right
                for left, right in itertools.pairwise(terms)
                if left != BREAK != right
            ]
        )
        tokens.discard(BREAK)
        if unigrams is not None:
            unigrams.update(terms)
            unigrams.discard(BREAK)
        if counts is not None:
            counts.update(terms)
            counts.pop(BREAK, None)


def cache_limit_set(entries: int) -> None:
    """Let this process's analysis caches hold up to `entries` per language (reindex workers)."""
    global _CACHE_LIMIT
    _CACHE_LIMIT = entries


chain_from_iterable = itertools.chain.from_iterable
_chunk_caches: dict[str, dict[str, list]] = {}
_multi_term_chunks: set[str] = set()  # chunks with a word of several terms (Cyrillic)


def _chunk_value(cache: dict, chunk: str, language: str) -> list:
    """The values of a chunk's pieces (see `add_tokens`), cached."""
    terms = _term_caches.setdefault(language, {})
    if len(terms) > _CACHE_LIMIT:
        terms.clear()
    value = [_cached_terms(terms, piece, language) for piece in _PIECE.findall(chunk)]
    if any(type(piece) is tuple for piece in value):
        _multi_term_chunks.add(chunk)
    cache[chunk] = value
    return value


def _add_tokens_by_sentence(
    entries: list, tokens: set[str], unigrams: set[str] | None, counts: Counter | None
) -> None:
    """`add_tokens` for a text with words of several terms: each term pairs with each neighbour's."""
    previous: tuple[str, ...] = ()
    for entry in entries:
        if not entry:  # a stop word
            continue
        if entry == BREAK:
            previous = ()
            continue
        current = (entry,) if type(entry) is str else entry
        for term in current:
            tokens.add(term)
            for left in previous:
                tokens.add(left + BIGRAM_JOINER + term)
        if unigrams is not None:
            unigrams.update(current)
        if counts is not None:
            counts.update(current)
        previous = current


def cached_terms(word: str, language: str) -> str | tuple[str, ...]:
    """`word_terms`, from the indexer's cache: one term as a string, several as a tuple."""
    return _cached_terms(_term_caches.setdefault(language, {}), word, language)


def _cached_terms(cache: dict, word: str, language: str) -> str | tuple[str, ...]:
    value = cache.get(word)
    if value is None:
        if word[0] in _BREAK_CHARS:
            value = cache[word] = BREAK
            return value
        terms = word_terms(word, language)
        value = cache[word] = terms[0] if len(terms) == 1 else terms if terms else ""
    return value


def index_tokens(texts: Iterable[str], language: str) -> list[str]:
    """All distinct tokens of a field (terms and bigrams)."""
    tokens: set[str] = set()
    add_tokens(texts, language, tokens)
    return sorted(tokens)


_fold_cache: dict[str, str] = {}


def fold_cached(word: str) -> str:
    folded = _fold_cache.get(word)
    if folded is None:
        if len(_fold_cache) > _CACHE_LIMIT:
            _fold_cache.clear()
        folded = _fold_cache[word] = fold(word)
    return folded


def query_words(text: str) -> list[list[str]]:
    """Alternatives for each significant word of a piece of query text (phrase or bare word)."""
    result: list[list[str]] = []
    for word in words(text):
        if word is None:
            continue
        alternatives = query_word_terms(word)
        if alternatives:
            result.append(list(alternatives))
    return result
