from django.urls import reverse

from integrations.formulas import FUNCTIONS
from tests.conftest import client_for


def test_the_help_page_documents_every_function_with_its_example(db):
    content = client_for(None).get(reverse("formula_help")).content.decode()
    for definition in FUNCTIONS.values():
        assert definition.signature.replace('"', "&quot;") in content, definition.name
    assert "Sign in</a> to run formulas" in content


def _try(client, formula, sample='{"SKU": "A100"}', **headers):
    return client.post(reverse("formula_try"), {"formula": formula, "sample": sample}, **headers)


def test_a_signed_in_person_runs_a_formula_on_a_sample(alice):
    response = _try(client_for(alice), '"WEB" + SKU', HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "&quot;WEBA100&quot;" in response.content.decode()
    assert "<h1>" not in response.content.decode()  # htmx gets only the fragment


def test_an_escape_attempt_is_refused_with_a_message(alice):
    response = _try(client_for(alice), "SKU.__class__")
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


def test_a_runaway_formula_is_stopped_and_reported(alice):
    response = _try(client_for(alice), 'regex_match(Text, "(a|aa)*$")', sample='{"Text": "' + "a" * 5000 + '!"}')
    assert response.status_code == 400
    content = response.content.decode()
    assert "runaway formula" in content or "not allowed" in content


def test_a_malformed_sample_gets_a_clear_message(alice):
    response = _try(client_for(alice), "SKU", sample='{"SKU": ')
    assert response.status_code == 400
    assert "Sample record" in response.content.decode()


def test_a_sample_with_a_number_too_long_to_read_gets_a_clear_message(alice):
    response = _try(client_for(alice), "id", sample='{"id": ' + "9" * 5000 + "}")
    assert response.status_code == 400
    assert "Sample record: the sample has a number too long to read: 5,000 digits (at most 4,300)" in (
        response.content.decode()
    )


def test_a_sample_with_a_number_too_large_to_use_gets_a_clear_message(alice):
    response = _try(client_for(alice), "id * 2", sample='{"id": 1e400}')
    assert response.status_code == 400
    assert "Sample record: the sample has a number too large to use: 1e400" in response.content.decode()


def test_an_empty_form_gets_a_clear_message(alice):
    response = client_for(alice).post(reverse("formula_try"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_running_formulas_is_rate_limited_per_person(alice, settings):
    from integrations.mappings.views import formulas

    client = client_for(alice)
    for _ in range(formulas.TRIES_PER_MINUTE):
        _try(client, "1 + 1")
    response = _try(client, "1 + 1")
    assert response.status_code == 400
    assert "Wait a moment" in response.content.decode()
