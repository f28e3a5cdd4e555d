"""OAI-PMH 2.0 data provider for the library (https://www.openarchives.org/OAI/openarchivesprotocol.html).

Choices, and why:
- Identifiers are `oai:<repository identifier>:document/<pk>`. The primary key never changes, while a
  slug may be edited in the admin; OAI identifiers must stay the same for the life of the record.
  The repository identifier is the host of STEPPE_SITE_URL (or STEPPE_OAI_REPOSITORY_IDENTIFIER), not
  the request's host, so that the same record has the same identifier whatever address served it.
- Records are published documents; documents that were public once and are not any more
  (withdrawn, or back to draft or review after a withdrawal) are deleted records
  (header status="deleted"). deletedRecord is `transient`: a withdrawn document stays a deleted
  record for as long as its row exists, but rows can still be erased for good (account deletion
  removes a contributor's withdrawn pieces, an administrator may delete a row), and then nothing
  is left to announce. `persistent` would promise tombstones that the library does not keep.
- Datestamps have seconds granularity; `from`/`until` accept days too. A record's datestamp is
  max(updated_at, published_at) (see selectors).
- Resumption tokens are stateless: a signed (Django signing, salted, timestamped) and compressed
  payload holding the request's arguments, the keyset position (datestamp, id) of the last record
  sent, the cursor and the list size computed on the first page. Keyset paging cannot skip or
  repeat a record when rows are added or changed during a harvest (a changed record moves to the
  end, where the harvester meets it again). Tokens expire after STEPPE_OAI_TOKEN_MAX_AGE seconds.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core import signing
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import selectors
from .citation import author_names, document_pdf_url, document_public_url
from .models import Document

PROTOCOL_VERSION = "2.0"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DELETED_RECORD = "transient"
TOKEN_SALT = "steppe.library.oai.resumption"  # noqa: S105 (a signing salt, not a secret)
METADATA_FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    ),
}
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"

VERBS = {
    # verb: (required arguments, optional arguments, exclusive argument)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")


def page_size() -> int:
    return int(getattr(settings, "STEPPE_OAI_PAGE_SIZE", 100))


def token_max_age() -> int:
    return int(getattr(settings, "STEPPE_OAI_TOKEN_MAX_AGE", 24 * 3600))


def sets_enabled() -> bool:
    return bool(getattr(settings, "STEPPE_OAI_SETS", True))


def repository_identifier() -> str:
    configured = getattr(settings, "STEPPE_OAI_REPOSITORY_IDENTIFIER", "")
    return configured or (urlsplit(settings.STEPPE_SITE_URL).hostname or "localhost")


def oai_identifier(pk: int) -> str:
    return f"oai:{repository_identifier()}:document/{pk}"


def parse_identifier(identifier: str) -> int | None:
    prefix = f"oai:{repository_identifier()}:document/"
    if not identifier.startswith(prefix):
        return None
    local = identifier[len(prefix) :]
    return int(local) if local.isdigit() and len(local) < 19 else None


class OAIError(Exception):
    """An error condition of the protocol, reported in the response body (HTTP 200)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListQuery:
    verb: str
    metadata_prefix: str
    set_spec: str | None
    since: datetime | None  # datestamp >= since
    before: datetime | None  # datestamp < before
    from_arg: str | None
    until_arg: str | None
    after: tuple[datetime, int] | None = None
    cursor: int = 0
    total: int | None = None


def _text(value: str) -> str:
    return escape(_XML_INVALID.sub("", value))


def _datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_date(raw: str, *, upper: bool) -> tuple[datetime, str]:
    """A from/until argument as a bound, and its granularity; raise badArgument."""
    try:
        if _DAY.match(raw):
            day = date.fromisoformat(raw)
            bound = datetime.combine(day, time.min, tzinfo=UTC)
            return (bound + timedelta(days=1) if upper else bound), "day"
        if _SECOND.match(raw):
            moment = datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (moment + timedelta(seconds=1) if upper else moment), "second"
    except (ValueError, OverflowError):
        pass
    raise OAIError("badArgument", _("%(value)s is not a valid OAI-PMH date.") % {"value": raw})


