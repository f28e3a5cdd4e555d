"""Signals the publishing app sends.

`by` is the account that acted (None for the system: an import, a scheduled job).
"""

from django.dispatch import Signal

article_published = Signal()  # provides: article, by (after commit)
article_changed = Signal()  # provides: article, by (after commit; any saved change while published)
article_unpublished = Signal()  # provides: article, by (after commit; withdrawn or taken offline)
article_submitted = Signal()  # provides: article, by (after commit; sent to the review queue)
# Sent inside the transaction, before a submission or a proposed edit is accepted (kind: "submit" or
# "edit"; data: the proposed ArticleData for an edit, None for a submission: read the article). A receiver may raise PublishingError to refuse it: the
# author's text is already saved as a draft or kept in the form, so nothing is lost.
article_submitting = Signal()  # provides: article, by, kind, data
