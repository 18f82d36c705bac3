from django import forms

from portal.models import Organization, OrganizationKind, Role


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="The name customers and partners will see.")
    kinds = forms.MultipleChoiceField(
        label="What does your organization do?",
        choices=OrganizationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every kind that applies. You can change this later.",
        error_messages={"required": "Choose at least one kind of organization."},
    )
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name

    @classmethod
    def for_organization(cls, organization: Organization, data=None):
        initial = {"name": organization.name, "kinds": organization.kinds, "website": organization.website}
        return cls(data=data, initial=initial)


class InvitationForm(forms.Form):
    email = forms.EmailField(max_length=254, help_text="We send a link to this address. It expires after a week.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args, can_invite_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_invite_owner:
            self.fields["role"].choices = [(r, label) for r, label in Role.choices if r != Role.OWNER]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class SwitchOrganizationForm(forms.Form):
    organization = forms.UUIDField(error_messages={"invalid": "Choose one of your organizations."})
