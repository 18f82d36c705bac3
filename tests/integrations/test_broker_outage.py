"""A mapping test run or an OpenAPI import started while the broker (Redis) is down answers
normally, stays queued, and is queued again by the job sweep once Redis is back."""

import json
import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings.services import RowValues
from integrations.models import ImportStatus, MappingTestRun, OpenAPIImport, RunStatus
from portal import jobs
from tests.conftest import client_for
from tests.factories import IntegrationFactory, IntegrationVersionFactory, template_mapping
from tests.integrations.openapi.builders import as_json, ok, swagger
from tests.redis_server import queued_messages

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
        mapping, acting_user=alice, name="Copies", sample=json.dumps({"e": 1}), expected=json.dumps({"Email": 1})
    )
    return version


def _age(model, pk):
    model.objects.filter(pk=pk).update(created_at=timezone.now() - jobs.requeue_after() - timedelta(seconds=1))


def test_a_run_started_with_the_broker_down_is_queued_again_once_it_is_back(
    own_broker, version, alice, django_capture_on_commit_callbacks, caplog
):
    own_broker.stop()
    with caplog.at_level(logging.WARNING, logger="portal.jobs"), django_capture_on_commit_callbacks(execute=True):
        run = mapping_test_services.start_mapping_test_run(version, acting_user=alice)
    assert MappingTestRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    assert "the sweep will queue it again" in caplog.text

    own_broker.start()
    _age(MappingTestRun, run.pk)
    jobs.sweep_jobs()

    assert queued_messages(own_broker) == [("integrations.tasks.run_mapping_tests", [run.pk])]


def test_an_upload_with_the_broker_down_answers_and_is_queued_again_once_it_is_back(
    own_broker, integration, alice, django_capture_on_commit_callbacks
):
    document = swagger({"/customers": {"get": {"tags": ["Customers"], "responses": ok({"type": "object"})}}})
    own_broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            reverse("integration_openapi", args=[integration.slug]),
            {"document": SimpleUploadedFile("api.json", as_json(document))},
        )
    assert response.status_code == 302
    upload = OpenAPIImport.objects.get()
    assert upload.status == ImportStatus.QUEUED

    own_broker.start()
    _age(OpenAPIImport, upload.pk)
    jobs.sweep_jobs()

    assert queued_messages(own_broker) == [("integrations.tasks.import_openapi_document", [upload.pk])]
