"""The form of a mapping test; load_sample() decides whether its JSON can be used (in the action)."""

from django import forms


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
