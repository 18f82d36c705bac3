"""The form of a mapping test; load_sample() decides whether its JSON can be used (in the action)."""

import json

from django import forms

from integrations.formulas.limits import MAX_SAMPLE_BYTES
from integrations.mapping_tests.services import edit_version
from integrations.models import MappingTest
from portal.services import ActionRefused


class MappingTestForm(forms.Form):
    name = forms.CharField(label="Test name", max_length=120)
    description = forms.CharField(
        label="Flow it proves",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Such as: a new web customer with a US address arrives from the store.",
    )
    sample = forms.CharField(
        label="Sample input record (JSON)",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    parent = forms.CharField(
        label="Parent record (JSON, optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text="For a child collection: the parent record, which formulas read as Parent.",
    )
    expected = forms.CharField(
        label="Expected output (JSON)",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text="The whole output record the mapping must give for the sample.",
    )

    def __init__(self, *args, **kwargs):
        # The editor also has the preview form, whose "sample" and "parent" fields would share ids.
        kwargs.setdefault("auto_id", "test_%s")
        super().__init__(*args, **kwargs)

    def add_refusal(self, refused: ActionRefused) -> None:
        """The action's refusal next to the field it is about (mapping_test_services.InputRefused)."""
        field = getattr(refused, "field", None)
        self.add_error(field if field in self.fields else None, str(refused))

    @staticmethod
    def initial_for(test: MappingTest) -> dict:
        return {
            "name": test.name,
            "description": test.description,
            "sample": _json_text(test.sample),
            "parent": "" if test.parent is None else _json_text(test.parent),
            "expected": _json_text(test.expected),
        }


class MappingTestEditForm(MappingTestForm):
    # The test's edit_version() when the form was loaded: the optimistic lock.
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(test: MappingTest) -> dict:
        return MappingTestForm.initial_for(test) | {"loaded_version": edit_version(test)}


def _json_text(value) -> str:
    """Indented for reading, unless that would take it over the size a sample may have."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if len(text.encode()) <= MAX_SAMPLE_BYTES:
        return text
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
