from django.utils import timezone
from django.utils.text import slugify

import factory
from factory.django import DjangoModelFactory

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.text import render_markdown
from steppe.publishing.models import Article


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article numéro {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    lead = "Un chapeau court qui résume l'article."
    body_source = "Premier paragraphe.\n\n## Intertitre\n\nSecond paragraphe."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body_source))
    author = factory.SubFactory(UserFactory)

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
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
