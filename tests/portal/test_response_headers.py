"""Cache-Control and Permissions-Policy. Every URL of the authorization matrix is checked for
both (test_authorization_matrix._header_problems); these are the cases around it."""

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from portal.middleware import ResponseHeadersMiddleware
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_public_page_seen_signed_out_keeps_its_own_caching():
    response = client_for(None).get(reverse("data_model_index"))

    assert response.status_code == 200
    assert not {"private", "no-store"} & _directives(response)


def test_the_same_public_page_seen_signed_in_is_never_stored(alice):
    response = client_for(alice).get(reverse("data_model_index"))

    assert {"private", "no-store"} <= _directives(response)


def test_a_response_marked_public_is_made_private_for_a_signed_in_person(alice, rf):
    def cacheable_view(request):
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=300)
        return response

    request = rf.get("/")
    request.user = alice
    response = ResponseHeadersMiddleware(cacheable_view)(request)

    assert "public" not in _directives(response)
    assert {"private", "no-store"} <= _directives(response)


def test_the_browser_features_the_portal_never_uses_are_turned_off_for_signed_out_visitors():
    policy = client_for(None).get(reverse("account_login"))["Permissions-Policy"]

    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= {
        part.strip() for part in policy.split(",")
    }