class Request:
    """One protocol request: the arguments (each at most once) and the base URL."""

    def __init__(self, arguments: dict[str, list[str]], base_url: str):
        self.lists = arguments
        self.base_url = base_url
        self.args: dict[str, str] = {}
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"

    def validate(self) -> str:
        """Check the verb and the arguments; return the verb or raise badVerb/badArgument."""
        verbs = self.lists.get("verb", [])
        if len(verbs) != 1:
            if verbs:
                raise OAIError("badVerb", _("The verb argument is repeated."))
            raise OAIError("badVerb", _("The verb argument is missing."))
        verb = verbs[0]
        if verb not in VERBS:
            raise OAIError("badVerb", _("%(verb)s is not an OAI-PMH verb.") % {"verb": verb})
        required, optional, exclusive = VERBS[verb]
        for name, values in self.lists.items():
            if name == "verb":
                continue
            if len(values) > 1:
                raise OAIError(
                    "badArgument", _("The argument %(name)s is repeated.") % {"name": name}
                )
            if name not in required | optional and name != exclusive:
                raise OAIError(
                    "badArgument",
                    _("%(name)s is not an argument of %(verb)s.") % {"name": name, "verb": verb},
                )
            self.args[name] = values[0]
        if exclusive and exclusive in self.args:
            if len(self.args) > 1:
                raise OAIError(
                    "badArgument",
                    _("resumptionToken is an exclusive argument: send it alone with the verb."),
                )
            return verb
        missing = sorted(required - set(self.args))
        if missing:
            raise OAIError(
                "badArgument",
                _("Missing argument: %(names)s.") % {"names": ", ".join(missing)},
            )
        return verb


# Rendering -----------------------------------------------------------------------------------


def _envelope(request: Request, verb: str | None, body: str, *, echo: bool) -> bytes:
    attributes = ""
    if echo and verb:
        attributes = f" verb={quoteattr(verb)}" + "".join(
            f" {name}={quoteattr(_XML_INVALID.sub('', value))}"
            for name, value in sorted(request.args.items())
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
        f"<responseDate>{_datestamp(timezone.now())}</responseDate>"
        f"<request{attributes}>{_text(request.base_url)}</request>"
        f"{body}</OAI-PMH>\n"
    ).encode()


def _error(error: OAIError) -> str:
    return f'<error code="{error.code}">{_text(error.message)}</error>'


def _set_specs(document: Document) -> list[str]:
    specs = [f"country:{country.code}" for country in document.countries.all()]
    specs += [f"theme:{theme.slug}" for theme in document.themes.all()]
    return specs


def _header(document: Document) -> str:
    deleted = document.status != Document.Status.PUBLISHED
    specs = "".join(f"<setSpec>{_text(spec)}</setSpec>" for spec in _set_specs(document))
    status = ' status="deleted"' if deleted else ""
    return (
        f"<header{status}><identifier>{oai_identifier(document.pk)}</identifier>"
        f"<datestamp>{_datestamp(document.oai_datestamp)}</datestamp>{specs}</header>"
    )


def _dc(name: str, value: str) -> str:
    return f"<dc:{name}>{_text(value)}</dc:{name}>" if value else ""


def _oai_dc(document: Document, origin: str) -> str:
    parts = [_dc("title", document.title)]
    names = author_names(document)
    parts += [_dc("creator", name) for name in names]
    if not names:
        parts.append(_dc("creator", document.organisation))
    parts += [_dc("subject", theme.name_fr) for theme in document.themes.all()]
    parts.append(_dc("description", document.subtitle))
    if document.presentation_html:
        parts.append(_dc("description", " ".join(strip_tags(document.presentation_html).split())))
    parts.append(_dc("publisher", document.organisation))
    if document.published_on:
        parts.append(_dc("date", document.published_on.isoformat()))
    parts.append(_dc("type", "Text"))
    parts.append(_dc("type", "report"))
    pdf_url = document_pdf_url(document, origin=origin)
    if pdf_url:
        parts.append(_dc("format", "application/pdf"))
    parts.append(_dc("identifier", document_public_url(document, origin=origin)))
    if pdf_url:
        parts.append(_dc("identifier", pdf_url))
    parts.append(_dc("language", document.language))
    parts += [_dc("coverage", country.name_fr) for country in document.countries.all()]
    return (
        f'<metadata><oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" '
        f'xsi:schemaLocation="{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
        + "".join(parts)
        + "</oai_dc:dc></metadata>"
    )


