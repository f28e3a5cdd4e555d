"""Reads of the knowledge layer."""

from django.db.models import Count, Prefetch, Q, QuerySet

from steppe.core.models import PublicationStatus

from .models import Entity, Event, Mention, ReviewStatus


def item_get(*, item_type: str, item_id: int):
    """The article or document, or None if it no longer exists."""
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    models = {"article": Article, "document": Document}
    if item_type not in models:
        raise ValueError(item_type)
    return models[item_type].objects.filter(pk=item_id).first()


def _published_item() -> Q:
    return Q(article__status=PublicationStatus.PUBLISHED) | Q(
        document__status=PublicationStatus.PUBLISHED
    )


def entity_visible() -> QuerySet[Entity]:
    """Entities a public page may show: not rejected, not merged away."""
    return Entity.objects.filter(merged_into__isnull=True).exclude(status=ReviewStatus.REJECTED)


def event_list_for_item(*, item) -> QuerySet[Event]:
    """An item's events, actors and countries prefetched (two extra queries whatever the count)."""
    return (
        Event.objects.for_item(item)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("place")
        .prefetch_related(
            Prefetch("entities", queryset=entity_visible()),
            "countries",
        )
    )


def entity_list_for_item(*, item) -> QuerySet[Entity]:
    """The people, organisations and places an item names, most named first."""
    return (
        entity_visible()
        .filter(mentions__in=Mention.objects.for_item(item))
        .annotate(n=Count("mentions"))
        .order_by("-n", "name")
    )


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
    mentions = Mention.objects.filter(entity=entity)
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
    return (
        entity_visible()
        .exclude(kind=Entity.Kind.PLACE)
        .filter(
            Q(
                mentions__article_id__in=item_countries.filter(article__isnull=False).values(
                    "article_id"
                )
            )
            | Q(
                mentions__document_id__in=item_countries.filter(document__isnull=False).values(
                    "document_id"
                )
            )
        )
        .filter(
            Q(mentions__article__status=PublicationStatus.PUBLISHED)
            | Q(mentions__document__status=PublicationStatus.PUBLISHED)
        )
        .annotate(n=Count("mentions", distinct=True))
        .order_by("-n", "name")[:limit]
    )


def entity_profile(*, entity: Entity) -> dict:
    """What an actor page shows besides the items: mentions per year, co-mentioned actors and countries."""
    from django.db.models.functions import ExtractYear

    from steppe.taxonomy.models import Country

    from .models import ItemCountry

    mentions = Mention.objects.filter(entity=entity).filter(
        Q(article__status=PublicationStatus.PUBLISHED)
        | Q(document__status=PublicationStatus.PUBLISHED)
    )
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
    return {
        "mentions_per_year": sorted(years.items()),
        "co_mentioned": list(entity_co_mentions(entity=entity)),
        "countries": countries,
    }


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
