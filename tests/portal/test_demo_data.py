from django.core.management import call_command

from portal.models import Membership, Organization, User


def test_demo_data_loads_and_loading_it_again_changes_nothing(db, capsys):
    call_command("load_demo_data")
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("load_demo_data")
    assert (User.objects.count(), Organization.objects.count(), Membership.objects.count()) == counts
    output = capsys.readouterr().out
    assert "alice@northwind.example.com" in output and "password for every demo account" in output
