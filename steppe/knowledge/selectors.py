"""Reads of the knowledge layer."""

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from .models import Entity, Event, Mention, ReviewStatus, _item_field


def item_get(*, item_type: str, item_id: int):
    """The article or document, or None if it no longer exists."""
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    models = {"article": Article, "document": Document}
    if item_type not in models:
        raise ValueError(item_type)
    return models[item_type].objects.filter(pk=item_id).first()


def _published_item(prefix: str = "") -> Q:
    """Rows linked to a published item: status published *and* `published_at` reached.

    The domain apps' `.published()` querysets say what "published" means (a scheduled item is not
    published yet); they are used as subqueries so that the rule lives in one place.
    """
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    return Q(**{f"{prefix}article__in": Article.objects.published().values("pk")}) | Q(
        **{f"{prefix}document__in": Document.objects.published().values("pk")}
    )


def entity_visible() -> QuerySet[Entity]:
    """Entities a public page may show: not rejected, not merged away."""
    return Entity.objects.filter(merged_into__isnull=True).exclude(status=ReviewStatus.REJECTED)


# The item panel's two reads run on every first view of an article or a document page (most
# views of a large archive: the fragment cache only helps a page read again). Written in SQL:
# compiling the equivalent querysets cost more CPU than running them (~0.5 ms each of the page's
# ~8 ms). Columns and conditions are the ORM's own (`entity_visible()`, `ReviewStatus`); the
# panel tests run on SQLite and PostgreSQL.
_ITEM_ENTITIES_SQL = """
SELECT e.id, e.kind, e.name, e.slug, COUNT(m.id) AS n
FROM {entity} e INNER JOIN {mention} m ON m.entity_id = e.id
WHERE m.{item}_id = %s AND e.merged_into_id IS NULL AND e.status <> %s
GROUP BY e.id, e.kind, e.name, e.slug
ORDER BY n DESC, e.name ASC
LIMIT %s
"""
_ITEM_EVENTS_SQL = """
SELECT * FROM {event} WHERE {item}_id = %s AND status <> %s ORDER BY start_on ASC, id ASC
"""


def event_list_for_item(*, item) -> list[Event]:
    """An item's events (not rejected), earliest first, with their place, actors and countries
    loaded (three extra queries, only if it has events)."""
    events = list(
        Event.objects.raw(
            _ITEM_EVENTS_SQL.format(event=Event._meta.db_table, item=_item_field(item)),
            [item.pk, ReviewStatus.REJECTED],
        )
    )
    if events:
        prefetch_related_objects(
            events, "place", Prefetch("entities", queryset=entity_visible()), "countries"
        )
    return events


def entity_list_for_item(*, item, limit: int = 20) -> list[Entity]:
    """The people, organisations and places an item names (visible ones), most named first; `n`
    is the number of their mentions in the item."""
    sql = _ITEM_ENTITIES_SQL.format(
        entity=Entity._meta.db_table, mention=Mention._meta.db_table, item=_item_field(item)
    )
    return list(Entity.objects.raw(sql, [item.pk, ReviewStatus.REJECTED, limit]))


def event_list_for_country(*, country, year: int | None = None) -> QuerySet[Event]:
    """Events of published items involving a country, newest first (for its timeline)."""
    events = (
        Event.objects.filter(countries=country)
        .filter(_published_item())
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("place", "article", "document")
        .order_by("-start_on", "-id")
    )
    if year:
        events = events.filter(start_on__year=year)
    return events


def entity_co_mentions(*, entity: Entity, limit: int = 10) -> QuerySet[Entity]:
    """Entities named in the same items as `entity`, most shared items first."""
    mentions = Mention.objects.filter(_published_item(), entity=entity)
    articles = mentions.filter(article__isnull=False).values("article_id")
    documents = mentions.filter(document__isnull=False).values("document_id")
    return (
        entity_visible()
        .exclude(pk=entity.pk)
        .filter(Q(mentions__article_id__in=articles) | Q(mentions__document_id__in=documents))
        .annotate(
            shared=Count("mentions__article", distinct=True)
            + Count("mentions__document", distinct=True)
        )
        .order_by("-shared", "name")[:limit]
    )


TIMELINE_PAGE_SIZE = 20


def event_timeline_page(
    *, country=None, year: int | None = None, theme_slug: str = "", page: int = 1
) -> tuple[list[Event], bool]:
    """One page of a timeline (a country's, or the region's when `country` is None), newest first.

    Returns the events and whether an older page exists (one row more is read instead of a count).
    Past events only: future targets have their own list.
    """
    events = (
        Event.objects.filter(_published_item(), is_future_target=False)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("place", "article", "document")
        .prefetch_related("countries")
        .order_by("-start_on", "-id")
    )
    if country is not None:
        events = events.filter(countries=country)
    if year:
        events = events.filter(start_on__year=year)
    if theme_slug:
        events = events.filter(
            Q(article__themes__slug=theme_slug) | Q(document__themes__slug=theme_slug)
        )
    offset = (page - 1) * TIMELINE_PAGE_SIZE
    rows = list(events[offset : offset + TIMELINE_PAGE_SIZE + 1])
    return rows[:TIMELINE_PAGE_SIZE], len(rows) > TIMELINE_PAGE_SIZE


