"""Every admin page either writes through the portal's actions or is read-only. Accounts, email
addresses, two-factor devices, permission groups and the audit trail are read-only: staff open
their lists and pages, and nothing is added, changed or deleted there."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.admin_site import ThroughActions
from portal.models import AuditEvent, User
from portal.services import record
from tests.admin_forms import admin_url
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

READ_ONLY = {
    User: lambda alice, northwind, sam: alice,
    Group: lambda alice, northwind, sam: northwind.get_permission_group(),
    EmailAddress: lambda alice, northwind, sam: alice.emailaddress_set.get(),
    Authenticator: lambda alice, northwind, sam: sam.authenticator_set.get(),
    AuditEvent: lambda alice, northwind, sam: record(
        actor=alice, kind="organization.updated", organization=northwind, target=northwind
    ),
}


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_staff_open_the_list_and_the_page(sam, alice, northwind, model):
    obj = READ_ONLY[model](alice, northwind, sam)
    client = client_for(sam)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_nothing_is_added_changed_or_deleted(sam, alice, northwind, model):
    obj = READ_ONLY[model](alice, northwind, sam)
    before = model.objects.count()
    client = client_for(sam)
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in client.get(admin_url(model, "changelist")).content.decode()
    assert model.objects.count() == before


def test_a_persons_password_is_not_set_in_the_admin(sam, alice):
    url = reverse("admin:auth_user_password_change", args=[alice.pk])
    response = client_for(sam).post(url, {"password1": "a-new-secret-2026", "password2": "a-new-secret-2026"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert not alice.check_password("a-new-secret-2026")


def test_staff_cannot_mark_an_address_verified(sam, alice):
    """A verified address accepts the invitations sent to it; only the emailed link verifies one."""
    address = EmailAddress.objects.create(user=alice, email="alice@other.example.com", verified=False)
    client = client_for(sam)
    assert "make_verified" not in client.get(admin_url(EmailAddress, "changelist")).content.decode()
    client.post(admin_url(EmailAddress, "changelist"), {"action": "make_verified", "_selected_action": [address.pk]})
    address.refresh_from_db()
    assert not address.verified


def test_a_two_factor_devices_page_does_not_show_its_secret(sam):
    authenticator = sam.authenticator_set.get()
    page = client_for(sam).get(admin_url(Authenticator, "change", authenticator.pk)).content.decode()
    assert authenticator.data["secret"] not in page


def test_every_admin_page_is_read_only_or_writes_through_the_actions(rf, sam):
    """A page that can write must be a ThroughActions admin that overrides the hooks Django would
    otherwise save or delete with directly; a new admin that forgets fails here."""
    request = rf.get("/")
    request.user = sam
    for model_admin in admin.site._registry.values():
        name = type(model_admin).__name__
        saves = model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        deletes = model_admin.has_delete_permission(request)
        inlines_write = any(
            inline.has_add_permission(request, None)
            or inline.has_change_permission(request)
            or inline.has_delete_permission(request)
            for inline in model_admin.get_inline_instances(request)
        )
        if not (saves or deletes or inlines_write):
            continue
        assert isinstance(model_admin, ThroughActions), f"{name} writes but is neither read-only nor ThroughActions"
        overrides = {
            hook
            for hook in ("save_model", "save_related", "save_formset", "delete_model")
            if getattr(type(model_admin), hook) is not getattr(admin.ModelAdmin, hook)
        }
        if saves:
            assert overrides & {"save_model", "save_related"}, f"{name} saves without an action"
        if inlines_write:
            assert overrides & {"save_formset", "save_related"}, f"{name}'s inlines save without an action"
        if deletes:
            assert "delete_model" in overrides, f"{name} deletes without an action"
