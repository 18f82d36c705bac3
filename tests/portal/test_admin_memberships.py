"""Staff change roles and remove members in the admin through the portal's actions: every change
has its audit row with the staff member as actor, and the last owner can be neither demoted nor
removed: not on the membership's page, not in the organization's member list, not with the
list's "Delete selected"."""

import pytest

from portal.models import AuditEvent, Membership, Organization, Role, User
from tests.admin_forms import admin_url, delete_selected, form_data, inline_prefix
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LAST_OWNER = "is the last owner of Northwind Integrations"


def events(kind: str) -> list[tuple]:
    """(actor, the member's name, from, to) of each event of the kind."""
    return list(AuditEvent.objects.filter(kind=kind).values_list("actor", "target_label", "from_state", "to_state"))


# --- The membership's own page ----------------------------------------------------------------


def test_staff_change_a_role_and_it_is_recorded_with_them_as_the_actor(sam, alice, ivy):
    membership = ivy.memberships.get()
    response = client_for(sam).post(admin_url(Membership, "change", membership.pk), {"role": Role.ADMIN})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    assert events("membership.role_changed") == [(sam.pk, ivy.get_full_name(), Role.MEMBER, Role.ADMIN)]


def test_staff_may_make_a_member_an_owner_though_they_are_not_one(sam, alice, ivy):
    membership = ivy.memberships.get()
    client_for(sam).post(admin_url(Membership, "change", membership.pk), {"role": Role.OWNER})
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_the_last_owner_cannot_be_demoted_on_the_membership_page(sam, alice):
    membership = alice.memberships.get()
    response = client_for(sam).post(admin_url(Membership, "change", membership.pk), {"role": Role.MEMBER})
    assert response.status_code == 200
    assert LAST_OWNER in response.content.decode()
    assert response.context["adminform"].form.data["role"] == Role.MEMBER, "what was chosen is shown again"
    membership.refresh_from_db()
    assert membership.role == Role.OWNER
    assert not AuditEvent.objects.exists()


def test_the_last_owner_cannot_be_deleted_on_the_membership_page(sam, alice):
    membership = alice.memberships.get()
    response = client_for(sam).post(admin_url(Membership, "delete", membership.pk), {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == admin_url(Membership, "change", membership.pk)
    assert LAST_OWNER in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.exists()


def test_staff_remove_a_member_and_it_is_recorded(sam, alice, ivy):
    membership = ivy.memberships.get()
    response = client_for(sam).post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert events("membership.removed") == [(sam.pk, ivy.get_full_name(), Role.MEMBER, "removed")]


def test_delete_selected_removes_the_members_and_keeps_each_last_owner(sam, alice, ivy, bob):
    selected = [alice.memberships.get(), ivy.memberships.get(), bob.memberships.get()]
    client = client_for(sam)
    asked = delete_selected(client, Membership, selected, confirm=False)
    assert asked.status_code == 200 and "Are you sure" in asked.content.decode()
    assert Membership.objects.count() == 3, "the confirmation page deletes nothing"

    response = delete_selected(client, Membership, selected)
    page = response.content.decode()
    assert "Deleted 1 membership." in page
    assert LAST_OWNER in page and "is the last owner of Bluebird Connect" in page
    assert set(Membership.objects.values_list("user__email", flat=True)) == {alice.email, bob.email}
    assert events("membership.removed") == [(sam.pk, ivy.get_full_name(), Role.MEMBER, "removed")]


def test_memberships_are_not_added_in_the_admin_people_join_by_invitation(sam):
    assert client_for(sam).get(admin_url(Membership, "add")).status_code == 403


def test_a_membership_does_not_move_to_another_person_or_organization(sam, alice, ivy, bluebird):
    membership = ivy.memberships.get()
    client_for(sam).post(
        admin_url(Membership, "change", membership.pk),
        {"role": Role.MEMBER, "user": alice.pk, "organization": bluebird.pk},
    )
    membership.refresh_from_db()
    assert (membership.user, membership.organization.name) == (ivy, "Northwind Integrations")


# --- The organization's member list (an inline) -------------------------------------------------


def post_members(client, organization, changes: dict, **profile):
    """Saves the organization's page with `changes` ({membership: role, or "DELETE"}) applied."""
    url = admin_url(Organization, "change", organization.pk)
    data = form_data(client.get(url))
    data.update(profile)
    for membership, change in changes.items():
        prefix = inline_prefix(data, "memberships", membership)
        if change == "DELETE":
            data[f"{prefix}-DELETE"] = "on"
        else:
            data[f"{prefix}-role"] = change
    return client.post(url, data)


def test_the_last_owner_cannot_be_demoted_in_the_organizations_member_list(sam, alice, ivy, northwind):
    membership = alice.memberships.get()
    response = post_members(client_for(sam), northwind, {membership: Role.ADMIN}, name="Northwind Renamed")
    assert response.status_code == 200
    assert "is the last owner of Northwind Renamed" in response.content.decode()
    membership.refresh_from_db()
    northwind.refresh_from_db()
    assert membership.role == Role.OWNER
    assert northwind.name == "Northwind Integrations", "the whole save is undone, the profile's change too"
    assert not AuditEvent.objects.exists()


def test_the_last_owner_cannot_be_deleted_in_the_organizations_member_list(sam, alice, ivy, northwind):
    membership = alice.memberships.get()
    response = post_members(client_for(sam), northwind, {ivy.memberships.get(): "DELETE", membership: "DELETE"})
    assert response.status_code == 200
    assert LAST_OWNER in response.content.decode()
    assert Membership.objects.filter(organization=northwind).count() == 2, "neither is removed"
    assert not AuditEvent.objects.exists()


def test_staff_hand_the_owner_role_over_in_one_save(sam, alice, ivy, northwind):
    alices, ivys = alice.memberships.get(), ivy.memberships.get()
    response = post_members(client_for(sam), northwind, {alices: Role.MEMBER, ivys: Role.OWNER})
    assert response.status_code == 302
    assert dict(northwind.memberships.values_list("user__email", "role")) == {
        alice.email: Role.MEMBER,
        ivy.email: Role.OWNER,
    }
    assert sorted(events("membership.role_changed")) == sorted(
        [
            (sam.pk, ivy.get_full_name(), Role.MEMBER, Role.OWNER),
            (sam.pk, alice.get_full_name(), Role.OWNER, Role.MEMBER),
        ]
    )


def test_staff_remove_a_member_in_the_organizations_member_list(sam, alice, ivy, northwind):
    response = post_members(client_for(sam), northwind, {ivy.memberships.get(): "DELETE"})
    assert response.status_code == 302
    assert list(northwind.memberships.values_list("user__email", flat=True)) == [alice.email]
    assert events("membership.removed") == [(sam.pk, ivy.get_full_name(), Role.MEMBER, "removed")]


def test_saving_the_organization_unchanged_records_nothing(sam, alice, ivy, northwind):
    assert post_members(client_for(sam), northwind, {}).status_code == 302
    assert not AuditEvent.objects.exists()


# --- A person's page ------------------------------------------------------------------------------


def test_a_persons_page_lists_their_memberships_and_changes_nothing(sam, alice, northwind):
    client = client_for(sam)
    page = client.get(admin_url(User, "change", alice.pk))
    assert page.status_code == 200 and "Northwind Integrations" in page.content.decode()
    response = client.post(admin_url(User, "change", alice.pk), {"email": alice.email, "is_staff": "on"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert not alice.is_staff
