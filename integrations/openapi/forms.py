"""Forms of the OpenAPI page: the upload and the integrator's decisions on foreign data objects."""

import uuid

from django import forms
from django.core.exceptions import ValidationError

from integrations import openapi
from integrations.openapi.services import MAX_NAME_LENGTH

ACCEPT_ATTRIBUTE = ".json,.yaml,.yml,application/json,application/yaml,application/x-yaml,text/yaml"
LIMIT_MB = openapi.MAX_BYTES // (1024 * 1024)


class OpenAPIUploadForm(forms.Form):
    document = forms.FileField(
        label="OpenAPI 2.0 document",
        help_text=f"The application's Swagger 2.0 description, as JSON or YAML, up to {LIMIT_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        # The size comes from the upload handler: a file over the limit is refused unread.
        if upload.size > openapi.MAX_BYTES:
            raise ValidationError(
                f"This file is {upload.size / 1_048_576:.1f} MB; the limit is {LIMIT_MB} MB.", code="too_big"
            )
        upload.seek(0)
        content = upload.read(openapi.MAX_BYTES + 1)
        if len(content) > openapi.MAX_BYTES:
            raise ValidationError(f"This file is larger than {LIMIT_MB} MB, the limit.", code="too_big")
        if not content:
            raise ValidationError("This file is empty.", code="empty")
        self.cleaned_data["content"] = content
        return upload


class ForeignObjectActionForm(forms.Form):
    ACTIONS = [("accept", "Accept"), ("rename", "Rename"), ("drop", "Drop")]

    action = forms.ChoiceField(choices=ACTIONS)
    name = forms.CharField(required=False, max_length=MAX_NAME_LENGTH, strip=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "rename" and not " ".join(cleaned.get("name", "").split()):
            self.add_error("name", "Give the object a name.")
        return cleaned


class UUIDListField(forms.Field):
    """The public ids of the objects ticked in the list (any number of checkboxes with one name)."""

    widget = forms.MultipleHiddenInput
    MAX_ITEMS = 1000

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > self.MAX_ITEMS:
            raise ValidationError("Too many objects chosen at once.")
        try:
            return [uuid.UUID(str(item)) for item in values]
        except ValueError as exc:
            raise ValidationError("Choose objects from the list.") from exc


class ForeignObjectMergeForm(forms.Form):
    objects = UUIDListField(required=False)
    name = forms.CharField(
        label="Name of the merged object",
        required=False,
        max_length=MAX_NAME_LENGTH,
        help_text="Leave empty to keep the name of the first object chosen.",
    )
