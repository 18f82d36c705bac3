"""Fixtures of the OpenAPI page's tests: an integration of Northwind's, Alice's client, and an
upload through the page that runs the import task eagerly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import IntegrationFactory


@pytest.fixture
def integration(northwind):
    return IntegrationFactory(owner=northwind, name="Magento connector", slug="magento-connector")


@pytest.fixture
def alice_client(alice):
    return client_for(alice)


@pytest.fixture
def upload(alice_client, integration, django_capture_on_commit_callbacks):
    """POST a file to the page and run what commits enqueue (the task, eagerly)."""

    def post(content: bytes, name: str = "api.yaml"):
        url = reverse("integration_openapi", args=[integration.slug])
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(url, {"document": SimpleUploadedFile(name, content)})
        return alice_client.get(response["Location"]) if response.status_code == 302 else response

    return post
