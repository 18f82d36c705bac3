import datetime
import re

from django import forms

from integrations.models import Category
from integrations.registry.models import FUTURE_RELEASE, latest_allowed_release_date
from portal.images import ImageUploadField
from portal.models import Organization

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOX_TEMPLATE = "integrations/_checkbox_field.html"  # app templates: the form renderer only looks in apps


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label="Search providers and applications",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "For example Magento or BigCommerce"}),
    )

    def clean_q(self) -> str:
        return _one_line(self.cleaned_data["q"])


class LogoFormMixin:
    """Adds "remove the current logo" when there is one to remove."""

    def _add_remove_logo(self, has_logo: bool) -> None:
        if has_logo:
            self.fields["remove_logo"] = forms.BooleanField(
                label="Remove the current logo", required=False, template_name=CHECKBOX_TEMPLATE
            )
            order = list(self.fields)
            order.insert(order.index("logo") + 1, order.pop(order.index("remove_logo")))
            self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") and cleaned.get("remove_logo"):
            self.add_error("remove_logo", "Choose a new logo or remove the current one, not both.")
        cleaned.setdefault("remove_logo", False)
        return cleaned


class PublicProfileForm(LogoFormMixin, forms.Form):
    name = forms.CharField(max_length=120, help_text="The name customers and partners see.")
    website = forms.URLField(label="Company URL", required=False, max_length=200, assume_scheme="https")
    logo = ImageUploadField()
    description = forms.CharField(
        label="About",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few sentences, shown on your public pages. Up to 1000 characters.",
    )
    contact_email = forms.EmailField(
        label="Contact email", required=False, help_text="Where partners and customers can reach you. Shown publicly."
    )
    services_offered = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One service per line, for example “Implementation” or “Managed integrations”.",
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": organization.name,
                "website": organization.website,
                "description": organization.description,
                "contact_email": organization.contact_email,
                "services_offered": organization.services_offered,
            },
        )
        super().__init__(*args, **kwargs)
        self.organization = organization
        if organization.is_integrator or organization.is_misp:
            self.fields["description"].label = "Short bio"
        else:
            # Services offered belong to integrators and MiSPs; a provider keeps what it had.
            del self.fields["services_offered"]
        self._add_remove_logo(bool(organization.logo))

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("services_offered", self.organization.services_offered)
        return cleaned


class ApplicationForm(LogoFormMixin, forms.Form):
    name = forms.CharField(max_length=120, help_text="The product's name, for example “Magento”.")
    website = forms.URLField(label="Product landing page URL", required=False, max_length=200, assume_scheme="https")
    logo = ImageUploadField()
    category = forms.ChoiceField(choices=[("", "Choose a category")] + Category.choices)
    description = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the product does and who uses it. Up to 4000 characters.",
    )
    is_published = forms.BooleanField(
        label="Published: show this application on the public pages",
        required=False,
        template_name=CHECKBOX_TEMPLATE,
        help_text="Leave it unpublished while it is a draft. Only your organization's members see drafts.",
    )

    def __init__(self, *args, application=None, **kwargs):
        if application is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": application.name,
                    "website": application.website,
                    "category": application.category,
                    "description": application.description,
                    "is_published": application.is_published,
                },
            )
        super().__init__(*args, **kwargs)
        self._add_remove_logo(application is not None and bool(application.logo))

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name


class VersionFieldsMixin:
    def clean_label(self) -> str:
        label = _one_line(self.cleaned_data["label"])
        if not label:
            raise forms.ValidationError("Enter the version's label.")
        return label

    def clean_release_date(self) -> datetime.date:
        release_date = self.cleaned_data["release_date"]
        if release_date > latest_allowed_release_date():
            raise forms.ValidationError(FUTURE_RELEASE)
        if release_date.year < 1970:
            raise forms.ValidationError("Enter a release date after 1970.")
        return release_date


_LAST_NUMBER = re.compile(r"(\d+)((?:\.(?:\d+|x))*)(?!.*\d)")


def next_version_label(latest: str) -> str:
    """The label the version after ``latest`` probably has, as a proposal the provider may change:
    its last version number moves on a minor step (Open Source 2.4.x → 2.5.x, 2.4.1 → 2.5.0), or a
    major one when it has no minor (Customer API v3 → v4, 2.x → 3.x)."""
    found = _LAST_NUMBER.search(latest)
    if not found:
        return ""
    parts = [found.group(1), *(part for part in found.group(2).split(".") if part)]
    if len(parts) > 1 and parts[1].isdigit():
        parts = [parts[0], str(int(parts[1]) + 1), *("x" if part == "x" else "0" for part in parts[2:])]
    else:
        parts = [str(int(parts[0]) + 1), *parts[1:]]
    return latest[: found.start()] + ".".join(parts) + latest[found.end() :]


class VersionForm(VersionFieldsMixin, forms.Form):
    label = forms.CharField(
        max_length=80, help_text="As the provider names it, for example “Open Source 2.4.x” or “Customer API v3”."
    )
    release_date = forms.DateField(widget=DATE_INPUT, help_text="The newest release date marks the latest version.")
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, version=None, latest_label: str = "", **kwargs):
        if version is not None:
            kwargs.setdefault(
                "initial", {"label": version.label, "release_date": version.release_date, "notes": version.notes}
            )
        elif latest_label:
            kwargs.setdefault("initial", {"label": next_version_label(latest_label)})
        super().__init__(*args, **kwargs)


class VersionSubmissionForm(VersionFieldsMixin, forms.Form):
    label = forms.CharField(max_length=80, help_text="As the provider names it, for example “Open Source 2.5.x”.")
    release_date = forms.DateField(widget=DATE_INPUT)
    source_url = forms.URLField(
        label="Source URL",
        max_length=500,
        assume_scheme="https",
        help_text="A public page that shows the version exists: release notes, a changelog, a press release.",
    )
    notes = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything that helps staff verify it.",
    )
