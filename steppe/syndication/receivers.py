"""Start a new cache generation when published content changes (see cache.py)."""

from steppe.library import signals as library_signals
from steppe.publishing import signals as publishing_signals

from .cache import syndication_cache_invalidate

# The domain apps add signals over time (an article withdrawn, a document changed): connect to
# each one that exists.
WATCHED = (
    (publishing_signals, ("article_published", "article_changed", "article_unpublished")),
    (library_signals, ("document_published", "document_changed", "document_unpublished")),
)


def content_changed(sender, **kwargs) -> None:
    syndication_cache_invalidate()


for module, names in WATCHED:
    for name in names:
        signal = getattr(module, name, None)
        if signal is not None:
            signal.connect(content_changed, dispatch_uid=f"syndication.{name}")
