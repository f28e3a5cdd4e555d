"""Template helpers shared by every page."""

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.template.base import FilterExpression, NodeList
from django.urls import NoReverseMatch, get_script_prefix, translate_url
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from steppe.core.urlcache import reverse_cached

register = template.Library()

FRAGMENT_KEY_PREFIX = "fragment:"
# Fragments also kept in the process (most recently used first out of `LOCAL_FRAGMENTS`): the
# menus of every page and the popular items' fragments then cost no cache round trip. Correct for
# the same reason as the shared copies: the key holds the content generation, read from the shared
# cache on every request.
LOCAL_FRAGMENTS = 256
_local: OrderedDict[str, tuple[float, str]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> str | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        if entry[0] < time.time():
            del _local[key]
            return None
        _local.move_to_end(key)
        return entry[1]


def _local_set(key: str, value: str, expires_at: float) -> None:
    with _local_lock:
        _local[key] = (expires_at, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_FRAGMENTS:
            _local.popitem(last=False)


def fragment_cache_clear_local() -> None:
    """Forget the fragments this process keeps (tests)."""
    with _local_lock:
        _local.clear()


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language: str) -> str:
    """The current page's URL in another interface language (for the language links)."""
    request = context.get("request")
    if request is None:
        return "/"
    path = request.get_full_path()
    match = getattr(request, "resolver_match", None)
    if match is None or match.args or not match.url_name:
        return translate_url(path, language)
    # The view's URL name and arguments are known: reverse them in the other language (remembered)
    # rather than resolve the path again, as translate_url() would.
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language):
        try:
            url = reverse_cached(name, **match.kwargs)
        except NoReverseMatch:
            return path
    parsed = urlsplit(path)
    return urlunsplit(("", "", url, parsed.query, parsed.fragment))


@register.simple_tag
def url_cached(viewname: str, **kwargs: str | int) -> str:
    """`{% url_cached 'publishing:home' %}`: `{% url %}` remembered (steppe.core.urlcache); keyword
    arguments only. For the links every page repeats."""
    return reverse_cached(viewname, **kwargs)


def fragment_cache_seconds() -> int:
    """How long a rendered fragment is kept within a content generation (0: not cached).

    On by default in production only, like the page cache: in development and in other apps' tests
    a page must show at once a row written without a signal (factories). Also bounds what no signal
    announces (a scheduled item coming online, knowledge extracted in the background).
    """
    default = 300 if getattr(settings, "PRODUCTION", False) else 0
    return int(getattr(settings, "STEPPE_FRAGMENT_CACHE_SECONDS", default))


def _content_generation(request: HttpRequest | None) -> str:
    """The page cache's content generation, read once per GET request.

    A POST may change content and then render: it reads the generation again each time.
    """
    from steppe.ops.pagecache import content_generation  # ops reads every app: not at import

    if request is None or request.method not in ("GET", "HEAD"):
        return content_generation()
    generation = getattr(request, "_steppe_content_generation", None)
    if generation is None:
        generation = request._steppe_content_generation = content_generation()
    return generation


def fragment_key(name: str, generation: str, vary_on: list) -> str:
    """The cache key of a fragment: its name, the generation, the language, the script prefix
    (URLs in it), and the values it varies on."""
    raw = "|".join(
        [name, generation, get_language() or "", get_script_prefix(), *map(repr, vary_on)]
    )
    return f"{FRAGMENT_KEY_PREFIX}{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> SafeString:
        seconds = fragment_cache_seconds()
        if seconds <= 0:
            return self.nodelist.render(context)
        from steppe.ops.conf import page_cache_alias

        generation = _content_generation(context.get("request"))
        if generation == "none":  # the shared cache is unreachable: no generation to trust
            return self.nodelist.render(context)
        key = fragment_key(self.name, generation, [v.resolve(context) for v in self.vary_on])
        value = _local_get(key)
        if value is None:
            cache = caches[page_cache_alias()]
            # Stored with its end of life, so that the process's copy dies with the shared one.
            stored = cache.get(key)  # a broken cache answers None: render as if cold
            if stored is None:
                stored = (time.time() + seconds, str(self.nodelist.render(context)))
                cache.set(key, stored, seconds)
            expires_at, value = stored
            _local_set(key, value, expires_at)
        return mark_safe(value)  # noqa: S308 (the template's own output, escaped when rendered)


@register.tag
def fragment_cache(parser: template.base.Parser, token: template.base.Token) -> FragmentCacheNode:
    """Cache part of a page until published content changes:

        {% fragment_cache "related" article.pk %}…{% endfragment_cache %}

    The fragment is kept for `STEPPE_FRAGMENT_CACHE_SECONDS` within the page cache's *content
    generation* (steppe.ops.pagecache), which every publication, edit, withdrawal, moderation
    decision, taxonomy or author change renews: a cached fragment is never older than the last such
    change. The key holds the name, the values after it, the language and the script prefix.
    Only for markup that is the same for every reader of a page: never a form, a CSRF token, a CSP
    nonce or anything that depends on the user.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a fragment name.")
    name = bits[1]
    if not (name[0] == name[-1] and name[0] in "\"'" and len(name) > 2):
        raise template.TemplateSyntaxError(f"'{bits[0]}': the fragment name must be quoted.")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(nodelist, name[1:-1], [parser.compile_filter(b) for b in bits[2:]])
