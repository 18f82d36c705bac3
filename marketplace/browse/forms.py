"""The marketplace's query string: every search, filter, sort and page a visitor can share.

Whatever a field cannot read is dropped, so a hand-edited or stale link still shows a sensible page."""

import re
from dataclasses import dataclass, field

from django import forms

from integrations.models import Category, Tier

MAX_QUERY_LENGTH = 200
MAX_VALUES = 20  # per repeated parameter: more is never a person's choice
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")

TIER_SLUGS = {
    "compatible": Tier.COMPATIBLE,
    "ready": Tier.READY,
    "certified": Tier.CERTIFIED,
    "one-click": Tier.ONE_CLICK,
}
TIER_LABELS = {
    Tier.COMPATIBLE: "Compatible",
    Tier.READY: "Ready",
    Tier.CERTIFIED: "Certified",
    Tier.ONE_CLICK: "Certified + One-Click",
}
HOSTING = {
    "multitenant-cloud": ("hosts_multitenant_cloud", "Multitenant cloud"),
    "private-cloud": ("hosts_private_cloud", "Private cloud"),
    "on-premise": ("hosts_on_premise", "On-premise"),
}
EVENT_SERVICES = {"hook": ("has_hook", "Hook"), "queue": ("has_queue", "Queue"), "event": ("has_event", "Event")}
MONTHLY_LIMITS = {"50": 50, "100": 100, "250": 250, "500": 500}


class Sort:
    RELEVANCE = "relevance"
    SCORE = "score"
    RATING = "rating"
    NEWEST = "newest"
    PRICE = "price"
    CHOICES = [
        (RELEVANCE, "Relevance"),
        (SCORE, "Score"),
        (RATING, "Rating, highest first"),
        (NEWEST, "Newest"),
        (PRICE, "Price, lowest first"),
    ]


class SlugListField(forms.MultipleChoiceField):
    """Application and collection slugs: any well-formed slug; one that names nothing matches nothing."""

    def valid_value(self, value) -> bool:
        return bool(SLUG.match(str(value)))


def _capped(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))[:MAX_VALUES]


class MarketplaceSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search integrations", strip=True)
    tier = forms.MultipleChoiceField(required=False, choices=[(slug, slug) for slug in TIER_SLUGS])
    application = SlugListField(required=False)
    category = forms.MultipleChoiceField(required=False, choices=Category.choices)
    hosting = forms.MultipleChoiceField(required=False, choices=[(key, key) for key in HOSTING])
    event = forms.MultipleChoiceField(required=False, choices=[(key, key) for key in EVENT_SERVICES])
    collection = SlugListField(required=False)
    free_setup = forms.BooleanField(required=False)
    monthly = forms.ChoiceField(required=False, choices=[("", "")] + [(key, key) for key in MONTHLY_LIMITS])
    one_click = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=Sort.CHOICES)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def criteria(self) -> "Criteria":
        """What the query string asks for, every field that does not parse left out."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return Criteria(
            q=data.get("q", ""),
            tiers=[TIER_SLUGS[slug] for slug in _capped(data.get("tier", []))],
            applications=_capped(data.get("application", [])),
            categories=_capped(data.get("category", [])),
            hosting=_capped(data.get("hosting", [])),
            events=_capped(data.get("event", [])),
            collections=_capped(data.get("collection", [])),
            free_setup=data.get("free_setup", False),
            monthly=data.get("monthly", ""),
            one_click=data.get("one_click", False),
            sort=data.get("sort") or (Sort.RELEVANCE if data.get("q") else Sort.SCORE),
        )


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    tiers: list[int] = field(default_factory=list)
    applications: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    hosting: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    free_setup: bool = False
    monthly: str = ""
    one_click: bool = False
    sort: str = Sort.SCORE

    @property
    def is_filtered(self) -> bool:
        return any(
            [self.tiers, self.applications, self.categories, self.hosting, self.events, self.collections]
        ) or any([self.free_setup, self.monthly, self.one_click])
