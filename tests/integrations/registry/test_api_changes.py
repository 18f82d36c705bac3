"""Staff record an API change of an application with the date it takes effect; its integrations
show the 30-day deadline to correct, counting down, on the dashboard and the integration page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import ApplicationApiChange
from integrations.registry import services
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def record(
    magento, sam, *, days_ago: int, summary: str = "The /orders endpoint moves to /v2/orders."
) -> ApplicationApiChange:
    return services.record_api_change(
        magento, acting_user=sam, summary=summary, effective_on=TODAY - datetime.timedelta(days=days_ago)
    )


def test_the_deadline_is_thirty_days_after_the_change_takes_effect(magento, sam):
    change = record(magento, sam, days_ago=10)
    assert change.correct_by == datetime.date(2026, 12, 19)
    assert change.days_left(TODAY) == 20


def test_recording_a_change_is_audited_with_who_and_the_deadline(magento, sam):
    change = record(magento, sam, days_ago=0)
    event = AuditEvent.objects.get(kind="application_api_change.recorded")
    assert (event.actor, event.target_id, event.organization) == (sam, change.pk, magento.provider)
    assert event.to_state == "correct by 2026-12-29"
    assert "/v2/orders" in event.comment


def test_an_empty_summary_is_refused_with_a_message(magento, sam):
    with pytest.raises(ActionRefused, match="Say what changes"):
        record(magento, sam, days_ago=0, summary="   ")
    assert not ApplicationApiChange.objects.exists()


@pytest.mark.parametrize("days_ago", [367, -(2 * 366 + 1)])
def test_a_date_far_in_the_past_or_future_is_refused(magento, sam, days_ago):
    with pytest.raises(ActionRefused, match="Check the date"):
        record(magento, sam, days_ago=days_ago)


def test_the_integration_page_counts_down_to_the_deadline(alice, magento, integration, sam):
    integration.application = magento
    integration.save()
    record(magento, sam, days_ago=28)
    page = client_for(alice).get(reverse("integration_detail", args=[integration.slug])).content.decode()
    assert "API changes to follow" in page
    assert "2 days left" in page and "1 Dec 2026" in page and "/v2/orders" in page


def test_a_missed_deadline_says_how_long_ago_it_passed(alice, magento, integration, sam):
    integration.application = magento
    integration.save()
    record(magento, sam, days_ago=31)
    page = client_for(alice).get(reverse("integration_detail", args=[integration.slug])).content.decode()
    assert "passed 1 day ago" in page


def test_a_change_long_past_its_deadline_is_no_longer_shown(alice, magento, integration, sam):
    integration.application = magento
    integration.save()
    record(magento, sam, days_ago=61)
    page = client_for(alice).get(reverse("integration_detail", args=[integration.slug])).content.decode()
    assert "API changes to follow" not in page


def test_the_dashboard_shows_each_integrations_deadline(alice, magento, integration, sam):
    integration.application = magento
    integration.save()
    record(magento, sam, days_ago=-5, summary="Customer API v2 is retired.")
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    assert "takes effect on 4 Dec 2026" in page and "35 days left" in page and "Customer API v2 is retired." in page


def test_another_applications_change_is_not_shown(alice, magento, integration, sam, other_provider):
    from tests.factories import ApplicationFactory

    other = ApplicationFactory(provider=other_provider, name="NetSuite")
    record(other, sam, days_ago=1)
    integration.application = magento
    integration.save()
    page = client_for(alice).get(reverse("integration_dashboard")).content.decode()
    assert "API change" not in page


def test_staff_record_a_change_in_the_admin_through_the_action(magento, sam):
    url = reverse("admin:integrations_applicationapichange_add")
    response = client_for(sam).post(
        url, {"application": magento.pk, "summary": "Webhooks are signed.", "effective_on": "2026-12-01"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="application_api_change.recorded", actor=sam).exists()


def test_the_admin_shows_an_absurd_date_as_a_message(magento, sam):
    url = reverse("admin:integrations_applicationapichange_add")
    response = client_for(sam).post(
        url, {"application": magento.pk, "summary": "Webhooks are signed.", "effective_on": "2126-12-01"}
    )
    assert response.status_code == 200
    assert "more than two years ahead" in response.content.decode()
    assert not ApplicationApiChange.objects.exists()
