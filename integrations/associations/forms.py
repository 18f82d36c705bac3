from django import forms

from integrations.associations.services import DECISIONS


class AssociationRequestForm(forms.Form):
    message = forms.CharField(
        label="Message to the owner",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional: what your organization would work on, and who to contact. Up to 2000 characters.",
    )


class AssociationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(decision, decision) for decision in DECISIONS])
