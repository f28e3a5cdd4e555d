"""OAI-PMH 2.0: harvested by a real client (sickle) on a live server, and every error condition."""

import datetime as dt
import re
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from lxml import etree
from sickle import Sickle, oaiexceptions

from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library import oai
from steppe.library.models import Document
from steppe.library.services import document_update, document_withdraw
from steppe.library.tests.factories import DocumentFactory
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.urls("steppe.library.tests.urls_oai")

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
UTC = dt.UTC


def stamp(document: Document, when: dt.datetime) -> None:
    """Give a document a known datestamp (its last change and its publication)."""
    Document.objects.filter(pk=document.pk).update(updated_at=when, published_at=when)


@pytest.fixture
def corpus(reference_data):
    """Seven published documents, one withdrawn, one draft, one scheduled for next week."""
    kazakhstan = Country.objects.get(code="KZ")
    mongolia = Country.objects.get(code="MN")
    energy = Theme.objects.order_by("slug").first()
    documents = []
    for index in range(7):
        document = DocumentFactory(
            published=True,
            title=f"Rapport OAI {index}",
            authors="Aigerim Sadykova; Batbayar Dorj" if index == 0 else "",
            countries=[kazakhstan] if index % 2 == 0 else [mongolia],
        )
        if index < 3:
            document.themes.set([energy])
        stamp(document, dt.datetime(2025, 3, 1 + index, 12, 0, tzinfo=UTC))
        documents.append(document)
    withdrawn = DocumentFactory(published=True, title="Rapport retiré", countries=[kazakhstan])
    document_withdraw(document=withdrawn, by=None)
    stamp(withdrawn, dt.datetime(2025, 3, 20, 8, 30, tzinfo=UTC))
    DocumentFactory(title="Brouillon")
    DocumentFactory(
        title="Programmé",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now() + dt.timedelta(days=7),
    )
    return {"published": documents, "withdrawn": withdrawn, "theme": energy}


def oai_get(client, **params):
    """GET /oai and parse it: the body must be well-formed XML in the OAI-PMH namespace."""
    response = client.get(reverse("oai:endpoint") + "?" + urlencode(params, doseq=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    assert root.get(f"{{{NS['xsi']}}}schemaLocation").split() == [
        NS["oai"],
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    ]
    children = [etree.QName(child).localname for child in root]
    assert children[:2] == ["responseDate", "request"]
    assert len(children) == 3
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.findtext("oai:responseDate", namespaces=NS)
    )
    return root


def error_code(root) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


# A real harvester on a live server --------------------------------------------------------------


@pytest.fixture
def harvester(live_server, settings, corpus):
    settings.STEPPE_OAI_PAGE_SIZE = 3  # 8 records: three pages, two resumption tokens
    return Sickle(live_server.url + "/oai")


def test_sickle_harvests_every_record_across_resumption_tokens(harvester, corpus):
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    identifiers = [record.header.identifier for record in records]
    expected = [oai.oai_identifier(d.pk) for d in corpus["published"]]
    expected.append(oai.oai_identifier(corpus["withdrawn"].pk))
    assert identifiers == expected  # datestamp order; no draft, no scheduled document
    first = records[0]
    assert first.metadata["title"] == ["Rapport OAI 0"]
    assert first.metadata["creator"] == ["Aigerim Sadykova", "Batbayar Dorj"]
    assert first.metadata["date"] == ["2025-12-23"]
    assert first.metadata["language"] == ["fr"]
    assert first.metadata["coverage"] == ["Kazakhstan"]
    assert first.metadata["subject"] == [corpus["theme"].name_fr]
    assert any("/bibliotheque/rapport-oai-0/" in url for url in first.metadata["identifier"])
    assert first.header.datestamp == "2025-03-01T12:00:00Z"
    assert sorted(first.header.setSpecs) == ["country:KZ", f"theme:{corpus['theme'].slug}"]
    last = records[-1]
    assert last.header.deleted is True
    assert last.header.datestamp == "2025-03-20T08:30:00Z"
    assert not hasattr(last, "metadata")  # a deleted record carries no metadata


def test_sickle_ignores_deleted_records_on_request(harvester, corpus):
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    assert len(records) == 7


def test_sickle_list_identifiers_by_set_and_dates(harvester, corpus):
    kazakh = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="country:KZ"))
    assert [h.identifier for h in kazakh] == [
        oai.oai_identifier(d.pk) for d in corpus["published"][0::2]
    ] + [oai.oai_identifier(corpus["withdrawn"].pk)]
    by_theme = list(
        harvester.ListIdentifiers(metadataPrefix="oai_dc", set=f"theme:{corpus['theme'].slug}")
    )
    assert len(by_theme) == 3
    assert len(list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="country"))) == 8
    # Day granularity: both bounds are inclusive.
    window = list(
        harvester.ListIdentifiers(
            metadataPrefix="oai_dc", **{"from": "2025-03-02", "until": "2025-03-04"}
        )
    )
    assert [h.datestamp[:10] for h in window] == ["2025-03-02", "2025-03-03", "2025-03-04"]
    seconds = list(
        harvester.ListIdentifiers(
            metadataPrefix="oai_dc",
            **{"from": "2025-03-07T12:00:00Z", "until": "2025-03-20T08:30:00Z"},
        )
    )
    assert len(seconds) == 2
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2030-01-01"}))


