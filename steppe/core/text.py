"""Text helpers: Markdown rendering, sanitising and normalisation of user text."""

import re
import unicodedata
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

# "js-default" disables raw HTML and unsafe link schemes; "commonmark" would let <script> through.
_markdown = MarkdownIt("js-default", {"typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "figure",
    "figcaption",
    "sup",
    "sub",
    "s",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Normalise user text to NFC and drop control characters and lone surrogates."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value or "")).strip()


def sanitize_html(html: str) -> str:
    """Keep only harmless markup; idempotent (sanitising twice changes nothing)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_IMAGE_REFERENCE = re.compile(r'<img src="image:(\d+)" alt="([^"]*)"\s*/?>')
_PARAGRAPH_AROUND_FIGURE = re.compile(r"<p>\s*(<figure>.*?</figure>)\s*</p>", re.DOTALL)

ImageRenderer = Callable[[int, str], str | None]


def render_markdown(source: str, *, image_html: ImageRenderer | None = None) -> str:
    """Render Markdown to sanitised HTML. Headings start at h2: the page title is the h1.

    `![caption](image:42)` references an uploaded image: `image_html(42, caption)` returns its
    markup (or None, and the reference is dropped). The result is sanitised after that step.
    """
    html = _markdown.render(clean_text(source))
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    html = _IMAGE_REFERENCE.sub(
        lambda m: (image_html(int(m[1]), m[2]) if image_html else None) or "", html
    )
    html = _PARAGRAPH_AROUND_FIGURE.sub(r"\1", html)
    return sanitize_html(html)