def event_years(*, country=None) -> list[int]:
    """Years that have events (for the timeline's filter links)."""
    events = Event.objects.filter(_published_item(), is_future_target=False).exclude(
        status=ReviewStatus.REJECTED
    )
    if country is not None:
        events = events.filter(countries=country)
    return sorted({d.year for d in events.dates("start_on", "year")}, reverse=True)


def entity_list_for_country(*, country, limit: int = 10) -> QuerySet[Entity]:
    """The people and organisations most mentioned in published items that mention a country."""
    from .models import ItemCountry

    item_countries = ItemCountry.objects.filter(country=country).exclude(
        status=ReviewStatus.REJECTED
    )
    # One filter() call: the same mention must be in an item naming the country *and* published.
    in_country_items = Q(
        mentions__article_id__in=item_countries.filter(article__isnull=False).values("article_id")
    ) | Q(
        mentions__document_id__in=item_countries.filter(document__isnull=False).values(
            "document_id"
        )
    )
    return (
        entity_visible()
        .exclude(kind=Entity.Kind.PLACE)
        .filter(in_country_items & _published_item("mentions__"))
        .annotate(n=Count("mentions", distinct=True))
        .order_by("-n", "name")[:limit]
    )


def entity_profile(*, entity: Entity) -> dict:
    """What an actor page shows besides the items: mentions per year, co-mentioned actors and countries."""
    from django.db.models.functions import ExtractYear

    from steppe.taxonomy.models import Country

    from .models import ItemCountry

    mentions = Mention.objects.filter(entity=entity).filter(_published_item())
    per_year = (
        mentions.annotate(
            year=ExtractYear("article__published_at"),
            doc_year=ExtractYear("document__published_at"),
        )
        .values("year", "doc_year")
        .annotate(n=Count("id"))
    )
    years: dict[int, int] = {}
    for row in per_year:
        year = row["year"] or row["doc_year"]
        if year:
            years[year] = years.get(year, 0) + row["n"]
    articles = mentions.filter(article__isnull=False).values("article_id")
    documents = mentions.filter(document__isnull=False).values("document_id")
    country_rows = (
        ItemCountry.objects.filter(Q(article_id__in=articles) | Q(document_id__in=documents))
        .exclude(status=ReviewStatus.REJECTED)
        .values("country")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    counts = {row["country"]: row["n"] for row in country_rows}
    countries = sorted(Country.objects.filter(pk__in=counts), key=lambda c: -counts[c.pk])
    profile = {
        "mentions_per_year": sorted(years.items()),
        "co_mentioned": list(entity_co_mentions(entity=entity)),
        "countries": countries,
    }
    if not entity.description.strip():
        profile["generated_description"] = entity_generated_description(
            entity=entity, countries=countries, mentions=mentions
        )
    return profile


def entity_generated_description(
    *, entity: Entity, countries: list | None = None, mentions: QuerySet[Mention] | None = None
) -> str:
    """One line saying what the actor is from the data: kind, items, period, countries named with it.

    Shown where an editor has written no description. `countries` (most co-mentioned first) and
    `mentions` (in published items) may be passed by a caller that has them already.
    """
    from django.db.models import Max, Min
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext, ngettext

    if mentions is None:
        mentions = Mention.objects.filter(entity=entity).filter(_published_item())
    if countries is None:
        countries = entity_profile(entity=entity)["countries"]
    span = mentions.aggregate(
        articles=Count("article", distinct=True),
        documents=Count("document", distinct=True),
        article_first=Min("article__published_at"),
        article_last=Max("article__published_at"),
        document_first=Min("document__published_at"),
        document_last=Max("document__published_at"),
    )
    count = span["articles"] + span["documents"]
    if not count:
        return ""
    kinds = {
        Entity.Kind.PERSON: ngettext(
            "Person named in %(count)d article or document",
            "Person named in %(count)d articles and documents",
            count,
        ),
        Entity.Kind.ORGANISATION: ngettext(
            "Organisation named in %(count)d article or document",
            "Organisation named in %(count)d articles and documents",
            count,
        ),
        Entity.Kind.PLACE: ngettext(
            "Place named in %(count)d article or document",
            "Place named in %(count)d articles and documents",
            count,
        ),
    }
    what = kinds.get(entity.kind, kinds[Entity.Kind.ORGANISATION]) % {"count": count}
    moments = [
        timezone.localtime(value)
        for value in (
            span["article_first"],
            span["document_first"],
            span["article_last"],
            span["document_last"],
        )
        if value
    ]
    if moments:
        first, last = min(moments), max(moments)
        first_month = date_format(first, "YEAR_MONTH_FORMAT")
        last_month = date_format(last, "YEAR_MONTH_FORMAT")
        if first_month == last_month:
            what = gettext("%(what)s, in %(month)s") % {"what": what, "month": first_month}
        else:
            what = gettext("%(what)s, from %(first)s to %(last)s") % {
                "what": what,
                "first": first_month,
                "last": last_month,
            }
    line = gettext("%(what)s.") % {"what": what}
    names = [country.name for country in countries[:3]]
    if names:
        line += " " + gettext("Countries most often named with it: %(countries)s.") % {
            "countries": ", ".join(names)
        }
    return line


def item_list_for_entity(*, entity: Entity):
    """Published articles and documents that name an entity, newest first (two queries)."""
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    articles = list(
        Article.objects.published()
        .filter(knowledge_mentions__entity=entity)
        .distinct()
        .select_related("author")
        .only(
            "id",
            "title",
            "slug",
            "kind",
            "published_at",
            "lead",
            "author__display_name",
            "author__username",
        )
        .order_by("-published_at")[:50]
    )
    documents = list(
        Document.objects.published()
        .filter(knowledge_mentions__entity=entity)
        .distinct()
        .only("id", "title", "slug", "published_at", "published_on")
        .order_by("-published_at")[:50]
    )
    return articles, documents


# --- the editor's suggestions -------------------------------------------------------------------

THEME_MIN_HITS = 2  # one keyword in passing ("une école", "le budget") does not make a theme
MAX_THEME_SUGGESTIONS = 3
MAX_TAG_SUGGESTIONS = 8
TAG_MIN_MENTIONS = 2  # an unreviewed entity must be named in two items before it is suggested
_KEY_CHUNK = 500  # keys per IN (…) query: well under SQLite's parameter limit


def theme_suggestions(*, text: str, limit: int = MAX_THEME_SUGGESTIONS) -> list:
    """Themes whose curated keywords (`data/theme_keywords.json`) the text uses most, best first."""
    from steppe.taxonomy.models import Theme

    from .suggestions import theme_scores

    scores = {slug: n for slug, n in theme_scores(text).items() if n >= THEME_MIN_HITS}
    themes = Theme.objects.filter(slug__in=scores)
    return sorted(themes, key=lambda theme: (-scores[theme.slug], theme.position))[:limit]


def tag_suggestions(*, text: str, limit: int = MAX_TAG_SUGGESTIONS) -> list[Entity]:
    """Registry entities the text names by one of their aliases (exact key, Russian case endings
    off), most named first. Rejected entities never; unreviewed ones only once named in
    TAG_MIN_MENTIONS items; countries are left to the country suggestions."""
    from .models import EntityAlias
    from .suggestions import name_candidates

    candidates = name_candidates(text)
    if not candidates:
        return []
    keys = list(candidates)
    counts: dict[int, int] = {}
    entities: dict[int, Entity] = {}
    for offset in range(0, len(keys), _KEY_CHUNK):
        aliases = EntityAlias.objects.filter(
            key__in=keys[offset : offset + _KEY_CHUNK]
        ).values_list("key", "entity_id", "entity__merged_into_id")
        for key, entity_id, merged_into_id in aliases:
            target = merged_into_id or entity_id
            counts[target] = counts.get(target, 0) + candidates[key]
    if not counts:
        return []
    rows = (
        entity_visible()
        .filter(pk__in=counts)
        .filter(Q(status=ReviewStatus.CONFIRMED) | Q(mention_count__gte=TAG_MIN_MENTIONS))
        .only("id", "name", "slug", "kind", "mention_count")
    )
    entities = {entity.pk: entity for entity in rows}
    ranked = sorted(entities.values(), key=lambda e: (-counts[e.pk], -e.mention_count, e.name))
    return ranked[:limit]


def editor_suggestions(
    *,
    text: str,
    chosen_countries: set[str] | frozenset[str] = frozenset(),
    chosen_themes: set[str] | frozenset[str] = frozenset(),
    tags: str = "",
) -> dict:
    """Countries, themes and tags to suggest for a draft, each marked `chosen` when the editor form
    already has it (`chosen_*` are primary keys as strings, `tags` the form's comma-separated text).

    Gazetteer, keyword lists and alias keys only: no language model in the web process.
    """
    from .services import country_suggestions

    tag_names = {name.strip().casefold() for name in (tags or "").split(",") if name.strip()}
    suggested_countries = country_suggestions(text=text)
    countries = [
        {
            "label": country.name,
            "value": str(country.pk),
            "chosen": str(country.pk) in chosen_countries,
        }
        for country in suggested_countries
    ]
    themes = [
        {"label": theme.name, "value": str(theme.pk), "chosen": str(theme.pk) in chosen_themes}
        for theme in theme_suggestions(text=text)
    ]
    country_names = {
        name.casefold()
        for country in suggested_countries
        for name in (country.name_fr, country.name_en, country.name_ru)
    }
    entity_tags = [
        {
            "label": entity.name,
            "value": entity.name,
            "chosen": entity.name.casefold() in tag_names,
        }
        for entity in tag_suggestions(text=text)
        if entity.name.casefold() not in country_names
    ]
    return {"countries": countries, "themes": themes, "tags": entity_tags}
