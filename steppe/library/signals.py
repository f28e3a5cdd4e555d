"""Signals the library app sends, after the transaction commits."""

from django.dispatch import Signal

document_published = Signal()  # provides: document
document_changed = Signal()  # provides: document (any saved change to a published document)
document_unpublished = Signal()  # provides: document (a published document was withdrawn)
