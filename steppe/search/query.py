"""The query language readers type, parsed here so that no user text reaches an engine's syntax.

Syntax (the same as most web search engines):

- words are all required: `sommet Astana`;
- `"quoted phrase"` (or « phrase »): the words next to each other (an unbalanced quote runs to
  the end);
- `-word` or `-"a phrase"`: exclude items containing it;
- `word OR other` (also `|`): either one; OR binds tighter than the implicit AND, as in
  PostgreSQL's `websearch_to_tsquery`: `a b OR c` means a AND (b OR c).

Everything else is text: parentheses, `*`, `^`, `:`, `NEAR(`, SQL fragments are only word separators.
The result is a tree of `Token`s, `All`, `Any` and `Not` nodes that each backend renders in its own
syntax, quoting every token (see `backends/`).
"""

from dataclasses import dataclass, field

from .analysis import BIGRAM_JOINER, query_words

MAX_QUERY_LENGTH = 300  # characters read from the query string; the rest is ignored
MAX_CLAUSES = 8  # required groups (AND)
MAX_ALTERNATIVES = 4  # atoms in one OR group
MAX_EXCLUSIONS = 4
MAX_PHRASE_WORDS = 8
MAX_PHRASE_VARIANTS = 16  # bigram spellings of one pair of phrase words


# The tree the backends render.
@dataclass(frozen=True)
class Token:
    value: str


@dataclass(frozen=True)
class All:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Any:
    children: tuple["Node", ...]


Node = Token | All | Any


# What the reader typed, after analysis.
@dataclass(frozen=True)
class Atom:
    """A word (one entry in `words`) or a phrase (several), each with its alternative terms."""

    text: str
    words: tuple[tuple[str, ...], ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def node(self) -> Node:
        if not self.is_phrase:
            return _any(Token(term) for term in self.words[0])
        pairs = []
        for left, right in zip(self.words, self.words[1:], strict=False):
            variants = [f"{a}{BIGRAM_JOINER}{b}" for a in left for b in right]
            pairs.append(_any(Token(variant) for variant in variants[:MAX_PHRASE_VARIANTS]))
        return _all(pairs)


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    required: tuple[tuple[Atom, ...], ...] = ()  # AND of OR groups
    excluded: tuple[Atom, ...] = ()
    dropped: tuple[str, ...] = field(default=())  # words that carried no term (stop words)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no required word (exclusions alone select nothing)."""
        return not self.required

    def positive(self) -> Node:
        return _all(_any(atom.node() for atom in group) for group in self.required)

    def negative(self) -> Node | None:
        if not self.excluded:
            return None
        return _any(atom.node() for atom in self.excluded)

    def atoms(self) -> list[Atom]:
        return [atom for group in self.required for atom in group]

    def highlight_terms(self) -> set[str]:
        """Every term a result may contain because of the required words (for snippets)."""
        return {
            term for atom in self.atoms() for alternatives in atom.words for term in alternatives
        }

    def canonical(self) -> str:
        """A normalised spelling of the query, for cache keys and logs."""
        groups = [" OR ".join(_spell(atom) for atom in group) for group in self.required]
        return " ".join(groups + [f"-{_spell(atom)}" for atom in self.excluded])


def _spell(atom: Atom) -> str:
    text = " ".join(alternatives[0] for alternatives in atom.words)
    return f'"{text}"' if atom.is_phrase else text


def _any(nodes) -> Node:
    children = tuple(dict.fromkeys(nodes))
    return children[0] if len(children) == 1 else Any(children)


def _all(nodes) -> Node:
    children = tuple(dict.fromkeys(nodes))
    return children[0] if len(children) == 1 else All(children)


_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})


def _lex(text: str) -> list[tuple[str, str, bool]]:
    """Split into (kind, text, negated) items: kind is "word", "phrase" or "or".

    French « guillemets » and curly quotes delimit phrases too.
    """
    text = text.translate(_QUOTES)
    items: list[tuple[str, str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        negated = False
        if char == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end
            items.append(("phrase", text[i + 1 : end], negated))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        chunk = text[start:i]
        if not negated and chunk in {"OR", "|", "||"}:
            items.append(("or", chunk, False))
        else:
            items.append(("word", chunk, negated))
    return items


def parse_query(raw: str) -> ParsedQuery:
    """Parse what a reader typed; never raises, whatever the text."""
    text = (raw or "")[:MAX_QUERY_LENGTH]
    groups: list[list[Atom]] = []
    excluded: list[Atom] = []
    dropped: list[str] = []
    join_next = False
    for kind, chunk, negated in _lex(text):
        if kind == "or":
            join_next = bool(groups)
            continue
        alternatives = query_words(chunk)[:MAX_PHRASE_WORDS]
        if not alternatives:
            if chunk.strip():
                dropped.append(chunk)
            join_next = False
            continue
        atom = Atom(text=chunk, words=tuple(tuple(words) for words in alternatives))
        if negated:
            if len(excluded) < MAX_EXCLUSIONS and atom not in excluded:
                excluded.append(atom)
            join_next = False
            continue
        if join_next and len(groups[-1]) < MAX_ALTERNATIVES:
            if atom not in groups[-1]:
                groups[-1].append(atom)
        elif len(groups) < MAX_CLAUSES and [atom] not in groups:
            groups.append([atom])
        join_next = False
    return ParsedQuery(
        raw=text,
        required=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded),
        dropped=tuple(dropped),
    )
