"""Signals the publishing app sends, after the transaction commits."""

from django.dispatch import Signal

article_published = Signal()  # provides: article
article_changed = Signal()  # provides: article (any saved change to a published article)
article_unpublished = Signal()  # provides: article (withdrawn, or otherwise taken offline)
