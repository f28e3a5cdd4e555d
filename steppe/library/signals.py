"""Signals the library app sends, after the transaction commits.

`by` is the account that acted (None for the system: the intake task, an import, a scheduled job).
"""

from django.dispatch import Signal

document_published = Signal()  # provides: document, by
document_changed = Signal()  # provides: document, by (any saved change to a published document)
document_unpublished = Signal()  # provides: document, by (a published document was withdrawn)
document_submitted = Signal()  # provides: document, by (sent to the editors' review queue)
# Sent inside document_submit, before anything is written: a receiver refuses by raising LibraryError
# (moderation: suspended or banned accounts, new accounts' daily limit).
document_submitting = Signal()  # provides: document, by