def test_sickle_identify_sets_formats_and_get_record(harvester, corpus, live_server):
    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "transient"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.earliestDatestamp == "2025-03-01T12:00:00Z"
    assert identify.baseURL == live_server.url + "/oai"
    specs = {s.setSpec: s.setName for s in harvester.ListSets()}
    assert specs["country:KZ"].endswith("Kazakhstan")
    assert {"country", "theme", f"theme:{corpus['theme'].slug}"} <= set(specs)
    formats = [f.metadataPrefix for f in harvester.ListMetadataFormats()]
    assert formats == ["oai_dc"]
    document = corpus["published"][1]
    record = harvester.GetRecord(
        identifier=oai.oai_identifier(document.pk), metadataPrefix="oai_dc"
    )
    assert record.metadata["title"] == [document.title]
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        harvester.GetRecord(identifier="oai:elsewhere:document/1", metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        harvester.GetRecord(identifier=oai.oai_identifier(document.pk), metadataPrefix="mods")


def test_sickle_harvests_with_post(live_server, settings, corpus):
    settings.STEPPE_OAI_PAGE_SIZE = 4
    harvester = Sickle(live_server.url + "/oai", http_method="POST")
    assert len(list(harvester.ListRecords(metadataPrefix="oai_dc"))) == 8


# Hand-made requests: the protocol's details ------------------------------------------------------


def test_resumption_tokens_carry_cursor_and_complete_list_size(client, settings, corpus):
    settings.STEPPE_OAI_PAGE_SIZE = 3
    root = oai_get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find("oai:ListIdentifiers/oai:resumptionToken", NS)
    assert (token.get("cursor"), token.get("completeListSize")) == ("0", "8")
    assert token.get("expirationDate").endswith("Z")
    sent = token.text
    root = oai_get(client, verb="ListIdentifiers", resumptionToken=sent)
    token = root.find("oai:ListIdentifiers/oai:resumptionToken", NS)
    assert (token.get("cursor"), token.get("completeListSize")) == ("3", "8")
    assert root.find("oai:request", NS).get("resumptionToken") == sent
    root = oai_get(client, verb="ListIdentifiers", resumptionToken=token.text)
    token = root.find("oai:ListIdentifiers/oai:resumptionToken", NS)
    assert len(root.findall("oai:ListIdentifiers/oai:header", NS)) == 2
    assert token.text is None  # the empty token closes the list
    assert token.get("cursor") == "6"


def test_a_single_page_list_has_no_resumption_token(client, corpus):
    root = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert root.find(".//oai:resumptionToken", NS) is None
    assert len(root.findall("oai:ListRecords/oai:record", NS)) == 8
    dc = root.find("oai:ListRecords/oai:record/oai:metadata/oai_dc:dc", NS)
    assert dc.get(f"{{{NS['xsi']}}}schemaLocation").split() == [
        NS["oai_dc"],
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    ]
    assert dc.findtext("dc:title", namespaces=NS) == "Rapport OAI 0"


def test_a_document_changed_during_a_harvest_is_not_skipped(client, settings, corpus):
    settings.STEPPE_OAI_PAGE_SIZE = 3
    root = oai_get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = [
        h.findtext("oai:identifier", namespaces=NS) for h in root.iter(f"{{{NS['oai']}}}header")
    ]
    token = root.find(".//oai:resumptionToken", NS).text
    # The first document of the next page changes: it moves to the end, where the harvest meets it.
    moved = corpus["published"][3]
    Document.objects.filter(pk=moved.pk).update(updated_at=timezone.now())
    while token:
        root = oai_get(client, verb="ListIdentifiers", resumptionToken=token)
        seen += [
            h.findtext("oai:identifier", namespaces=NS) for h in root.iter(f"{{{NS['oai']}}}header")
        ]
        token = root.find(".//oai:resumptionToken", NS).text
    assert seen[-1] == oai.oai_identifier(moved.pk)
    assert len(seen) == len(set(seen)) == 8


def test_deleted_record_by_get_record(client, corpus):
    root = oai_get(
        client,
        verb="GetRecord",
        identifier=oai.oai_identifier(corpus["withdrawn"].pk),
        metadataPrefix="oai_dc",
    )
    header = root.find("oai:GetRecord/oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    assert root.find("oai:GetRecord/oai:record/oai:metadata", NS) is None


def test_request_element_echoes_valid_arguments(client, corpus):
    root = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc", set="country:MN")
    request = root.find("oai:request", NS)
    assert dict(request.attrib) == {
        "verb": "ListRecords",
        "metadataPrefix": "oai_dc",
        "set": "country:MN",
    }
    assert request.text == "http://testserver/oai"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-02",
                "until": "2025-03-01",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-01",
                "until": "2025-03-02T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "bad set"}, "badArgument"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "nope"}, "idDoesNotExist"),
        ({"verb": "ListMetadataFormats", "identifier": "oai:x:document/1"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "country:ZZ"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "2000-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_error_conditions(client, corpus, params, code):
    root = oai_get(client, **params)
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}  # the protocol asks for the base URL only
    assert request.text == "http://testserver/oai"


def test_draft_and_scheduled_documents_do_not_exist(client, corpus):
    for title in ("Brouillon", "Programmé"):
        pk = Document.objects.get(title=title).pk
        root = oai_get(
            client, verb="GetRecord", identifier=oai.oai_identifier(pk), metadataPrefix="oai_dc"
        )
        assert error_code(root) == "idDoesNotExist"


def test_no_set_hierarchy_when_sets_are_turned_off(client, settings, corpus):
    settings.STEPPE_OAI_SETS = False
    assert error_code(oai_get(client, verb="ListSets")) == "noSetHierarchy"
    root = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc", set="country:KZ")
    assert error_code(root) == "noSetHierarchy"


def test_expired_or_misused_token_is_refused(client, settings, corpus):
    settings.STEPPE_OAI_PAGE_SIZE = 3
    root = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = root.find(".//oai:resumptionToken", NS).text
    assert error_code(oai_get(client, verb="ListIdentifiers", resumptionToken=token)) == (
        "badResumptionToken"
    )
    assert error_code(oai_get(client, verb="ListRecords", resumptionToken=token[:-2] + "xx")) == (
        "badResumptionToken"
    )
    settings.STEPPE_OAI_TOKEN_MAX_AGE = -1
    assert error_code(oai_get(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )


def test_identify_on_an_empty_repository(client, db):
    root = oai_get(client, verb="Identify")
    assert error_code(root) is None
    identify = root.find("oai:Identify", NS)
    assert [etree.QName(c).localname for c in identify] == [
        "repositoryName",
        "baseURL",
        "protocolVersion",
        "adminEmail",
        "earliestDatestamp",
        "deletedRecord",
        "granularity",
    ]
    assert error_code(oai_get(client, verb="ListRecords", metadataPrefix="oai_dc")) == (
        "noRecordsMatch"
    )


def test_text_with_markup_and_control_characters_stays_well_formed(client, db):
    document = DocumentFactory(
        published=True,
        title="Énergie <b>&</b> « eau »",
        subtitle="Ligne\x0bavec un caractère de contrôle",
    )
    root = oai_get(
        client,
        verb="GetRecord",
        identifier=oai.oai_identifier(document.pk),
        metadataPrefix="oai_dc",
    )
    assert root.findtext(".//dc:title", namespaces=NS) == "Énergie <b>&</b> « eau »"


def test_list_records_queries_do_not_grow(client, db):
    kazakhstan = Country.objects.get(code="KZ")
    theme = Theme.objects.first()

    def add(count):
        for document in DocumentFactory.create_batch(count, published=True, countries=[kazakhstan]):
            document.themes.set([theme])

    url = reverse("oai:endpoint") + "?verb=ListRecords&metadataPrefix=oai_dc"
    assert_queries_do_not_grow(client, url, add)


def test_list_records_page_runs_a_fixed_number_of_queries(client, settings, db):
    settings.STEPPE_OAI_PAGE_SIZE = 5
    DocumentFactory.create_batch(12, published=True)
    url = reverse("oai:endpoint") + "?verb=ListRecords&metadataPrefix=oai_dc"
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    # the page, its countries, its themes, and the list size for the first token
    assert len(context.captured_queries) == 4


def identifiers(root) -> list[str]:
    return [
        h.findtext("oai:identifier", namespaces=NS) for h in root.iter(f"{{{NS['oai']}}}header")
    ]


def test_incremental_harvest_sees_changes_and_withdrawals(client, corpus):
    since = timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = oai_get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since})
    assert error_code(root) == "noRecordsMatch"
    changed, withdrawn = corpus["published"][2], corpus["published"][5]
    document_update(document=changed, subtitle="Un nouveau sous-titre.")
    document_withdraw(document=withdrawn, by=None)
    root = oai_get(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": since})
    assert identifiers(root) == [oai.oai_identifier(changed.pk), oai.oai_identifier(withdrawn.pk)]
    headers = root.findall(".//oai:header", NS)
    assert [h.get("status") for h in headers] == [None, "deleted"]


def test_a_document_back_to_draft_after_withdrawal_stays_deleted(client, corpus):
    document = corpus["withdrawn"]
    Document.objects.filter(pk=document.pk).update(status=PublicationStatus.DRAFT)
    root = oai_get(
        client,
        verb="GetRecord",
        identifier=oai.oai_identifier(document.pk),
        metadataPrefix="oai_dc",
    )
    assert root.find(".//oai:header", NS).get("status") == "deleted"
