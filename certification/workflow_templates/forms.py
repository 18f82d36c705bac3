from django import forms

from certification.workflow_templates.definition import DefinitionError, parse_definition
from certification.workflow_templates.services import TemplateFields


class WorkflowTemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), help_text="What the workflow does, for whom."
    )
    definition = forms.CharField(
        label="Definition (JSON)",
        # No max_length: the parser's own message names the size (at most MAX_BODY characters).
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "code"}),
        help_text="The trigger (a webhook scope the integration declares, or a schedule: "
        '{"type": "schedule", "every_minutes": 60}) and the steps, in order: each names a collection, '
        "a direction (to_ipaas or from_ipaas) and the version's template mapping it runs.",
    )
    setup_notes = forms.CharField(
        label="Setup notes for the customer",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_definition(self):
        try:
            return parse_definition(self.cleaned_data["definition"])
        except DefinitionError as error:
            raise forms.ValidationError(error.problems) from None

    def template_fields(self) -> TemplateFields:
        data = self.cleaned_data
        return TemplateFields(data["name"], data["description"], data["setup_notes"], data["definition"])
