import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.models import AuditEvent, Membership, Organization, Role
from portal.tenancy import ACTING_ORGANIZATION_KEY
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganizationFactory


def test_creating_an_organization_makes_the_creator_its_owner_and_acting_organization(alice):
    client = client_for(alice)
    response = client.post(
        reverse("organization_create"),
        {"name": "Harbor Apps", "kinds": ["provider", "integrator"], "website": "harbor.example.com"},
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="Harbor Apps")
    assert organization.is_provider and organization.is_integrator and not organization.is_customer
    assert organization.website == "https://harbor.example.com"
    assert Membership.objects.get(organization=organization, user=alice).role == Role.OWNER
    assert client.session[ACTING_ORGANIZATION_KEY] == str(organization.public_id)
    assert AuditEvent.objects.filter(kind="organization.created", organization=organization).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "kinds": ["integrator"]}, "This field is required."),
        ({"name": "   ", "kinds": ["integrator"]}, "This field is required."),
        ({"name": "X", "kinds": []}, "Choose at least one kind of organization."),
        ({"name": "X", "kinds": ["pirate"]}, "Select a valid choice."),
        ({"name": "X" * 121, "kinds": ["integrator"]}, "at most 120 characters"),
        ({"name": "X", "kinds": ["integrator"], "website": "not a url at all"}, "Enter a valid URL."),
    ],
)
def test_a_bad_organization_form_shows_the_problem_and_creates_nothing(alice, data, message):
    before = Organization.objects.count()
    response = client_for(alice).post(reverse("organization_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organization.objects.count() == before


def test_slugs_stay_unique_for_organizations_with_the_same_name(alice, bob):
    for user in (alice, bob):
        client_for(user).post(reverse("organization_create"), {"name": "Same Name", "kinds": ["customer"]})
    slugs = sorted(Organization.objects.filter(name="Same Name").values_list("slug", flat=True))
    assert slugs == ["same-name", "same-name-2"]


def test_owner_updates_the_organization_profile(alice, northwind):
    response = client_for(alice).post(
        reverse("organization_settings"),
        {"name": "Northwind Apps", "kinds": ["integrator", "misp"], "website": "https://nw.example.com"},
    )
    assert response.status_code == 302
    northwind.refresh_from_db()
    assert northwind.name == "Northwind Apps" and northwind.is_misp
    event = AuditEvent.objects.get(kind="organization.updated")
    assert event.actor == alice and "Northwind Integrations" in event.from_state


def test_a_plain_member_cannot_change_the_organization_profile(ivy, northwind):
    response = client_for(ivy).post(reverse("organization_settings"), {"name": "Hijacked", "kinds": ["customer"]})
    assert response.status_code == 403
    northwind.refresh_from_db()
    assert northwind.name == "Northwind Integrations"


def test_switching_to_an_organization_you_belong_to_changes_the_acting_organization(alice, bluebird):
    MembershipFactory(user=alice, organization=bluebird, role=Role.MEMBER)
    client = client_for(alice)
    response = client.post(reverse("organization_switch"), {"organization": str(bluebird.public_id)}, follow=True)
    assert "You are now acting for Bluebird Connect" in response.content.decode()
    assert response.context["acting_organization"] == bluebird


def test_switching_to_an_organization_you_are_not_in_is_refused_and_changes_nothing(alice, bluebird, northwind):
    client = client_for(alice)
    response = client.post(reverse("organization_switch"), {"organization": str(bluebird.public_id)})
    assert response.status_code == 404
    assert "You are not a member of that organization" in response.content.decode()
    assert client.get(reverse("home")).context["acting_organization"] == northwind


@pytest.mark.parametrize("value", ["", "not-a-uuid", "1", "' OR 1=1 --"])
def test_switching_with_a_malformed_organization_id_is_refused(alice, value):
    response = client_for(alice).post(reverse("organization_switch"), {"organization": value})
    assert response.status_code == 404


def test_switching_ignores_an_offsite_next_url(alice, bluebird):
    MembershipFactory(user=alice, organization=bluebird)
    response = client_for(alice).post(
        reverse("organization_switch"), {"organization": str(bluebird.public_id), "next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("home")


def test_a_person_who_loses_membership_loses_access_at_once(alice, ivy, northwind):
    client = client_for(ivy)
    assert client.get(reverse("member_list")).status_code == 200
    Membership.objects.filter(user=ivy, organization=northwind).delete()
    response = client.get(reverse("member_list"))
    assert response.status_code == 302 and response["Location"] == reverse("organization_create")


def test_the_acting_organization_comes_from_the_session_only_when_still_a_member(alice, northwind, bluebird):
    membership = MembershipFactory(user=alice, organization=bluebird)
    client = client_for(alice)
    client.post(reverse("organization_switch"), {"organization": str(bluebird.public_id)})
    membership.delete()
    assert client.get(reverse("home")).context["acting_organization"] == northwind


def test_the_organization_list_shows_only_your_own_organizations(alice, bob):
    OrganizationFactory(name="Somebody Else Inc")
    content = client_for(alice).get(reverse("organization_list")).content.decode()
    assert "Northwind Integrations" in content
    assert "Bluebird Connect" not in content and "Somebody Else Inc" not in content


def test_activity_page_lists_only_this_organizations_events(alice, bob, northwind, bluebird):
    client_for(bob).post(reverse("organization_settings"), {"name": "Bluebird Secret Rename", "kinds": ["integrator"]})
    client_for(alice).post(reverse("organization_settings"), {"name": "Northwind Renamed", "kinds": ["integrator"]})
    content = client_for(alice).get(reverse("organization_activity")).content.decode()
    assert "Northwind Renamed" in content
    assert "Bluebird Secret Rename" not in content


def test_home_page_fits_each_audience(alice, carol, misty, sam):
    assert "Building integrations" in client_for(alice).get("/").content.decode()
    assert "For customers" in client_for(carol).get("/").content.decode()
    assert "For MiSPs" in client_for(misty).get("/").content.decode()
    staff_page = client_for(sam).get("/").content.decode()
    assert "Red Rook staff" in staff_page and "Create an organization" in staff_page
    anonymous = client_for(None).get("/").content.decode()
    assert "Create your account" in anonymous and "Building integrations" not in anonymous


def test_home_page_query_count_does_not_grow_with_memberships(alice, django_assert_max_num_queries):
    client = client_for(alice)
    client.get("/")
    for _ in range(15):
        MembershipFactory(user=alice)
    with django_assert_max_num_queries(12):
        client.get("/")


def test_an_organization_has_its_permission_group_from_its_creation(alice):
    client_for(alice).post(reverse("organization_create"), {"name": "Harbor Apps", "kinds": ["integrator"]})
    made_by_the_action = Organization.objects.get(name="Harbor Apps")
    made_elsewhere = Organization.objects.create(name="Made in the admin", slug="made-in-the-admin")
    for organization in (made_by_the_action, made_elsewhere):
        assert organization.permission_group.name == f"organization:{organization.public_id}"


def test_reading_the_permission_group_never_creates_one(northwind):
    northwind.permission_group.delete()
    northwind.refresh_from_db()
    groups = Group.objects.count()
    assert northwind.get_permission_group() is None
    assert Group.objects.count() == groups
    assert Organization.objects.get(pk=northwind.pk).permission_group is None


def test_the_migration_gives_existing_organizations_without_a_group_one(northwind, bluebird):
    migration = importlib.import_module("portal.migrations.0004_organization_permission_groups")
    northwind.permission_group.delete()
    kept = bluebird.permission_group_id
    migration.create_missing_permission_groups(apps, schema_editor=None)
    northwind.refresh_from_db()
    bluebird.refresh_from_db()
    assert northwind.permission_group.name == f"organization:{northwind.public_id}"
    assert bluebird.permission_group_id == kept
