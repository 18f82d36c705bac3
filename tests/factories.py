import datetime

import factory
from allauth.account.models import EmailAddress

from integrations.models import (
    Application,
    ApplicationVersion,
    Category,
    Integration,
    IntegrationKind,
    IntegrationVersion,
    VersionSubmission,
)
from portal.models import Invitation, Membership, Organization, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as allauth would leave it after sign-up (pass verified=False to skip)."""
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    website = "https://example.com"
    is_integrator = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MEMBER


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    provider = factory.SubFactory(OrganizationFactory, is_provider=True)
    name = factory.Sequence(lambda n: f"Application {n}")
    slug = factory.Sequence(lambda n: f"application-{n}")
    website = "https://example.com/product"
    category = Category.ECOMMERCE
    description = "A product integrators connect to."
    is_published = True


class ApplicationVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationVersion

    application = factory.SubFactory(ApplicationFactory)
    label = factory.Sequence(lambda n: f"v{n}")
    release_date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))


class VersionSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VersionSubmission

    application = factory.SubFactory(ApplicationFactory)
    label = factory.Sequence(lambda n: f"Submitted v{n}")
    release_date = datetime.date(2024, 5, 1)
    source_url = "https://example.com/release-notes"
    submitted_by = factory.SubFactory(UserFactory)


class IntegrationFactory(factory.django.DjangoModelFactory):
    """A Dynamic integration of an application, owned by an integrator organization."""

    class Meta:
        model = Integration

    owner = factory.SubFactory(OrganizationFactory, is_integrator=True)
    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"Integration {n}")
    slug = factory.Sequence(lambda n: f"integration-{n}")
    kind = IntegrationKind.DYNAMIC
    description = "Moves customers and orders."


class IntegrationVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrationVersion

    integration = factory.SubFactory(IntegrationFactory)
    number = factory.Sequence(lambda n: f"1.{n}.0")


def template_mapping(version, user, name: str, *, collection: str = "customer", direction: str = "to_ipaas", **values):
    """A template mapping made through the action, as an integrator makes one; `collection` is a
    data model key, and every attribute not given takes the editor's default."""
    from integrations.mappings import services as mapping_services
    from integrations.models import MappingCollection

    defaults = {"parent": None, "sync_type": "add", "collision_handling": "skip", "mapping_filter": ""}
    defaults |= {"error_filter": "", "notes": ""}
    return mapping_services.create_template_mapping(
        version,
        acting_user=user,
        name=name,
        collection=MappingCollection.objects.get(key=collection),
        direction=direction,
        **(defaults | values),
    )
