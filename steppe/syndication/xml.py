"""Make any text safe to write into an XML 1.0 document (feeds, sitemaps) or a JSON-LD block.

Text is normalised when it is saved (`steppe.core.text.clean_text`), but a row written around the
services (a raw SQL fix, an old import, a future bug) must not break a feed for every reader: XML
1.0 forbids most control characters, and a lone surrogate cannot even be encoded in UTF-8.
"""

import re
from typing import Any

# Everything outside the XML 1.0 `Char` production, plus the C1 controls and DEL that the
# specification discourages (https://www.w3.org/TR/xml/#charsets).
_XML_INVALID = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: str) -> str:
    """Drop the characters an XML 1.0 document cannot carry."""
    return _XML_INVALID.sub("", value)


def xml_safe_deep(value: Any) -> Any:
    """`xml_safe` applied to every string inside nested dicts, lists and tuples."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: xml_safe_deep(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_deep(item) for item in value)
    return value
