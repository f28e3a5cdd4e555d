"""Template helpers of the syndication app: page metadata for <head>, and XML-safe values."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from steppe.syndication.metadata import PageMetadata, page_metadata
from steppe.syndication.structured_data import json_ld_script
from steppe.syndication.xml import xml_safe

register = template.Library()


@register.simple_tag(takes_context=True, name="page_metadata")
def page_metadata_tag(context: template.Context) -> PageMetadata:
    """`{% page_metadata as meta %}`: canonical URL, alternates, feeds, OpenGraph, JSON-LD."""
    return page_metadata(context)


@register.filter(name="json_ld")
def json_ld_filter(data: dict) -> SafeString:
    """A dict as a <script type="application/ld+json"> element, escaped for HTML."""
    return json_ld_script(data)


@register.filter(name="xml_safe")
def xml_safe_filter(value) -> str:
    """Drop the characters XML 1.0 forbids (control characters, lone surrogates)."""
    return xml_safe(str(value))


@register.filter
def w3c_datetime(value: datetime | date | None) -> str:
    """A W3C date-time (sitemaps): local time with its offset, to the second."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""
