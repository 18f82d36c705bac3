"""Creating an organization is safe under a double click and concurrent submits: the same name
for one person is refused with a message (a database constraint behind the check), slug clashes
are retried, and a resubmitted form (its one-time token) does not create twice."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal import services
from portal.form_tokens import ALREADY_SENT
from portal.models import AuditEvent, Organization, UsedFormToken
from tests.concurrency import at_once, postgresql_only
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _create(user, name="Contoso Integrations"):
    return services.create_organization(user=user, name=name, kinds=["integrator"])


def _form(token, name="Contoso Integrations"):
    return {"name": name, "kinds": ["integrator"], "website": "", "form_token": str(token)}


def test_the_create_page_carries_a_fresh_token_each_time(alice):
    client = client_for(alice)
    first = client.get(reverse("organization_create")).content.decode()
    second = client.get(reverse("organization_create")).content.decode()

    assert 'name="form_token"' in first
    assert first.split('name="form_token" value="')[1][:36] != second.split('name="form_token" value="')[1][:36]


def test_a_resubmitted_form_leads_to_what_it_created_and_creates_nothing_more(alice):
    client, token = client_for(alice), uuid.uuid4()
    first = client.post(reverse("organization_create"), _form(token))
    second = client.post(reverse("organization_create"), _form(token), follow=True)

    assert first.status_code == 302
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert ALREADY_SENT in second.content.decode()
    assert Organization.objects.filter(name="Contoso Integrations").count() == 1


def test_a_form_shown_again_with_its_errors_keeps_its_token_free(alice):
    client, token = client_for(alice), uuid.uuid4()
    refused = client.post(reverse("organization_create"), {**_form(token), "kinds": []})

    assert refused.status_code == 200
    assert f'value="{token}"' in refused.content.decode()
    assert client.post(reverse("organization_create"), _form(token)).status_code == 302
    assert Organization.objects.filter(name="Contoso Integrations").count() == 1


def test_another_person_cannot_use_someone_elses_token(alice, bob):
    token = uuid.uuid4()
    client_for(alice).post(reverse("organization_create"), _form(token))

    response = client_for(bob).post(reverse("organization_create"), _form(token))

    assert response.status_code == 302
    assert Organization.objects.filter(name="Contoso Integrations").count() == 2


def test_the_same_name_twice_for_one_person_is_refused_with_a_message(alice):
    client = client_for(alice)
    client.post(reverse("organization_create"), _form(uuid.uuid4()))

    response = client.post(reverse("organization_create"), _form(uuid.uuid4(), name="contoso integrations"))

    assert response.status_code == 200
    assert "You already have an organization named “contoso integrations”." in response.content.decode()
    assert Organization.objects.filter(name__iexact="Contoso Integrations").count() == 1


def test_the_database_refuses_one_person_two_organizations_of_one_name(alice):
    _create(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="CONTOSO INTEGRATIONS", slug="contoso-2", created_by=alice)


def test_two_people_may_each_have_an_organization_of_one_name(alice, bob):
    first, second = _create(alice), _create(bob)

    assert (first.slug, second.slug) == ("contoso-integrations", "contoso-integrations-2")


def test_old_tokens_are_forgotten_by_the_job_sweep(alice):
    from datetime import timedelta

    from django.utils import timezone

    from portal import jobs

    UsedFormToken.objects.create(user=alice, token=uuid.uuid4(), created_at=timezone.now() - timedelta(days=3))
    kept = UsedFormToken.objects.create(user=alice, token=uuid.uuid4())

    jobs.sweep_jobs()

    assert list(UsedFormToken.objects.all()) == [kept]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_double_click_with_one_token_creates_one_organization_and_no_error(alice):
    token = uuid.uuid4()
    clients = [client_for(alice), client_for(alice)]

    responses = at_once(*[lambda c=c: c.post(reverse("organization_create"), _form(token)) for c in clients])

    assert [response.status_code for response in responses] == [302, 302]
    assert Organization.objects.filter(name="Contoso Integrations").count() == 1
    assert AuditEvent.objects.filter(kind="organization.created").count() == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_one_person_creating_one_name_twice_at_once_gets_one_organization_and_a_refusal(alice):
    outcomes = at_once(lambda: _create(alice), lambda: _create(alice))

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ActionRefused", "Organization"]
    assert Organization.objects.filter(name="Contoso Integrations").count() == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_people_creating_one_name_at_once_each_get_an_organization_with_its_own_slug(alice, bob, carol):
    outcomes = at_once(lambda: _create(alice), lambda: _create(bob), lambda: _create(carol))

    assert all(isinstance(outcome, Organization) for outcome in outcomes), outcomes
    assert sorted(outcome.slug for outcome in outcomes) == [
        "contoso-integrations",
        "contoso-integrations-2",
        "contoso-integrations-3",
    ]
