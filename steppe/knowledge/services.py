"""Writes of the knowledge layer: store an item's extraction, and the editors' curation of entities.

Contract with editors: `item_extract` deletes and rewrites only rows extraction made and nobody
reviewed (mentions and item countries with `origin=auto`, events with `status=auto`). Entities an editor
rejected are never linked again; confirmed or rejected events are found again by fingerprint and not
duplicated; merged entities resolve to the entity they were merged into.
"""

import hashlib
import html
import logging
import re
import time
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from rapidfuzz import fuzz

from steppe.taxonomy.models import Country

from . import conf
from .extraction import EXTRACTOR_VERSION, extract
from .extraction.text import entity_key, skeleton
from .models import (
    Entity,
    EntityAlias,
    Event,
    ItemAnalysis,
    ItemCountry,
    Mention,
    Origin,
    ReviewStatus,
)
from .signals import knowledge_changed_schedule

logger = logging.getLogger(__name__)

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|tr|div)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


class KnowledgeError(Exception):
    pass


def html_to_paragraphs(value: str) -> str:
    """Plain text of sanitised HTML, one line per block (sentences must not run across blocks)."""
    text = _BLOCK_END.sub("\n", value or "")
    return html.unescape(_TAG.sub("", text))


_PDF_HYPHEN = re.compile(r"(\w)[-\u00ad]\n(?=[a-zà-öø-ÿа-яё])")
_PDF_PARAGRAPH = re.compile(r"\n[ \t]*\n+")
PDF_WRAPPED_LINE = 50  # a line at least this long that ends mid-sentence was wrapped by the layout


def _ends_with_function_word(line: str) -> bool:
    from steppe.search.analysis import STOP_WORDS, fold

    words = line.rsplit(None, 1)
    return bool(words) and fold(words[-1]) in STOP_WORDS


