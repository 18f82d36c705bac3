"""The audit trail: each event has a kind of the closed list, points at its object, reads as a
sentence and outlives its organization, its actor and its object; the history pages of
memberships and invitations and the organization's activity page show it in words."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from portal import audit, services
from portal.models import AuditEvent, Role
from portal.views import organizations as organizations_views
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_unregistered_kind_is_refused_and_nothing_is_stored(alice, northwind):
    with pytest.raises(LookupError, match="not a registered kind"):
        services.record(actor=alice, kind="organization.exploded", organization=northwind, target=northwind)
    assert not AuditEvent.objects.exists()


def test_the_kinds_every_app_registers_are_the_fields_choices():
    codes = {code for code, _ in AuditEvent._meta.get_field("kind").choices}
    assert {audit.OTHER, "membership.role_changed", "mapping_row.added"} <= codes  # the portal's and an app's


def test_a_kind_cannot_be_registered_again_with_another_sentence():
    with pytest.raises(ImproperlyConfigured, match="twice"):
        audit.register_kinds({"membership.left": "{actor} went away"})
    assert audit.get_kind("membership.left").sentence == "{actor} left {organization}"


def test_within_must_end_a_sentence():
    with pytest.raises(ImproperlyConfigured, match="must end"):
        audit.register_kinds({"test.misworded": "{within} changed {target}"})
    with pytest.raises(LookupError):
        audit.get_kind("test.misworded")


def test_an_event_points_at_its_object_and_reads_as_a_sentence(alice, ivy, northwind):
    membership = ivy.memberships.get()
    services.change_member_role(membership, acting_user=alice, role=Role.ADMIN)

    event = AuditEvent.objects.get(kind="membership.role_changed")
    assert (event.target, event.organization, event.actor) == (membership, northwind, alice)
    assert event.sentence == "Alice Integrator changed the role of Ivy Member from member to admin"


def test_the_trail_outlives_its_organization(alice):
    organization = services.create_organization(user=alice, name="Short Lived", kinds=["integrator"])
    organization.delete()

    events = AuditEvent.objects.filter(organization_name="Short Lived")
    assert [event.kind for event in events] == ["membership.joined", "organization.created"]
    assert all(event.organization is None for event in events)
    assert events[1].sentence == "Alice Integrator created the organization Short Lived"


def test_an_event_outlives_its_object_and_its_actor(alice, ivy, northwind):
    membership = ivy.memberships.get()
    services.remove_member(membership, acting_user=alice)
    alice.delete()

    event = AuditEvent.objects.get(kind="membership.removed")
    assert (event.target, event.target_id, event.actor) == (None, membership.pk, None)
    assert event.sentence == "Alice Integrator removed Ivy Member from the organization"


def test_an_event_without_the_label_of_what_it_was_within_leaves_those_words_out():
    event = AuditEvent(kind="mapping_row.added", actor_name="Alice", target_label="Email")
    assert event.sentence == "Alice added the row Email"


def test_an_event_of_a_kind_no_app_registers_any_more_still_reads():
    assert AuditEvent(kind="gone.away", target_label="Orders").sentence == "The portal changed Orders"


# --- Pages ----------------------------------------------------------------------------------


def _role_changes(membership, user, count: int) -> None:
    for number in range(count):
        services.change_member_role(membership, acting_user=user, role=Role.ADMIN if number % 2 == 0 else Role.MEMBER)


def test_the_activity_page_shows_the_events_in_words_in_constant_queries(alice, ivy, django_assert_max_num_queries):
    membership = ivy.memberships.get()
    _role_changes(membership, alice, 1)
    client = client_for(alice)
    with django_assert_max_num_queries(25) as few:
        page = client.get(reverse("organization_activity")).content.decode()
    assert "Alice Integrator changed the role of Ivy Member from member to admin" in page
    _role_changes(membership, alice, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("organization_activity")).status_code == 200


def test_the_activity_page_shows_sixty_events_a_page_at_a_time_in_constant_queries(
    alice, ivy, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(organizations_views, "ACTIVITY_PER_PAGE", 25)
    _role_changes(ivy.memberships.get(), alice, 60)
    total = alice.memberships.get().organization.audit_events.count()
    client = client_for(alice)
    url = reverse("organization_activity")
    with django_assert_max_num_queries(25) as first:
        page = client.get(url).content.decode()
    pages = -(-total // 25)
    assert page.count("<li><time") == 25
    assert 'aria-label="Activity"' in page and '<span aria-current="page">Page 1 of' in page

    with django_assert_max_num_queries(len(first.captured_queries)):
        last = client.get(url, {"page": pages}).content.decode()
    assert last.count("<li><time") == total - 25 * (pages - 1)


@pytest.mark.parametrize(("value", "last"), [("abc", False), ("0", True), ("9999999", True)])
def test_a_bad_activity_page_answers_the_first_or_last_page(alice, ivy, monkeypatch, value, last):
    monkeypatch.setattr(organizations_views, "ACTIVITY_PER_PAGE", 25)
    _role_changes(ivy.memberships.get(), alice, 60)

    response = client_for(alice).get(reverse("organization_activity"), {"page": value})

    assert response.status_code == 200
    page = response.content.decode()
    assert ("Page 1 of" in page) != last


def test_a_membership_history_tells_what_was_done_to_it(alice, ivy, bob, northwind, django_assert_max_num_queries):
    membership = ivy.memberships.get()
    services.record(actor=ivy, kind="membership.joined", organization=northwind, target=membership, to_state="member")
    _role_changes(membership, alice, 2)
    url = reverse("member_history", args=[membership.public_id])

    with django_assert_max_num_queries(25) as few:
        page = client_for(alice).get(url).content.decode()

    assert "<h1>History of Ivy Member</h1>" in page
    assert page.index("from admin to member") < page.index("from member to admin") < page.index("Ivy Member joined")
    _role_changes(membership, alice, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client_for(alice).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 404


def test_an_invitation_history_tells_its_whole_life(alice, bob, northwind):
    invitation = services.invite_member(northwind, acting_user=alice, email="newcomer@example.com", role=Role.MEMBER)
    services.resend_invitation(invitation, acting_user=alice)
    services.revoke_invitation(invitation, acting_user=alice)
    url = reverse("invitation_history", args=[invitation.public_id])

    page = client_for(alice).get(url).content.decode()

    for sentence in (
        "Alice Integrator invited newcomer@example.com to join as a member",
        "Alice Integrator sent the invitation to newcomer@example.com again",
        "Alice Integrator revoked the invitation to newcomer@example.com",
    ):
        assert sentence in page
    assert client_for(bob).get(url).status_code == 404


def test_a_long_history_is_shown_a_page_at_a_time(alice, ivy):
    membership = ivy.memberships.get()
    _role_changes(membership, alice, 53)
    url = reverse("member_history", args=[membership.public_id])

    first = client_for(alice).get(url).content.decode()
    second = client_for(alice).get(url, {"page": 2}).content.decode()

    assert first.count("changed the role of Ivy Member") == 50 and 'rel="next"' in first
    assert second.count("changed the role of Ivy Member") == 3 and "Page 2 of 2" in second


# --- The migration of the events recorded before kinds ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_actions_into_kinds_and_their_targets_into_labels(whole_schema_after):
    before = [("portal", "0007_organization_creator_and_form_tokens")]
    after = [("portal", "0009_audit_events_without_action")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    organization = old.get_model("portal", "Organization").objects.create(
        name="Northwind", slug="old-northwind", public_id=uuid.uuid4()
    )
    create = old.get_model("portal", "AuditEvent").objects.create
    create(organization=organization, action="mapping_row.added", target="Magento Customer ADD TO IPAAS: Email")
    create(organization=organization, action="version.added", target="Magento Open Source 2.4.x")
    create(organization=organization, action="integration_version.published", target="Magento by Northwind 1.0.0")
    create(organization=organization, action="gadget.polished", target="Gadget", comment="shiny")

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    sentences = {event.kind: (event.sentence, event.comment) for event in AuditEvent.objects.all()}
    assert sentences == {
        "mapping_row.added": ("The portal added the row Email to Magento Customer ADD TO IPAAS", ""),
        "application_version.added": ("The portal added the version Magento Open Source 2.4.x", ""),
        "integration_version.published": ("The portal published version 1.0.0 of Magento by Northwind", ""),
        audit.OTHER: ("The portal changed Gadget", "gadget.polished: shiny"),
    }
    assert set(AuditEvent.objects.values_list("organization_name", flat=True)) == {"Northwind"}


def _stored(event: AuditEvent) -> dict:
    fields = [field.attname for field in AuditEvent._meta.concrete_fields if field.attname not in {"id", "created_at"}]
    return {name: getattr(event, name) for name in fields}


def test_changes_recorded_from_values_are_the_rows_audit_event_makes_of_the_objects(alice, northwind):
    membership = northwind.memberships.get(user=alice)
    change = {"from_state": "Owner" * 20, "to_state": "Member", "comment": "the portal moved it"}
    by_objects = services.record(
        actor=None,
        kind="membership.role_changed",
        organization=northwind,
        target=membership,
        within=northwind,
        **change,
    )
    assert (
        services.record_changes(
            "membership.role_changed",
            type(membership),
            type(northwind),
            [
                services.Change(
                    organization_id=northwind.pk,
                    organization_name=northwind.name,
                    target_id=membership.pk,
                    target_label=str(membership),
                    within_id=northwind.pk,
                    within_label=str(northwind),
                    **change,
                )
            ],
        )
        == 1
    )
    by_values = AuditEvent.objects.exclude(pk=by_objects.pk).get()
    assert _stored(by_values) == _stored(by_objects) and len(by_values.from_state) == 60
    assert by_values.sentence == by_objects.sentence


def test_changes_of_an_unregistered_kind_are_refused_and_nothing_is_stored(northwind):
    with pytest.raises(LookupError, match="not a registered kind"):
        services.record_changes("organization.exploded", type(northwind), None, [])
    assert not AuditEvent.objects.exists()
