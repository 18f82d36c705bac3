"""Who may change what: owners and admins of the owning organization change its profile,
applications and versions; any member sees its drafts; everyone else gets 404 for private
objects (403 only where the refusal reveals nothing about a particular object)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import Application, ApplicationVersion
from portal.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {"name": "Adobe Commerce", "website": "", "category": "ecommerce", "description": ""}
VERSION = {"label": "Open Source 2.6.x", "release_date": "2026-01-20", "notes": ""}


@pytest.fixture
def admin_of_provider(provider):
    user = UserFactory(email="ada@northwind.example.com")
    MembershipFactory(user=user, organization=provider, role=Role.ADMIN)
    return user


def post(user, name, data, *args):
    return client_for(user).post(reverse(name, args=args), data)


# --- Registering and changing applications ------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "admin_of_provider"])
def test_owners_and_admins_register_applications(who, provider, request):
    response = post(request.getfixturevalue(who), "application_create", APPLICATION)
    application = Application.objects.get(name="Adobe Commerce")
    assert response["Location"] == reverse("application_edit", args=[application.slug])
    assert application.provider == provider and not application.is_published


def test_a_plain_member_cannot_register_an_application(provider, ivy):
    assert post(ivy, "application_create", APPLICATION).status_code == 403
    assert not Application.objects.exists()


def test_an_organization_that_is_not_a_provider_cannot_register_applications(northwind, alice):
    response = post(alice, "application_create", APPLICATION)
    assert response.status_code == 403
    assert "Only application provider organizations register applications" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 302), ("admin_of_provider", 302), ("ivy", 403), ("bob", 404), ("carol", 404)]
)
def test_only_owners_and_admins_of_the_owner_change_an_application(who, status, magento, other_provider, request):
    data = {**APPLICATION, "name": "Magento Open Source", "is_published": "on"}
    assert post(request.getfixturevalue(who), "application_edit", data, magento.slug).status_code == status
    magento.refresh_from_db()
    assert (magento.name == "Magento Open Source") is (status == 302)


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 302), ("admin_of_provider", 302), ("ivy", 403), ("bob", 404), ("carol", 404)]
)
def test_only_owners_and_admins_of_the_owner_add_versions(who, status, magento, other_provider, request):
    assert post(request.getfixturevalue(who), "version_create", VERSION, magento.slug).status_code == status
    assert magento.versions.filter(label=VERSION["label"]).exists() is (status == 302)


@pytest.mark.parametrize(("who", "status"), [("alice", 302), ("ivy", 403), ("bob", 404)])
def test_only_owners_and_admins_of_the_owner_change_versions(who, status, magento, magento_versions, request):
    version = magento_versions["Open Source 2.3.x"]
    data = {**VERSION, "label": "Open Source 2.3 (end of life)"}
    response = post(request.getfixturevalue(who), "version_edit", data, magento.slug, version.public_id)
    assert response.status_code == status
    version.refresh_from_db()
    assert (version.label == "Open Source 2.3 (end of life)") is (status == 302)


@pytest.mark.parametrize(("who", "status"), [("alice", 302), ("ivy", 403), ("bob", 404)])
def test_only_owners_and_admins_of_the_owner_remove_versions(who, status, magento, magento_versions, request):
    version = magento_versions["Open Source 2.3.x"]
    response = post(request.getfixturevalue(who), "version_remove", {}, magento.slug, version.public_id)
    assert response.status_code == status
    assert ApplicationVersion.objects.filter(pk=version.pk).exists() is (status != 302)


def test_a_version_is_reached_only_through_its_own_application(magento, magento_versions, provider, alice):
    other = Application.objects.create(provider=provider, name="Adobe Commerce", slug="adobe-commerce")
    version = magento_versions["Open Source 2.3.x"]
    url = reverse("version_edit", args=[other.slug, version.public_id])
    assert client_for(alice).get(url).status_code == 404


def test_another_providers_owner_gets_404_for_a_draft_everywhere(draft, other_provider, bob):
    client = client_for(bob)
    for name in ["application_detail", "application_edit", "version_create", "version_submit"]:
        assert client.get(reverse(name, args=[draft.slug])).status_code == 404, name


def test_any_member_sees_the_drafts_of_their_organization(draft, provider, ivy):
    client = client_for(ivy)
    detail = client.get(reverse("application_detail", args=[draft.slug]))
    assert detail.status_code == 200
    assert "This application is a draft" in detail.content.decode()
    assert "Secret Suite" in client.get(reverse("provider_application_list")).content.decode()
    assert "Secret Suite" in client.get(reverse("provider_detail", args=[provider.slug])).content.decode()


def test_drafts_stay_off_the_public_pages(draft, magento, provider, bob):
    for client in [client_for(None), client_for(bob)]:
        assert "Secret Suite" not in client.get(reverse("provider_detail", args=[provider.slug])).content.decode()
        assert "Secret Suite" not in client.get(reverse("provider_directory")).content.decode()
    assert client_for(None).get(reverse("application_detail", args=[draft.slug])).status_code == 404


def test_acting_for_another_organization_hides_the_drafts(draft, provider, other_provider, ivy):
    MembershipFactory(user=ivy, organization=other_provider, role=Role.OWNER)
    client = client_for(ivy)
    session = client.session
    session["acting_organization"] = str(other_provider.public_id)
    session.save()
    assert client.get(reverse("application_detail", args=[draft.slug])).status_code == 404


# --- Public profiles ------------------------------------------------------------------------

PROFILE = {
    "name": "Northwind Integrations",
    "website": "northwind.example.com",
    "description": "We build integrations.",
    "contact_email": "hello@northwind.example.com",
    "services_offered": "Implementation\nSupport",
}


@pytest.mark.parametrize(("who", "status"), [("alice", 302), ("admin_of_provider", 302), ("ivy", 403)])
def test_owners_and_admins_edit_the_public_profile(who, status, provider, request):
    assert post(request.getfixturevalue(who), "public_profile_edit", PROFILE).status_code == status
    provider.refresh_from_db()
    assert (provider.description == "We build integrations.") is (status == 302)
    if status == 302:
        assert provider.website == "https://northwind.example.com"
        assert provider.services_list == ["Implementation", "Support"]


def test_a_customer_organization_has_no_public_profile(carol, acme):
    response = post(carol, "public_profile_edit", PROFILE)
    assert response.status_code == 403
    assert "Only providers, integrators and MiSPs have a public profile" in response.content.decode()


def test_a_provider_only_organization_keeps_its_services_when_the_field_is_not_shown(bluebird, bob):
    bluebird.is_integrator, bluebird.is_provider = False, True
    bluebird.services_offered = "Kept"
    bluebird.save()
    page = client_for(bob).get(reverse("public_profile_edit")).content.decode()
    assert "Services offered" not in page
    post(bob, "public_profile_edit", {**PROFILE, "services_offered": "ignored"})
    bluebird.refresh_from_db()
    assert bluebird.services_offered == "Kept"


def test_public_profile_pages_answer_only_for_their_kind(northwind, summit, acme):
    client = client_for(None)
    assert client.get(reverse("integrator_profile", args=[northwind.slug])).status_code == 200
    assert client.get(reverse("misp_profile", args=[northwind.slug])).status_code == 404
    assert client.get(reverse("misp_profile", args=[summit.slug])).status_code == 200
    assert client.get(reverse("integrator_profile", args=[acme.slug])).status_code == 404
    assert client.get(reverse("provider_detail", args=[acme.slug])).status_code == 404


def test_a_version_cannot_be_moved_into_the_future(magento, magento_versions, alice):
    far = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    version = magento_versions["Open Source 2.3.x"]
    response = post(alice, "version_edit", {**VERSION, "release_date": far}, magento.slug, version.public_id)
    assert response.status_code == 200
    assert "the date cannot be in the future" in response.content.decode()
