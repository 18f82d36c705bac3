from django.core.management import call_command

from portal.models import Membership, Organization, User


def test_demo_data_loads_and_loading_it_again_changes_nothing(db, capsys):
    call_command("load_demo_data")
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("load_demo_data")
    assert (User.objects.count(), Organization.objects.count(), Membership.objects.count()) == counts
    output = capsys.readouterr().out
    assert "alice@northwind.example.com" in output and "password for every demo account" in output


def test_the_demo_staff_member_can_manage_organizations_in_the_admin(db):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.urls import reverse

    from tests.conftest import client_for

    call_command("load_demo_data")
    sam = User.objects.get(email="sam@redrook.example.com")
    TOTP.activate(sam, generate_totp_secret())
    client = client_for(sam)
    assert "Northwind Integrations" in client.get(reverse("admin:portal_organization_changelist")).content.decode()
    assert client.get(reverse("admin:portal_membership_changelist")).status_code == 200
