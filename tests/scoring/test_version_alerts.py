"""A new application version makes every integration of that application whose newest published
version does not support it fall behind: its owner's members are emailed at once, and the
integrator's dashboard says so, with the deduction the next scoring run applies."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from integrations.models import VersionStatus
from integrations.registry import services
from scoring.versions.notifications import notify_version_added
from tests.conftest import client_for
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
    VersionSubmissionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def magento(db):
    return ApplicationFactory(name="Magento", slug="magento")


@pytest.fixture
def current(magento):
    return ApplicationVersionFactory(
        application=magento, label="Open Source 2.4.x", release_date=datetime.date(2020, 7, 28)
    )


def published(integration, number, supports):
    version = IntegrationVersionFactory(integration=integration, number=number, status=VersionStatus.PUBLISHED)
    version.supported_versions.set(supports)
    return version


@pytest.fixture
def northwinds(northwind, magento, current, alice, ivy):
    integration = IntegrationFactory(owner=northwind, application=magento, name="Magento by Northwind")
    published(integration, "1.0.0", [current])
    return integration


def verify(magento, sam, label="Open Source 2.5.x", released=datetime.date(2025, 10, 14), capture=None):
    submission = VersionSubmissionFactory(application=magento, label=label, release_date=released)
    with capture(execute=True):
        services.verify_version_submission(submission, acting_user=sam)
    return submission


def behind_mail():
    return [m for m in mail.outbox if "fall" in m.subject]


def test_verifying_the_latest_version_emails_every_member_of_the_owner(
    northwinds, magento, sam, alice, ivy, django_capture_on_commit_callbacks
):
    verify(magento, sam, capture=django_capture_on_commit_callbacks)
    messages = behind_mail()
    assert sorted(m.to[0] for m in messages) == sorted([alice.email, ivy.email])
    body = messages[0].body
    assert "Magento by Northwind (version 1.0.0)" in body
    assert "loses 20 points" in body and "support Open Source 2.5.x" in body
    assert reverse("integration_detail", args=[northwinds.slug]) in body


def test_an_integration_that_supports_the_new_version_is_not_told(
    northwinds, magento, alice, bob, bluebird, django_capture_on_commit_callbacks
):
    newer = ApplicationVersionFactory(
        application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14)
    )
    published(IntegrationFactory(owner=bluebird, application=magento, name="Magento by Bluebird"), "3.0.0", [newer])
    with django_capture_on_commit_callbacks(execute=True):
        notify_version_added(newer.pk)
    recipients = [m.to[0] for m in behind_mail()]
    assert alice.email in recipients and bob.email not in recipients


def test_a_version_older_than_the_latest_leaves_nobody_behind(
    northwinds, magento, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_application_version(
            magento, acting_user=sam, label="Open Source 2.3.x", release_date=datetime.date(2018, 11, 28)
        )
    assert behind_mail() == []


def test_an_integration_with_no_published_version_is_not_told(
    magento, current, alice, northwind, django_capture_on_commit_callbacks
):
    IntegrationVersionFactory(integration=IntegrationFactory(owner=northwind, application=magento), number="0.1.0")
    newer = ApplicationVersionFactory(
        application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_version_added(newer.pk)
    assert behind_mail() == []


def test_a_version_added_by_staff_directly_tells_integrators_too(
    northwinds, magento, sam, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_application_version(
            magento, acting_user=sam, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14)
        )
    assert alice.email in [m.to[0] for m in behind_mail()]


def test_only_the_newest_published_version_counts(
    northwinds, magento, sam, current, django_capture_on_commit_callbacks
):
    newer = ApplicationVersionFactory(
        application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14)
    )
    published(northwinds, "0.9.0", [newer])  # an older release of the integration supported it
    IntegrationVersionFactory(
        integration=northwinds, number="2.0.0", status=VersionStatus.DRAFT
    ).supported_versions.set([newer])  # and a draft does, but a draft is not what the marketplace offers
    page = client_for(northwinds.owner.memberships.first().user).get(reverse("integration_dashboard")).content.decode()
    assert "Behind on versions" in page and "version 1.0.0 does not support Magento Open Source 2.5.x" in page


def test_the_dashboard_names_what_to_do_and_the_deduction(
    northwinds, magento, sam, alice, django_capture_on_commit_callbacks
):
    verify(magento, sam, capture=django_capture_on_commit_callbacks)
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    assert "To do: support Open Source 2.5.x." in page
    assert "loses 20 points for version relevance at the next scoring run" in page


def test_the_dashboard_says_nothing_once_the_integration_supports_the_latest(northwinds, magento, alice, current):
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    assert "Behind on versions" not in page


def test_another_organizations_integrations_are_not_on_my_dashboard(
    northwinds, magento, sam, bob, django_capture_on_commit_callbacks
):
    verify(magento, sam, capture=django_capture_on_commit_callbacks)
    page = client_for(bob).get(reverse("integration_dashboard")).content.decode()
    assert "Magento by Northwind" not in page
    assert bob.email not in [m.to[0] for m in behind_mail()]


def test_the_dashboard_alert_costs_a_fixed_number_of_queries(
    northwind, magento, current, alice, django_assert_max_num_queries
):
    newer = ApplicationVersionFactory(
        application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14)
    )
    for _n in range(6):
        published(IntegrationFactory(owner=northwind, application=magento), "1.0.0", [current])
    client = client_for(alice)
    client.get(reverse("integration_dashboard"))
    with django_assert_max_num_queries(30):
        page = client.get(reverse("integration_dashboard")).content.decode()
    assert "6 integrations do not support" in page and newer.label in page


def test_the_deduction_named_is_the_current_policys(
    northwinds, magento, sam, alice, django_capture_on_commit_callbacks
):
    from scoring.policy.services import publish_policy

    publish_policy({"version_relevance_deduction": 25}, acting_user=sam)
    verify(magento, sam, capture=django_capture_on_commit_callbacks)
    assert "loses 25 points" in behind_mail()[0].body


def behind_integrations(owner, application, supported, count, start=0):
    for n in range(start, start + count):
        integration = IntegrationFactory(owner=owner, application=application, name=f"Behind {n:02}")
        published(integration, "1.0.0", [supported])


def test_the_dashboard_names_the_first_twenty_behind_and_links_to_them_all(
    northwind, magento, current, alice, django_assert_max_num_queries
):
    from scoring.templatetags.scoring_alerts import ALERTS_SHOWN

    ApplicationVersionFactory(application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14))
    behind_integrations(northwind, magento, current, ALERTS_SHOWN + 3)
    client = client_for(alice)
    page = client.get(reverse("integration_dashboard")).content.decode()
    panel = page.split('id="version-alerts-heading"')[1].split("</section>")[0]
    assert f"{ALERTS_SHOWN + 3} integrations do not support" in panel
    assert panel.count("<li>") == ALERTS_SHOWN
    assert f'<a href="{reverse("versions_behind_list")}">Show all {ALERTS_SHOWN + 3} integrations behind' in panel


def test_the_versions_behind_page_lists_them_all_a_page_at_a_time_in_fixed_queries(
    northwind, magento, current, alice, monkeypatch, django_assert_max_num_queries
):
    from scoring.versions import views

    monkeypatch.setattr(views, "BEHIND_PER_PAGE", 10)
    ApplicationVersionFactory(application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14))
    behind_integrations(northwind, magento, current, 5)
    client = client_for(alice)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("versions_behind_list"))
    behind_integrations(northwind, magento, current, 20, start=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(reverse("versions_behind_list")).content.decode()
    last = client.get(reverse("versions_behind_list"), {"page": 3}).content.decode()
    assert "(25)" in first and first.count("does not support Magento Open Source 2.5.x") == 10
    assert "Page 1 of 3" in first and "Page 3 of 3" in last
    assert last.count("does not support Magento Open Source 2.5.x") == 5
    assert "Behind 00" in first and "Behind 10" not in first and "Behind 24" in last and "Behind 19" not in last
    assert "loses 20 points" in first


def test_the_versions_behind_page_loads_the_integrations_of_its_page_only(
    northwind, magento, current, alice, monkeypatch
):
    from django.db.models.signals import post_init

    from integrations.models import Integration
    from scoring.versions import views

    monkeypatch.setattr(views, "BEHIND_PER_PAGE", 10)
    ApplicationVersionFactory(application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14))
    behind_integrations(northwind, magento, current, 25)
    client = client_for(alice)
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.pk)

    post_init.connect(count, sender=Integration)
    try:
        page = client.get(reverse("versions_behind_list"), {"page": 2}).content.decode()
    finally:
        post_init.disconnect(count, sender=Integration)
    assert page.count("does not support Magento Open Source 2.5.x") == 10
    assert len(set(built)) == 10  # the page's, none of the other fifteen


def test_the_versions_behind_page_shows_only_the_acting_organizations(
    northwinds, magento, bluebird, bob, sam, django_capture_on_commit_callbacks
):
    verify(magento, sam, capture=django_capture_on_commit_callbacks)
    mine = client_for(bob).get(reverse("versions_behind_list")).content.decode()
    assert "Magento by Northwind" not in mine
    assert "supports the latest version of its application" in mine


def test_a_page_number_that_is_not_one_answers_a_page(
    northwinds, magento, alice, sam, django_capture_on_commit_callbacks
):
    verify(magento, sam, capture=django_capture_on_commit_callbacks)
    client = client_for(alice)
    for bad in ("x", "-1", "999", "1e9"):
        response = client.get(reverse("versions_behind_list"), {"page": bad})
        assert response.status_code == 200 and "Magento by Northwind" in response.content.decode()


def test_the_dashboard_counts_every_integration_behind_and_names_the_first_by_name(
    northwind, magento, current, alice, monkeypatch
):
    from scoring.templatetags import scoring_alerts

    monkeypatch.setattr(scoring_alerts, "ALERTS_SHOWN", 2)
    ApplicationVersionFactory(application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14))
    for name in ["Delta", "Alpha", "Charlie", "Bravo"]:
        published(IntegrationFactory(owner=northwind, application=magento, name=name), "1.0.0", [current])
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    alert = page[page.index('id="version-alerts-heading"') : page.index("</section>", page.index("version-alerts"))]
    assert "4 integrations do not support" in alert
    assert ">Alpha</a>" in alert and ">Bravo</a>" in alert
    assert ">Charlie</a>" not in alert and ">Delta</a>" not in alert


def _supports_read(queries) -> bool:
    """Whether the alert was worked out (its query names what it annotates), not read back."""
    return any('"supports_latest"' in query["sql"] for query in queries)


def test_a_repeat_visit_reads_the_alert_kept_and_a_change_replaces_it_at_once(
    northwinds, magento, current, alice, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 120
    newer = ApplicationVersionFactory(
        application=magento, label="Open Source 2.5.x", release_date=datetime.date(2025, 10, 14)
    )
    client = client_for(alice)
    assert "Behind on versions" in client.get(reverse("integration_dashboard")).content.decode()
    with CaptureQueriesContext(connection) as repeat:
        page = client.get(reverse("integration_dashboard")).content.decode()
    assert "Behind on versions" in page and not _supports_read(repeat.captured_queries)
    published(northwinds, "1.1.0", [current, newer])  # now it supports the latest
    with CaptureQueriesContext(connection) as after_change:
        page = client.get(reverse("integration_dashboard")).content.decode()
    assert "Behind on versions" not in page and _supports_read(after_change.captured_queries)
