import factory
from factory.django import DjangoModelFactory

from steppe.accounts.models import User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"auteur-{n}")
    display_name = factory.Sequence(lambda n: f"Auteur {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("un-mot-de-passe-solide")


class OrganisationFactory(UserFactory):
    kind = User.Kind.NGO
    organisation = factory.Sequence(lambda n: f"ONG {n}")