def pdf_text_to_paragraphs(value: str) -> str:
    """A PDF's extracted text with its layout line breaks undone, one paragraph per line.

    `split_sentences` cuts at line breaks (right for HTML blocks), but a PDF breaks lines wherever the
    column ends: "Les 6 et 7 juin 2024, la\nMongolie a accueilli…" must stay one sentence or the
    event loses its date. Hand-written (no library reflows extracted PDF text): a hyphen at a line end
    before a lower-case letter is a cut word; a line is joined to the next when the next starts in
    lower case, when it ends with a comma or a function word ("de la", "of the"), or when it is long
    and does not end a sentence. Short lines (headings, page numbers)
    and blank lines stay breaks.
    """
    text = _PDF_HYPHEN.sub(r"\1", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for block in _PDF_PARAGRAPH.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        out: list[str] = []
        for line in lines:
            if out and (
                line[0].islower()
                or out[-1][-1] == ","
                or _ends_with_function_word(out[-1])
                or (len(out[-1]) >= PDF_WRAPPED_LINE and out[-1][-1] not in '.!?:;…»"')
            ):
                out[-1] = f"{out[-1]} {line}"
            else:
                out.append(line)
        paragraphs.append("\n".join(out))
    return "\n\n".join(p for p in paragraphs if p)


def item_text(item) -> tuple[str, date | None, str]:
    """The text extraction reads for an article or document, its reference date and language."""
    if item._meta.model_name == "article":
        parts = [item.title, item.lead, html_to_paragraphs(item.body_html)]
        published = item.published_at.date() if item.published_at else None
    else:
        chapters = [chapter.title + "." for chapter in item.chapters.all()]
        parts = [
            item.title,
            item.subtitle,
            "\n".join(chapters),
            html_to_paragraphs(item.presentation_html),
            # The file's text (library's intake writes it); last, so that the editorial parts come
            # first within the pipeline's length cap.
            pdf_text_to_paragraphs(getattr(item, "text_content", "") or ""),
        ]
        published = item.published_on or (item.published_at.date() if item.published_at else None)
    text = "\n\n".join(part.strip() for part in parts if part and part.strip())
    return text, published, item.language


def _fingerprint(edtf: str, sentence: str) -> str:
    return hashlib.sha256(f"{edtf}|{' '.join(sentence.split())}".encode()).hexdigest()


def _item_kwargs(item) -> dict:
    return {"article": item} if item._meta.model_name == "article" else {"document": item}


def item_extract(*, item, force: bool = False) -> ItemAnalysis:
    """Extract an item's countries, entities and events and store them (replacing auto rows only).

    The language models run before the transaction opens; an unchanged item (same text, same extractor
    version) is skipped unless `force`.
    """
    text, published_on, language = item_text(item)
    text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    kwargs = _item_kwargs(item)
    analysis = ItemAnalysis.objects.filter(**kwargs).first()
    if (
        analysis is not None
        and not force
        and analysis.text_hash == text_hash
        and analysis.extractor_version == EXTRACTOR_VERSION
    ):
        return analysis
    started = time.monotonic()
    result = extract(text, language=language, published_on=published_on)
    duration_ms = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        # Serialise extractions of one item (a publish and a change can be queued together).
        type(item).objects.select_for_update().filter(pk=item.pk).values_list(
            "pk", flat=True
        ).first()
        _store(item, kwargs, result)
        knowledge_changed_schedule()  # the item's panel, its actors' pages, the timelines
        analysis, _created = ItemAnalysis.objects.update_or_create(
            **kwargs,
            defaults={
                "language": result.language,
                "language_reason": result.language_reason[:255],
                "notes": result.notes,
                "text_hash": text_hash,
                "extractor_version": EXTRACTOR_VERSION,
                "extracted_at": timezone.now(),
                "duration_ms": duration_ms,
            },
        )
    for note in result.notes:
        logger.info("knowledge: %s %s: %s", item._meta.model_name, item.pk, note)
    return analysis


def _store(item, kwargs: dict, result) -> None:
    Mention.objects.filter(**kwargs, origin=Origin.AUTO).delete()
    Event.objects.filter(**kwargs, status=ReviewStatus.AUTO).delete()
    ItemCountry.objects.filter(**kwargs, origin=Origin.AUTO, status=ReviewStatus.AUTO).delete()

    countries = {c.code: c for c in Country.objects.filter(code__in=result.country_codes())}
    counts: dict[str, int] = {}
    for hit in result.countries:
        counts[hit.code] = counts.get(hit.code, 0) + 1
    kept = {
        row.country.code: row
        for row in ItemCountry.objects.filter(**kwargs).select_related("country")
    }
    new_rows = []
    for code, count in counts.items():
        if code not in countries:
            continue
        if code in kept:
            kept[code].mention_count = count
            kept[code].save(update_fields=["mention_count"])
        else:
            new_rows.append(ItemCountry(**kwargs, country=countries[code], mention_count=count))
    ItemCountry.objects.bulk_create(new_rows)

    resolved: dict[tuple[str, str], Entity | None] = {}
    mentions = []
    for span in result.entities:
        ref = (span.kind, span.key)
        if ref not in resolved:
            resolved[ref] = entity_resolve(
                kind=span.kind, name=span.name, key=span.key, country=None
            )
        entity = resolved[ref]
        if entity is None:
            continue
        if span.text != entity.name:
            _alias_add(entity, span.text)
        mentions.append(
            Mention(
                **kwargs, entity=entity, start=span.start, end=span.end, surface=span.text[:255]
            )
        )
    Mention.objects.bulk_create(mentions)

    reviewed = set(
        Event.objects.filter(**kwargs)
        .exclude(status=ReviewStatus.AUTO)
        .values_list("fingerprint", flat=True)
    )
    for hit in result.events:
        fingerprint = _fingerprint(hit.value.edtf, hit.sentence.text)
        if fingerprint in reviewed:
            continue
        place = None
        if hit.place:
            place = entity_resolve(
                kind=Entity.Kind.PLACE, name=hit.place, key=entity_key(hit.place)
            )
        event = Event.objects.create(
            **kwargs,
            date_value=hit.value.edtf,
            precision=hit.value.precision,
            start_on=hit.value.start,
            end_on=hit.value.end,
            is_future_target=hit.value.is_future_target,
            summary=hit.summary[:255],
            sentence=hit.sentence.text,
            sentence_start=hit.sentence.start,
            sentence_end=hit.sentence.end,
            fingerprint=fingerprint,
            place=place,
        )
        reviewed.add(fingerprint)
        event.countries.set([countries[c] for c in hit.countries if c in countries])
        actors = [resolved.get(ref) for ref in hit.entity_keys]
        event.entities.set([a for a in actors if a is not None])
    entity_counts_refresh(entity_ids=[e.pk for e in resolved.values() if e is not None])


def _follow(entity: Entity) -> Entity:
    seen = set()
    while entity.merged_into_id and entity.pk not in seen:
        seen.add(entity.pk)
        entity = entity.merged_into
    return entity


def _unique_slug(name: str, key: str) -> str:
    base = (slugify(key) or slugify(name) or "entite")[:200]
    slug, n = base, 2
    while Entity.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _alias_add(entity: Entity, name: str, origin: str = Origin.AUTO) -> None:
    name = " ".join(name.split())[:255]
    EntityAlias.objects.get_or_create(
        entity=entity, name=name, defaults={"key": entity_key(name), "origin": origin}
    )


def entity_resolve(
    *, kind: str, name: str, key: str, country: Country | None = None
) -> Entity | None:
    """The registry entity for an extracted name (created if new), or None if editors rejected it.

    Order: an alias with the same key, then an entity with the same key, then the closest alias of
    the same kind by rapidfuzz ratio (≥ STEPPE_KNOWLEDGE_FUZZY_THRESHOLD) among those sharing its
    longest word; single-word names are matched exactly only.
    """
    if not key:
        return None
    entity = None
    alias = EntityAlias.objects.filter(key=key, entity__kind=kind).select_related("entity").first()
    if alias is None and kind == Entity.Kind.PLACE and " " in key:
        # The French model sometimes labels a person's or an organisation's full name as a place;
        # a name of several words the registry knows as a person or organisation is that one.
        alias = (
            EntityAlias.objects.filter(
                key=key, entity__kind__in=[Entity.Kind.PERSON, Entity.Kind.ORGANISATION]
            )
            .select_related("entity")
            .first()
        )
    if alias is not None:
        entity = alias.entity
    if entity is None:
        entity = Entity.objects.filter(kind=kind, key=key).order_by("merged_into_id").first()
    if entity is None and " " in key:
        entity = _fuzzy_match(kind, key)
    if entity is None:
        try:
            with transaction.atomic():
                entity = Entity.objects.create(
                    kind=kind,
                    name=name[:255],
                    key=key[:255],
                    slug=_unique_slug(name, key),
                    country=country,
                )
                _alias_add(entity, name)
        except IntegrityError:  # another worker created it meanwhile
            entity = Entity.objects.filter(
                kind=kind, key=key[:255], merged_into__isnull=True
            ).first()
            if entity is None:
                raise
        return entity
    entity = _follow(entity)
    if entity.status == ReviewStatus.REJECTED:
        return None
    return entity


def _fuzzy_match(kind: str, key: str) -> Entity | None:
    stems = {word[:4] for word in key.split() if len(word) >= 4}
    if not stems:
        return None
    condition = Q()
    for stem in stems:
        condition |= Q(key__contains=stem)
    candidates = EntityAlias.objects.filter(condition, entity__kind=kind).select_related("entity")[
        :300
    ]
    target = skeleton(key)
    best, best_score = None, conf.fuzzy_threshold()
    for candidate in candidates:
        score = fuzz.ratio(target, skeleton(candidate.key))
        if score >= best_score:
            best, best_score = candidate.entity, score
    return best


def entity_counts_refresh(*, entity_ids: list[int]) -> None:
    """Recount the mentions of these entities (denormalised for listings)."""
    if not entity_ids:
        return
    for entity in Entity.objects.filter(pk__in=entity_ids).annotate(n=Count("mentions")):
        if entity.mention_count != entity.n:
            Entity.objects.filter(pk=entity.pk).update(mention_count=entity.n)


@transaction.atomic
def entity_confirm(*, entity: Entity) -> Entity:
    """Mark an entity as reviewed and right."""
    entity.status = ReviewStatus.CONFIRMED
    entity.save(update_fields=["status", "updated_at"])
    return entity


@transaction.atomic
def entity_reject(*, entity: Entity) -> Entity:
    """Reject an entity (not a real actor): its mentions and links go, and extraction never links it again."""
    entity.status = ReviewStatus.REJECTED
    entity.save(update_fields=["status", "updated_at"])
    entity.mentions.all().delete()
    entity.events.clear()
    Event.objects.filter(place=entity).update(place=None)
    entity_counts_refresh(entity_ids=[entity.pk])
    return entity


@transaction.atomic
def entity_rename(*, entity: Entity, name: str) -> Entity:
    """Give an entity a new canonical name; the old one stays as an alias."""
    name = " ".join(name.split())
    if not name:
        raise KnowledgeError("empty name")
    _alias_add(entity, entity.name)
    entity.name = name[:255]
    entity.status = ReviewStatus.CONFIRMED
    entity.save(update_fields=["name", "status", "updated_at"])
    _alias_add(entity, name, Origin.EDITOR)
    return entity


@transaction.atomic
def entity_merge(*, source: Entity, target: Entity) -> Entity:
    """Merge `source` into `target`: aliases, mentions and event links move; `source` points to `target`."""
    if source.pk == target.pk or source.kind != target.kind:
        raise KnowledgeError("only two different entities of the same kind can be merged")
    target_names = set(target.aliases.values_list("name", flat=True))
    for alias in source.aliases.all():
        if alias.name in target_names:
            alias.delete()
        else:
            alias.entity = target
            alias.save(update_fields=["entity"])
    _alias_add(target, source.name, Origin.EDITOR)
    source.mentions.update(entity=target)
    Event.objects.filter(place=source).update(place=target)
    for event in source.events.all():
        event.entities.add(target)
    source.events.clear()
    Entity.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    if target.status == ReviewStatus.AUTO:
        target.status = ReviewStatus.CONFIRMED
        target.save(update_fields=["status", "updated_at"])
    entity_counts_refresh(entity_ids=[source.pk, target.pk])
    return target


@transaction.atomic
def entity_split(*, entity: Entity, aliases: list[EntityAlias], name: str) -> Entity:
    """Move some aliases of `entity`, and the mentions written that way, to a new confirmed entity."""
    if not aliases or any(alias.entity_id != entity.pk for alias in aliases):
        raise KnowledgeError("choose aliases of this entity")
    key = entity_key(name)
    if Entity.objects.filter(kind=entity.kind, key=key, merged_into__isnull=True).exists():
        raise KnowledgeError("an entity with this name already exists")
    new = Entity.objects.create(
        kind=entity.kind,
        name=name[:255],
        key=key,
        slug=_unique_slug(name, key),
        status=ReviewStatus.CONFIRMED,
    )
    names = [alias.name for alias in aliases]
    EntityAlias.objects.filter(pk__in=[a.pk for a in aliases]).update(entity=new)
    _alias_add(new, name, Origin.EDITOR)
    moved = entity.mentions.filter(surface__in=names)
    items = set(moved.values_list("article_id", "document_id"))
    moved.update(entity=new, origin=Origin.EDITOR)
    for article_id, document_id in items:
        for event in entity.events.filter(
            Q(article_id=article_id) if article_id else Q(document_id=document_id)
        ):
            if any(n in event.sentence for n in names):
                event.entities.remove(entity)
                event.entities.add(new)
    entity_counts_refresh(entity_ids=[entity.pk, new.pk])
    return new


def country_suggestions(*, text: str, limit: int = 5) -> list[Country]:
    """Countries a draft's text mentions, most mentioned first, for the editor to accept or not.

    Gazetteer only (no language model): cheap enough for the web process.
    """
    from .extraction.countries import find_countries
    from .extraction.text import strip_page_structure

    counts: dict[str, int] = {}
    for hit in find_countries(strip_page_structure(text or "")[:300_000]):
        counts[hit.code] = counts.get(hit.code, 0) + 1
    codes = sorted(counts, key=lambda code: -counts[code])[:limit]
    by_code = {country.code: country for country in Country.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]
