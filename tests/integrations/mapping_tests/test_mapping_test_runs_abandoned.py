"""A run whose worker was lost does not block the version's tests for ever: running for longer
than ABANDONED_AFTER, it is marked failed, with a message, when someone starts a new run. A
queued run is never abandoned (the job sweep queues it again)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.mapping_tests import services as mapping_test_services
from integrations.mapping_tests.services import ABANDONED_AFTER, ABANDONED_MESSAGE
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import MappingTestRun, RunStatus
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(northwind, alice):
    version = IntegrationVersionFactory(integration=IntegrationFactory(owner=northwind), number="1.0.0")
    mapping = template_mapping(version, alice, "App Customer ADD TO IPAAS")
    mapping_services.add_mapping_row(mapping, acting_user=alice, values=RowValues("Email", "field", source="email"))
    mapping_test_services.create_mapping_test(
        mapping,
        acting_user=alice,
        name="Copies the email",
        sample=json.dumps({"email": "a@b.c"}),
        expected=json.dumps({"Email": "a@b.c"}),
    )
    return version


def test_a_run_left_running_too_long_is_failed_and_a_new_run_starts(version, alice):
    long_ago = timezone.now() - ABANDONED_AFTER - timedelta(seconds=1)
    lost = MappingTestRun.objects.create(
        version=version, status=RunStatus.RUNNING, total=1, created_at=long_ago, started_at=long_ago
    )

    run = mapping_test_services.start_mapping_test_run(version, acting_user=alice)

    lost.refresh_from_db()
    assert (lost.status, lost.message) == (RunStatus.FAILED, ABANDONED_MESSAGE)
    assert lost.finished_at is not None
    assert run.status == RunStatus.QUEUED and run.pk != lost.pk
    event = AuditEvent.objects.get(kind="mapping_test_run.abandoned")
    assert (event.target, event.within, event.actor) == (lost, version, None)


def test_a_recent_unfinished_run_still_blocks_a_second_one(version, alice):
    half = timezone.now() - ABANDONED_AFTER / 2
    MappingTestRun.objects.create(version=version, status=RunStatus.RUNNING, total=1, created_at=half, started_at=half)

    with pytest.raises(ActionRefused, match="already under way"):
        mapping_test_services.start_mapping_test_run(version, acting_user=alice)


def test_a_long_queued_run_still_blocks_a_second_one(version, alice):
    MappingTestRun.objects.create(
        version=version, status=RunStatus.QUEUED, total=1, created_at=timezone.now() - 2 * ABANDONED_AFTER
    )

    with pytest.raises(ActionRefused, match="already under way"):
        mapping_test_services.start_mapping_test_run(version, acting_user=alice)