def _record(document: Document, origin: str) -> str:
    if document.status != Document.Status.PUBLISHED:  # a deleted record: the header only
        return f"<record>{_header(document)}</record>"
    return f"<record>{_header(document)}{_oai_dc(document, origin)}</record>"


# Verbs ---------------------------------------------------------------------------------------


def _identify(request: Request) -> str:
    earliest = selectors.document_oai_earliest_datestamp()
    earliest_text = _datestamp(earliest) if earliest else "1970-01-01T00:00:00Z"
    emails = getattr(settings, "STEPPE_OAI_ADMIN_EMAILS", None) or [
        email for _name, email in getattr(settings, "ADMINS", [])
    ]
    if not emails:
        emails = [re.sub(r"^.*<(.+)>\s*$", r"\1", settings.DEFAULT_FROM_EMAIL)]
    admin = "".join(f"<adminEmail>{_text(email)}</adminEmail>" for email in emails)
    return (
        f"<Identify><repositoryName>{_text(settings.STEPPE_SITE_NAME)}</repositoryName>"
        f"<baseURL>{_text(request.base_url)}</baseURL>"
        f"<protocolVersion>{PROTOCOL_VERSION}</protocolVersion>{admin}"
        f"<earliestDatestamp>{earliest_text}</earliestDatestamp>"
        f"<deletedRecord>{DELETED_RECORD}</deletedRecord>"
        f"<granularity>{GRANULARITY}</granularity></Identify>"
    )


def _list_metadata_formats(request: Request) -> str:
    identifier = request.args.get("identifier")
    if identifier is not None:
        _get_document(identifier)
    formats = "".join(
        f"<metadataFormat><metadataPrefix>{prefix}</metadataPrefix><schema>{schema}</schema>"
        f"<metadataNamespace>{namespace}</metadataNamespace></metadataFormat>"
        for prefix, (schema, namespace) in METADATA_FORMATS.items()
    )
    return f"<ListMetadataFormats>{formats}</ListMetadataFormats>"


def _list_sets(request: Request) -> str:
    if not sets_enabled():
        raise OAIError("noSetHierarchy", _("This repository does not support sets."))
    if "resumptionToken" in request.args:
        raise OAIError("badResumptionToken", _("The list of sets is never split."))
    countries, themes = selectors.oai_set_list()
    with translation.override(settings.LANGUAGE_CODE):
        sets = [("country", _("Countries")), ("theme", _("Themes"))]
        sets += [
            (f"country:{c.code}", _("Country: %(name)s") % {"name": c.name}) for c in countries
        ]
        sets += [(f"theme:{t.slug}", _("Theme: %(name)s") % {"name": t.name}) for t in themes]
    body = "".join(
        f"<set><setSpec>{_text(spec)}</setSpec><setName>{_text(name)}</setName></set>"
        for spec, name in sets
    )
    return f"<ListSets>{body}</ListSets>"


def _get_document(identifier: str) -> Document:
    pk = parse_identifier(identifier)
    try:
        if pk is None:
            raise Document.DoesNotExist
        return selectors.document_oai_get(pk=pk)
    except Document.DoesNotExist:
        raise OAIError(
            "idDoesNotExist",
            _("%(identifier)s is unknown in this repository.") % {"identifier": identifier},
        ) from None


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            _("The metadata format %(prefix)s is not supported; use oai_dc.") % {"prefix": prefix},
        )


def _get_record(request: Request) -> str:
    document = _get_document(request.args["identifier"])
    _check_prefix(request.args["metadataPrefix"])
    return f"<GetRecord>{_record(document, request.origin)}</GetRecord>"


