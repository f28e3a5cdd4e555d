"""How to cite a library document: CSL-JSON, BibTeX, RIS, a formatted reference and Highwire tags.

Everything is computed from the document record; nothing is stored. The formatted reference goes
through citeproc-py with the Harvard "Cite Them Right" style and the locales bundled in the
citeproc-py package, so that no style or locale is fetched from the network at run time.
"""

import html
import re
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .models import Document

CITATION_STYLE = "harvard-cite-them-right"  # bundled in citeproc-py (citeproc/data/styles/)
CSL_LOCALES = {"fr": "fr-FR", "en": "en-GB", "ru": "ru-RU"}
CITATION_FORMATS = {
    # format name in the URL: (content type, file extension)
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def absolute_url(path: str, *, origin: str) -> str:
    """The address of a path on the site; `origin` is the request's ("https://host"), as in the
    canonical link of the page, so that the citation and the canonical address agree."""
    return origin.rstrip("/") + path


def document_public_url(document: Document, *, origin: str) -> str:
    """The document's canonical address: the default-language page, whatever the reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(document.get_absolute_url(), origin=origin)


def document_pdf_url(document: Document, *, origin: str) -> str:
    """The public address of the document's PDF, or "" while the library keeps no file for it.

    The upload work gives documents a file; whatever it names its download URL
    (`get_download_url()`), this helper picks it up without the citation code changing.
    """
    get_download_url = getattr(document, "get_download_url", None)
    if get_download_url is None:
        return ""
    url = get_download_url() or ""
    return absolute_url(url, origin=origin) if url.startswith("/") else url


def author_names(document: Document) -> list[str]:
    """The authors as printed, one name per entry (separated by ";" or a new line)."""
    return [name.strip() for name in re.split(r"[;\n]", document.authors) if name.strip()]


def _csl_names(document: Document) -> list[dict]:
    names = author_names(document)
    if names:
        return [{"literal": name} for name in names]
    if (
        document.organisation
    ):  # a report signed by its organisation only: the organisation is the author
        return [{"literal": document.organisation}]
    return []


def document_csl(document: Document, *, origin: str, accessed: date | None = None) -> dict:
    """The CSL-JSON item of a document (https://citeproc-js.readthedocs.io/en/latest/csl-json/)."""
    item: dict = {
        "id": f"steppe-document-{document.pk}",
        "type": "report",
        "title": document.title,
        "URL": document_public_url(document, origin=origin),
        "language": document.language,
        "accessed": {"date-parts": [_date_parts(accessed or timezone.localdate())]},
    }
    names = _csl_names(document)
    if names:
        item["author"] = names
    if document.subtitle:
        item["abstract"] = document.subtitle
    if document.organisation:
        item["publisher"] = document.organisation
    if document.published_on:
        item["issued"] = {"date-parts": [_date_parts(document.published_on)]}
    if document.doi:
        item["DOI"] = document.doi
    return item


def _date_parts(day: date) -> list[int]:
    return [day.year, day.month, day.day]


def citation_key(document: Document) -> str:
    """A BibTeX key: the first word of the organisation or author, the year, the document id."""
    source = (author_names(document) or [document.organisation or "steppe"])[0]
    word = re.sub(r"[^A-Za-z0-9]", "", source.split()[0] if source.split() else "") or "steppe"
    year = document.published_on.year if document.published_on else "nd"
    return f"{word.lower()}{year}-{document.pk}"


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bibtex_escape(value: str) -> str:
    """Escape BibTeX's special characters; the file is UTF-8 (biber, Zotero and JabRef read it)."""

    def replace(match: re.Match) -> str:
        char = match.group(1)
        return {
            "\\": r"\textbackslash{}",
            "^": r"\textasciicircum{}",
            "~": r"\textasciitilde{}",
        }.get(char, "\\" + char)

    return _BIBTEX_SPECIAL.sub(replace, " ".join(value.split()))


def document_bibtex(document: Document, *, origin: str) -> str:
    """A BibTeX @techreport entry (UTF-8)."""
    names = author_names(document)
    fields: list[tuple[str, str]] = [("title", "{" + _bibtex_escape(document.title) + "}")]
    if names:
        fields.append(("author", " and ".join("{" + _bibtex_escape(n) + "}" for n in names)))
    elif document.organisation:
        fields.append(("author", "{{" + _bibtex_escape(document.organisation) + "}}"))
    if document.organisation:
        fields.append(("institution", "{" + _bibtex_escape(document.organisation) + "}"))
    if document.published_on:
        fields.append(("year", str(document.published_on.year)))
        fields.append(("month", str(document.published_on.month)))
        fields.append(("date", "{" + document.published_on.isoformat() + "}"))
    if document.subtitle:
        fields.append(("note", "{" + _bibtex_escape(document.subtitle) + "}"))
    fields.append(("language", "{" + document.language + "}"))
    if document.doi:
        fields.append(("doi", "{" + _bibtex_escape(document.doi) + "}"))
    fields.append(("url", "{" + document_public_url(document, origin=origin) + "}"))
    fields.append(("urldate", "{" + timezone.localdate().isoformat() + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@techreport{{{citation_key(document)},\n{body}\n}}\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def document_ris(document: Document, *, origin: str) -> str:
    """A RIS record (type RPRT), lines ending in CRLF as the format asks."""
    lines = [_ris_line("TY", "RPRT"), _ris_line("TI", document.title)]
    if document.subtitle:
        lines.append(_ris_line("T2", document.subtitle))
    names = author_names(document)
    for name in names:
        lines.append(_ris_line("AU", name))
    if not names and document.organisation:
        lines.append(_ris_line("A2", document.organisation))
    if document.organisation:
        lines.append(_ris_line("PB", document.organisation))
    if document.published_on:
        lines.append(_ris_line("PY", str(document.published_on.year)))
        lines.append(_ris_line("DA", document.published_on.strftime("%Y/%m/%d")))
    lines.append(_ris_line("LA", document.language))
    if document.doi:
        lines.append(_ris_line("DO", document.doi))
    lines.append(_ris_line("UR", document_public_url(document, origin=origin)))
    pdf_url = document_pdf_url(document, origin=origin)
    if pdf_url:
        lines.append(_ris_line("L1", pdf_url))
    lines.append(_ris_line("Y2", timezone.localdate().strftime("%Y/%m/%d")))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


_FRENCH_COLON = re.compile(r"(Disponible sur|Consulté le): ")


@lru_cache(maxsize=8)
def _style(locale: str):
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(CITATION_STYLE, locale=locale, validate=False)


def document_reference_html(document: Document, *, origin: str, language: str) -> SafeString:
    """The formatted reference (Harvard, Cite Them Right) in the reader's language, as HTML."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = document_csl(document, origin=origin)
    # citeproc-py's HTML formatter does not escape the text it is given: escape it first.
    escaped = _escape_strings(item)
    style_locale = CSL_LOCALES.get(language[:2], "fr-FR")
    style = _style(style_locale)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([escaped]), formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    reference = entries[0] if entries else ""
    if style_locale.startswith("fr"):  # the bundled French terms are followed by ": "
        reference = _FRENCH_COLON.sub("\\1\u00a0: ", reference)
    return mark_safe(reference)  # noqa: S308 (every input string is escaped above)


def _escape_strings(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escape_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == "id" else _escape_strings(v)) for k, v in value.items()}
    return value


def citation_meta_tags(document: Document, *, origin: str) -> list[tuple[str, str]]:
    """Highwire Press `citation_*` tags, read by Zotero and Google Scholar, in their usual order."""
    tags = [("citation_title", document.title)]
    names = author_names(document)
    for name in names:
        tags.append(("citation_author", name))
    if not names and document.organisation:
        tags.append(("citation_author", document.organisation))
    if document.published_on:
        tags.append(("citation_publication_date", document.published_on.strftime("%Y/%m/%d")))
    if document.published_at:
        tags.append(
            ("citation_online_date", timezone.localtime(document.published_at).strftime("%Y/%m/%d"))
        )
    if document.organisation:
        tags.append(("citation_publisher", document.organisation))
        tags.append(("citation_technical_report_institution", document.organisation))
    tags.append(("citation_language", document.language))
    for theme in document.themes.all():
        tags.append(("citation_keywords", theme.name))
    if document.subtitle:
        tags.append(("citation_abstract", document.subtitle))
    if document.doi:
        tags.append(("citation_doi", document.doi))
    tags.append(("citation_public_url", document_public_url(document, origin=origin)))
    pdf_url = document_pdf_url(document, origin=origin)
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags
