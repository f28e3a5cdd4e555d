"""RSS 2.0 and Atom writers that carry the full content and never write an invalid XML character."""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .xml import xml_safe_deep

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class XmlSafeMixin:
    """Strip XML-invalid characters from every value just before writing."""

    def write(self, outfile, encoding):
        self.feed = xml_safe_deep(self.feed)
        self.items = xml_safe_deep(self.items)
        super().write(outfile, encoding)


class RssFeed(XmlSafeMixin, Rss201rev2Feed):
    """RSS 2.0: `description` holds the lead, `content:encoded` the full sanitised HTML."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(XmlSafeMixin, Atom1Feed):
    """Atom 1.0: `summary` holds the lead, `content` the full sanitised HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
