"""The fixed cast every test can use (STYLE.md):

alice  owner of Northwind Integrations (integrator)
ivy    plain member of Northwind Integrations
bob    owner of Bluebird Connect, another integrator
carol  owner of Acme Retail, a customer
misty  owner of Summit Managed Services, a MiSP
sam    Red Rook staff, with two-factor authentication on
"""

import importlib

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client

from marketplace.reviews import windows as review_windows
from portal.models import Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.migrations import whole_schema_after  # noqa: F401 - the fixture of the migration tests
from tests.redis_server import own_broker, own_redis  # noqa: F401 - fixtures for the Redis outage tests


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    review_windows.forget()  # kept per process for a minute; a test's policy must not outlive it
    yield
    cache.clear()
    review_windows.forget()


@pytest.fixture(autouse=True)
def _mail_goes_through_the_task(settings):
    """pytest-django swaps EMAIL_BACKEND for locmem; put the real path back (TaskEmailBackend ->
    Celery task, eager in tests -> PORTAL_EMAIL_BACKEND, which is locmem), so every test that
    reads mail.outbox also proves the mail left through the task after commit."""
    settings.EMAIL_BACKEND = "portal.mail.TaskEmailBackend"


def _owner(email, name, organization):
    user = UserFactory(email=email, name=name)
    MembershipFactory(user=user, organization=organization, role=Role.OWNER)
    return user


@pytest.fixture
def northwind(db) -> Organization:
    return OrganizationFactory(name="Northwind Integrations", slug="northwind", is_integrator=True)


@pytest.fixture
def bluebird(db) -> Organization:
    return OrganizationFactory(name="Bluebird Connect", slug="bluebird", is_integrator=True)


@pytest.fixture
def acme(db) -> Organization:
    return OrganizationFactory(name="Acme Retail", slug="acme", is_integrator=False, is_customer=True)


@pytest.fixture
def summit(db) -> Organization:
    return OrganizationFactory(name="Summit Managed Services", slug="summit", is_integrator=False, is_misp=True)


@pytest.fixture
def alice(northwind):
    return _owner("alice@northwind.example.com", "Alice Integrator", northwind)


@pytest.fixture
def ivy(northwind):
    user = UserFactory(email="ivy@northwind.example.com", name="Ivy Member")
    MembershipFactory(user=user, organization=northwind, role=Role.MEMBER)
    return user


@pytest.fixture
def bob(bluebird):
    return _owner("bob@bluebird.example.com", "Bob Other", bluebird)


@pytest.fixture
def carol(acme):
    return _owner("carol@acme-retail.example.com", "Carol Customer", acme)


@pytest.fixture
def misty(summit):
    return _owner("misty@summit.example.com", "Misty MiSP", summit)


@pytest.fixture
def sam(db):
    user = UserFactory(email="sam@redrook.example.com", name="Sam Staff", is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (logos, the demo data's too) go to a fresh folder, never into the working copy's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _common_data_model(request):
    """Transactional tests (the browser tests' live server) end by flushing the database, rows
    that data migrations added included. Put the shipped common data model back, so every test
    sees the database as a fresh deployment has it."""
    names = request.fixturenames
    if "live_server" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from integrations.models import MappingCollection

    if not MappingCollection.objects.exists():
        importlib.import_module("integrations.migrations.0005_seed_common_data_model").seed(apps, None)
