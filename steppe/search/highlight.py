"""Snippets: a short window of text around the first word that matched, with <mark> around matches."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from steppe.search.analysis import _WORD, _cached_terms, _term_caches

SNIPPET_LENGTH = 240
SCAN_LIMIT = 3_000  # characters of a body scanned for a match: bounds the work per result


def _matches(text: str, terms: set[str], language: str, *, first_only: bool):
    cache = _term_caches.setdefault(language, {})
    get = cache.get
    for match in _WORD.finditer(text):
        word = match.group()
        found = get(word)
        if found is None:
            found = _cached_terms(cache, word, language)
        if found and (found in terms if type(found) is str else terms.intersection(found)):
            yield match.start(), match.end()
            if first_only:
                return


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(text: str, terms: set[str], language: str) -> SafeString:
    """The whole (short) text, matches marked: for titles."""
    spans = list(_matches(text, terms, language, first_only=False)) if terms else []
    return mark_safe(_marked(text, spans))  # noqa: S308 (every piece of text is escaped)


def snippet(texts: list[str], terms: set[str], language: str) -> SafeString | None:
    """A window around the first match in the first text that has one; None if none matches."""
    if not terms:
        return None
    for text in texts:
        text = text[:SCAN_LIMIT]
        first = next(_matches(text, terms, language, first_only=True), None)
        if first is None:
            continue
        start = max(0, first[0] - SNIPPET_LENGTH // 4)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space != -1 and start - space < 30 else start
        end = min(len(text), start + SNIPPET_LENGTH)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > first[1] else end
        window = text[start:end]
        spans = [
            (s + start, e + start) for s, e in _matches(window, terms, language, first_only=False)
        ]
        html = _marked(window, spans, offset=start)
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(f"{prefix}{html}{suffix}")  # noqa: S308 (every piece of text is escaped)
    return None
