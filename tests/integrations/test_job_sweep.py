"""Imports and test runs whose job was lost: the sweep queues again what is still waiting, and
fails (with a message, free to be started again) what was running longer than any worker could."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import ImportStatus, MappingTestRun, OpenAPIImport, RunStatus
from integrations.openapi import services as openapi_services
from portal import jobs
from portal.models import AuditEvent
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping
from tests.integrations.openapi.builders import as_json, ok, swagger

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Magento connector", kind="dynamic")


@pytest.fixture
def version(integration, alice):
    version = IntegrationVersionFactory(integration=integration, number="1.0.0")
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


def _queued_import(integration, alice, *, age: timedelta) -> OpenAPIImport:
    """An upload whose message never reached a worker: the test's transaction never commits, so
    the message the upload queues on commit is never sent."""
    document = swagger({"/customers": {"get": {"tags": ["Customers"], "responses": ok({"type": "object"})}}})
    upload = openapi_services.upload_openapi_document(
        integration, acting_user=alice, filename="api.json", content=as_json(document)
    )
    OpenAPIImport.objects.filter(pk=upload.pk).update(created_at=timezone.now() - age)
    return upload


def test_the_sweep_reads_an_import_whose_message_was_lost(integration, alice):
    upload = _queued_import(integration, alice, age=jobs.requeue_after() + timedelta(seconds=1))

    jobs.sweep_jobs()

    upload.refresh_from_db()
    assert upload.status == ImportStatus.DONE
    assert integration.foreign_objects.filter(name="Customers").exists()


def test_the_sweep_leaves_a_just_queued_import_to_its_own_message(integration, alice):
    upload = _queued_import(integration, alice, age=timedelta(seconds=5))

    jobs.sweep_jobs()

    assert OpenAPIImport.objects.get(pk=upload.pk).status == ImportStatus.QUEUED


def test_the_sweep_fails_an_import_running_longer_than_any_worker_could(integration, alice):
    upload = _queued_import(integration, alice, age=timedelta(hours=1))
    lost_at = timezone.now() - jobs.abandoned_after() - timedelta(seconds=1)
    OpenAPIImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING, started_at=lost_at)

    jobs.sweep_jobs()

    upload.refresh_from_db()
    assert (upload.status, upload.refused_reason) == (ImportStatus.FAILED, openapi_services.ABANDONED_REASON)
    assert upload.finished_at is not None
    event = AuditEvent.objects.get(kind="openapi_import.failed")
    assert (event.target, event.within, event.comment) == (
        upload,
        integration,
        "Its worker was lost before it finished.",
    )


def test_the_sweep_leaves_an_import_that_may_still_be_running(integration, alice):
    upload = _queued_import(integration, alice, age=timedelta(hours=1))
    started = timezone.now() - jobs.abandoned_after() + timedelta(minutes=1)
    OpenAPIImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING, started_at=started)

    jobs.sweep_jobs()

    assert OpenAPIImport.objects.get(pk=upload.pk).status == ImportStatus.RUNNING


def test_a_second_message_for_an_import_being_read_takes_nothing(integration, alice):
    upload = _queued_import(integration, alice, age=timedelta(minutes=1))
    OpenAPIImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())

    assert openapi_services.run_openapi_import(upload.pk) is None
    assert OpenAPIImport.objects.get(pk=upload.pk).status == ImportStatus.RUNNING


def test_a_redelivered_import_whose_worker_died_is_read(integration, alice):
    upload = _queued_import(integration, alice, age=timedelta(minutes=10))
    died = timezone.now() - timedelta(seconds=jobs.settings.TASK_TIME_LIMIT + 1)
    OpenAPIImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING, started_at=died)

    assert openapi_services.run_openapi_import(upload.pk).status == ImportStatus.DONE


def _run(version, *, status, created_ago=timedelta(0), started_ago=None) -> MappingTestRun:
    now = timezone.now()
    return MappingTestRun.objects.create(
        version=version,
        status=status,
        total=1,
        created_at=now - created_ago,
        started_at=None if started_ago is None else now - started_ago,
    )


def test_the_sweep_runs_a_queued_run_whose_message_was_lost(version):
    lost = _run(version, status=RunStatus.QUEUED, created_ago=jobs.requeue_after() + timedelta(seconds=1))

    jobs.sweep_jobs()

    lost.refresh_from_db()
    assert (lost.status, lost.done) == (RunStatus.DONE, 1)


def test_the_sweep_fails_a_run_running_longer_than_any_worker_could(version, alice):
    lost = _run(version, status=RunStatus.RUNNING, started_ago=jobs.abandoned_after() + timedelta(seconds=1))

    jobs.sweep_jobs()

    lost.refresh_from_db()
    assert (lost.status, lost.message) == (RunStatus.FAILED, mapping_test_services.ABANDONED_MESSAGE)
    assert AuditEvent.objects.get(kind="mapping_test_run.abandoned").target == lost
    assert mapping_test_services.start_mapping_test_run(version, acting_user=alice).status == RunStatus.QUEUED


def test_a_second_message_for_a_run_under_way_takes_nothing(version):
    running = _run(version, status=RunStatus.RUNNING, started_ago=timedelta(seconds=30))

    assert mapping_test_services.run_mapping_tests(running.pk) is None
    assert MappingTestRun.objects.get(pk=running.pk).status == RunStatus.RUNNING


def test_one_failing_sweeper_does_not_stop_the_others(version, monkeypatch):
    lost = _run(version, status=RunStatus.QUEUED, created_ago=jobs.requeue_after() + timedelta(seconds=1))

    def broken():
        raise RuntimeError("sweeper bug")

    monkeypatch.setattr(jobs, "_sweepers", [broken, *jobs._sweepers])
    jobs.sweep_jobs()

    assert MappingTestRun.objects.get(pk=lost.pk).status == RunStatus.DONE
