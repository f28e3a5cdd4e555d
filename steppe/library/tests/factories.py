import datetime

from django.utils import timezone
from django.utils.text import slugify

import factory
from factory.django import DjangoModelFactory

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.text import render_markdown
from steppe.library.models import Chapter, Document


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rapport numéro {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    subtitle = "Un sous-titre qui décrit le rapport."
    published_on = datetime.date(2025, 12, 23)
    organisation = "Observatoire fictif"
    presentation_source = "Une présentation du document, en deux phrases. Voici la seconde."
    presentation_html = factory.LazyAttribute(lambda o: render_markdown(o.presentation_source))
    contributor = factory.SubFactory(UserFactory)

    class Params:
        published = factory.Trait(
            status=PublicationStatus.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1)),
        )

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def chapters(self, create, extracted, **kwargs):
        if create and extracted:
            Chapter.objects.bulk_create(
                Chapter(document=self, position=i, title=title)
                for i, title in enumerate(extracted, start=1)
            )