def _query_from_arguments(verb: str, args: dict[str, str]) -> ListQuery:
    since = before = None
    granularities = set()
    if "from" in args:
        since, granularity = _parse_date(args["from"], upper=False)
        granularities.add(granularity)
    if "until" in args:
        before, granularity = _parse_date(args["until"], upper=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OAIError("badArgument", _("from and until must have the same granularity."))
    if since is not None and before is not None and since >= before:
        raise OAIError("badArgument", _("from is later than until."))
    set_spec = args.get("set")
    if set_spec is not None:
        if not sets_enabled():
            raise OAIError("noSetHierarchy", _("This repository does not support sets."))
        if not _SET_SPEC.match(set_spec):
            raise OAIError("badArgument", _("%(set)s is not a valid set.") % {"set": set_spec})
    _check_prefix(args["metadataPrefix"])
    return ListQuery(
        verb=verb,
        metadata_prefix=args["metadataPrefix"],
        set_spec=set_spec,
        since=since,
        before=before,
        from_arg=args.get("from"),
        until_arg=args.get("until"),
    )


def encode_token(query: ListQuery, last: Document, cursor: int) -> str:
    payload = {
        "v": query.verb,
        "p": query.metadata_prefix,
        "s": query.set_spec,
        "f": query.from_arg,
        "u": query.until_arg,
        "a": [last.oai_datestamp.astimezone(UTC).isoformat(), last.pk],
        "c": cursor,
        "n": query.total,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def decode_token(verb: str, token: str) -> ListQuery:
    """The query a resumption token continues; raise badResumptionToken."""
    bad = OAIError("badResumptionToken", _("The resumption token is invalid or has expired."))
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=token_max_age())
    except signing.BadSignature:
        raise bad from None
    if not isinstance(payload, dict) or payload.get("v") != verb:
        raise bad
    arguments = {"metadataPrefix": payload["p"]}
    for key, name in (("s", "set"), ("f", "from"), ("u", "until")):
        if payload.get(key) is not None:
            arguments[name] = payload[key]
    try:
        query = _query_from_arguments(verb, arguments)
        stamp, pk = payload["a"]
        after = (datetime.fromisoformat(stamp), int(pk))
    except (OAIError, KeyError, TypeError, ValueError):
        raise bad from None
    return ListQuery(
        **{
            **query.__dict__,
            "after": after,
            "cursor": int(payload["c"]),
            "total": payload["n"],
        }
    )


def _list(request: Request, verb: str) -> str:
    token = request.args.get("resumptionToken")
    if token is not None:
        query = decode_token(verb, token)
    else:
        query = _query_from_arguments(verb, request.args)
    size = page_size()
    filters = {"set_spec": query.set_spec, "since": query.since, "before": query.before}
    documents = selectors.document_oai_list(**filters, after=query.after, limit=size + 1)
    if not documents:  # (after a token: the remaining rows were erased since the previous page)
        raise OAIError("noRecordsMatch", _("No record matches these arguments."))
    has_more = len(documents) > size
    documents = documents[:size]
    if query.total is None and (has_more or token is not None):
        query = ListQuery(**{**query.__dict__, "total": selectors.document_oai_count(**filters)})
    if verb == "ListRecords":
        body = "".join(_record(document, request.origin) for document in documents)
    else:
        body = "".join(_header(document) for document in documents)
    if has_more:
        next_cursor = query.cursor + len(documents)
        value = encode_token(query, documents[-1], next_cursor)
        expires = _datestamp(timezone.now() + timedelta(seconds=token_max_age()))
        body += (
            f'<resumptionToken expirationDate="{expires}" completeListSize="{query.total}" '
            f'cursor="{query.cursor}">{value}</resumptionToken>'
        )
    elif token is not None:  # the last part of a split list: an empty token closes it
        body += f'<resumptionToken completeListSize="{query.total}" cursor="{query.cursor}"/>'
    return f"<{verb}>{body}</{verb}>"


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda request: _list(request, "ListIdentifiers"),
    "ListRecords": lambda request: _list(request, "ListRecords"),
}


def oai_respond(*, arguments: dict[str, list[str]], base_url: str) -> bytes:
    """Answer one OAI-PMH request with the XML body (errors included: the HTTP status is 200)."""
    request = Request(arguments, base_url)
    try:
        verb = request.validate()
    except OAIError as error:
        return _envelope(request, None, _error(error), echo=False)
    try:
        body = HANDLERS[verb](request)
    except OAIError as error:
        # After badArgument the request element holds the base URL only (protocol, section 3.2).
        echo = error.code not in {"badVerb", "badArgument"}
        return _envelope(request, verb, _error(error), echo=echo)
    return _envelope(request, verb, body, echo=True)
