"""Forms for an integration's declarations and its versions. They only parse and validate input;
the actions in integrations.workspace.services make the changes."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.text import slugify

from integrations.models import (
    Application,
    Integration,
    IntegrationVersion,
    next_minor,
    validate_scope,
    validate_semver,
)
from integrations.registry.forms import CHECKBOX_TEMPLATE
from integrations.workspace.services import DECLARATION_FIELDS, OWNER_ONLY_FIELDS

MAX_SCOPES = 200
BOOLEAN_FIELDS = (
    "has_hook",
    "has_queue",
    "has_event",
    "hosts_multitenant_cloud",
    "hosts_private_cloud",
    "hosts_on_premise",
)
# (legend, help, fields): how the page groups the form; a field the form lacks is skipped.
FIELDSETS = [
    ("The integration", "", ["name", "application", "kind"]),
    ("Event services", "How the application tells iPaaS.com about changes.", ["has_hook", "has_queue", "has_event"]),
    (
        "Hosting models",
        "Where the application can run.",
        ["hosts_multitenant_cloud", "hosts_private_cloud", "hosts_on_premise"],
    ),
    ("What it does", "", ["description", "features", "data_movement", "workflow_documentation", "scopes"]),
    ("Pricing", "Either may be 0.", ["price_up_front", "price_per_month"]),
    (
        "Private partner brief",
        "Shown only to MiSPs and technology partners.",
        ["brief_typical_market", "brief_ideal_buyer", "brief_positioning"],
    ),
    (
        "Discovery notes",
        "Private to your organization and associated integrators.",
        [
            "value_proposition",
            "target_customers",
            "business_logic",
            "known_gaps",
            "nda_status",
            "contact_integrator",
            "contact_third_party",
            "contact_red_rook",
        ],
    ),
    (
        "SDK connector",
        "For SDK integrations: the accessible connector package.",
        ["sdk_package", "sdk_language", "sdk_url", "sdk_version"],
    ),
]


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


class IntegrationForm(forms.ModelForm):
    """Every declared field. ``owner=False`` (an associated integrator) leaves out what only the
    owner edits; ``creating=True`` adds the application choice."""

    scopes = forms.CharField(
        label="Webhook scopes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "customer/created\nproduct/updated"}),
        help_text="A webhook scope is a kind of event the application sends when something changes in it. "
        "One scope per line, as resource/event: customer/created, product/updated.",
    )

    class Meta:
        model = Integration
        fields = ["name", *DECLARATION_FIELDS, *OWNER_ONLY_FIELDS[1:]]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "features": forms.Textarea(attrs={"rows": 4}),
            "data_movement": forms.Textarea(attrs={"rows": 3}),
            "workflow_documentation": forms.Textarea(attrs={"rows": 5}),
            "brief_typical_market": forms.Textarea(attrs={"rows": 2}),
            "brief_ideal_buyer": forms.Textarea(attrs={"rows": 2}),
            "brief_positioning": forms.Textarea(attrs={"rows": 2}),
            "value_proposition": forms.Textarea(attrs={"rows": 2}),
            "target_customers": forms.Textarea(attrs={"rows": 2}),
            "business_logic": forms.Textarea(attrs={"rows": 3}),
            "known_gaps": forms.Textarea(attrs={"rows": 2}),
            "price_up_front": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "price_per_month": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
        }
        labels = {"price_up_front": "Price up front ($)", "price_per_month": "Price per month ($)"}

    def __init__(self, *args, integration=None, owner=True, creating=False, application=None, **kwargs):
        if integration is not None:
            initial = model_to_dict(integration, fields=self.Meta.fields)
            initial["scopes"] = "\n".join(scope.name for scope in integration.scopes.all())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["sdk_url"].assume_scheme = "https"
        for name in BOOLEAN_FIELDS:
            self.fields[name].template_name = CHECKBOX_TEMPLATE
        if creating:
            self.fields["name"].required = False
            self.fields["name"].help_text = "Leave empty to name it after the application and your organization."
            self.fields["application"] = forms.ModelChoiceField(
                queryset=Application.objects.published().select_related("provider").order_by("name"),
                initial=application,
                empty_label="Choose the application",
                help_text="The published application this integration connects to iPaaS.com.",
            )
        if not owner:
            for name in OWNER_ONLY_FIELDS:
                self.fields.pop(name, None)

    def fieldsets(self) -> list[tuple[str, str, str, list]]:
        """(anchor, legend, help, bound fields): the anchor is the fieldset's id, which the tier
        rules' "do it" links point at (integrations.tiers.compatible_ready)."""
        return [
            (slugify(legend), legend, help_text, [self[name] for name in names if name in self.fields])
            for legend, help_text, names in FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data.get("name", ""))

    def clean_scopes(self) -> list[str]:
        names, errors, seen = [], [], set()
        for line in self.cleaned_data["scopes"].splitlines():
            name = line.strip()
            if not name or name.lower() in seen:
                continue
            if len(name) > 120:
                errors.append(f"“{name[:40]}…” is longer than 120 characters.")
                continue
            try:
                validate_scope(name)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            seen.add(name.lower())
            names.append(name)
        if len(names) > MAX_SCOPES:
            errors.append(f"Declare at most {MAX_SCOPES} scopes.")
        if errors:
            raise ValidationError(errors)
        return names

    def action_fields(self) -> dict:
        """cleaned_data split the way the actions take it: the model fields, and scopes."""
        data = dict(self.cleaned_data)
        data.pop("application", None)
        return data


class IntegrationVersionForm(forms.Form):
    number = forms.CharField(
        label="Version",
        max_length=40,
        validators=[validate_semver],
        help_text="A semantic version, such as 1.0.0.",
    )
    release_notes = forms.CharField(required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    supported_versions = forms.ModelMultipleChoiceField(
        label="Supported application versions",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args, integration: Integration, version: IntegrationVersion | None = None, number: str = "", **kwargs
    ):
        if version is None and number:
            kwargs.setdefault("initial", {"number": number})
        if version is not None:
            kwargs.setdefault(
                "initial",
                {
                    "number": version.number,
                    "release_notes": version.release_notes,
                    "supported_versions": list(version.supported_versions.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        field = self.fields["supported_versions"]
        # Only this integration's application's versions: another application's never show or validate.
        field.queryset = integration.application.versions.all()
        field.label_from_instance = lambda v: v.label
        field.help_text = f"The versions of {integration.application.name} this release works with."

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()


class NewVersionForm(forms.Form):
    """Starting a new version from an existing one: its number and release notes; the rest is copied."""

    number = forms.CharField(
        label="New version", max_length=40, validators=[validate_semver], help_text="A semantic version, such as 1.1.0."
    )
    release_notes = forms.CharField(required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, source: IntegrationVersion, **kwargs):
        kwargs.setdefault("initial", {"number": next_minor(source.number)})
        super().__init__(*args, **kwargs)

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()
