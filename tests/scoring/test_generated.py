"""The set-based engine against the per-integration reference (reference.py) on generated worlds:
integrations of shared applications with versions, customers subscribing, cancelling and coming
back, reviews with answers and disputes, all at random moments around the day scored."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import ApplicationVersion, IntegrationVersion, VersionStatus
from marketplace.models import Dispute, DisputeStatus, Review, Subscription
from scoring.engine import compute
from scoring.models import ScoringPolicy
from scoring.policy.services import publish_policy
from tests.factories import ApplicationFactory, IntegrationFactory, OrganizationFactory
from tests.scoring import reference

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)
EPOCH = datetime.datetime(2026, 6, 16, tzinfo=datetime.UTC)  # the end of DAY

# Moments in hours before the end of the day scored: the windows' edges (14 days, 90 days,
# 1 and 7 months, 12 months) are all reachable, a few moments lie after the day.
# Days drawn from a list first: hypothesis favours small integers, which would put nearly every
# moment in the last day and every cancellation after it.
DAYS = [0, 1, 10, 13, 14, 15, 30, 60, 89, 90, 91, 120, 149, 150, 151, 200, 250, 300, 364, 366, 400]
hours = st.one_of(
    st.sampled_from(DAYS).map(lambda days: days * 24 + 5),
    st.integers(min_value=-30, max_value=24 * 400),
)


def moment(hours_before: int) -> datetime.datetime:
    return EPOCH - datetime.timedelta(hours=hours_before)


# Lengths in hours, with the misrepresentation edges (1 and 7 months) among them.
lengths = st.one_of(
    st.sampled_from([5, 20, 28, 30, 31, 32, 45, 60, 150, 211, 212, 213, 250]).map(lambda days: days * 24),
    st.integers(min_value=1, max_value=24 * 250),
)
subscription_chain = st.lists(st.tuples(hours, lengths, st.booleans()), min_size=1, max_size=3)
review = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "stars": st.sampled_from([1, 2, 2, 3, 5]),
            "at": hours,
            "answered_after": st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 30)),
            "dispute": st.one_of(st.none(), st.sampled_from(list(DisputeStatus.values))),
            "disputed_after": st.integers(min_value=0, max_value=24 * 30),
        }
    ),
)
customer = st.fixed_dictionaries({"chain": subscription_chain, "review": review})
integration = st.fixed_dictionaries(
    {
        "application": st.integers(min_value=0, max_value=1),
        "versions": st.lists(
            st.tuples(st.integers(min_value=0, max_value=3), st.booleans(), st.sets(st.integers(0, 2))),
            min_size=1,
            max_size=3,
            unique_by=lambda version: version[0],
        ),
        "customers": st.lists(customer, min_size=1, max_size=6),
    }
)
# Thresholds a handful of generated customers can reach, on both sides of the subscriber threshold.
SMALL_THRESHOLDS = {
    "small_subscriber_threshold": 3,
    "small_cancellation_count": 2,
    "cancellation_percent": 40,
    "cancellation_window_days": 150,
    "negative_review_cap": 10,
    "misrepresentation_cap": 10,
}
world = st.fixed_dictionaries(
    {
        "application_versions": st.lists(
            st.lists(st.integers(min_value=-400, max_value=3), min_size=1, max_size=3), min_size=2, max_size=2
        ),
        "policy": st.sampled_from([{}, SMALL_THRESHOLDS]),
        "integrations": st.lists(integration, min_size=1, max_size=3),
        "assume": st.lists(
            st.tuples(st.sampled_from(["supports_latest", "answered", "disputed"]), st.integers(0, 8)), max_size=3
        ),
    }
)


def _subscribe_chain(integration, organization, chain):
    """Subscriptions of one customer one after the other; only the last may still run."""
    at = None
    for index, (start, length, cancelled) in enumerate(sorted(chain, key=lambda link: -link[0])):
        started = moment(start) if at is None else max(moment(start), at + datetime.timedelta(hours=1))
        last = index == len(chain) - 1
        ended = started + datetime.timedelta(hours=length) if (cancelled or not last) else None
        Subscription.objects.create(
            organization=organization,
            integration=integration,
            price_up_front=0,
            price_per_month=10,
            started_at=started,
            cancelled_at=ended,
        )
        at = ended


def _review(integration, organization, spec):
    created = moment(spec["at"])
    answered = (
        created + datetime.timedelta(hours=spec["answered_after"]) if spec["answered_after"] is not None else None
    )
    row = Review.objects.create(
        organization=organization,
        integration=integration,
        stars=spec["stars"],
        text="A review.",
        created_at=created,
        answered_at=answered,
        answer="Thanks." if answered else "",
    )
    if spec["dispute"]:
        Dispute.objects.create(
            review=row,
            reasoning="Not a customer problem.",
            raised_at=created + datetime.timedelta(hours=spec["disputed_after"]),
            status=spec["dispute"],
        )
    return row


def build(spec, customers):
    applications = [ApplicationFactory() for _ in spec["application_versions"]]
    versions = []
    for application, days in zip(applications, spec["application_versions"], strict=True):
        versions.append(
            [
                ApplicationVersion.objects.create(
                    application=application, label=f"v{i}", release_date=DAY + datetime.timedelta(days=d)
                )
                for i, d in enumerate(days)
            ]
        )
    integrations, reviews = [], []
    for item in spec["integrations"]:
        row = IntegrationFactory(application=applications[item["application"]])
        integrations.append(row)
        for minor, published, supported in item["versions"]:
            version = IntegrationVersion.objects.create(
                integration=row,
                number=f"1.{minor}.0",
                status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
            )
            app_versions = versions[item["application"]]
            version.supported_versions.set([app_versions[i] for i in supported if i < len(app_versions)])
        for organization, person in zip(customers, item["customers"], strict=False):
            _subscribe_chain(row, organization, person["chain"])
            if person["review"]:
                reviews.append(_review(row, organization, person["review"]))
    return integrations, reviews


def _assumed(spec, integrations, reviews):
    fixes = set()
    for kind, index in spec["assume"]:
        targets = integrations if kind == "supports_latest" else reviews
        if targets:
            fixes.add((kind, targets[index % len(targets)].pk))
    return frozenset(fixes)


def _engine_view(result):
    return result.score, {d.rule: (d.amount, list(d.causes), list(d.realigned)) for d in result.deductions}


def _sorted(view):
    score, deductions = view
    return score, {
        rule: (amount, sorted(causes), sorted(realigned)) for rule, (amount, causes, realigned) in deductions.items()
    }


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=world)
def test_the_engine_scores_every_generated_world_as_the_reference_does(spec):
    with transaction.atomic():
        policy = publish_policy(spec["policy"], acting_user=None) if spec["policy"] else ScoringPolicy.current()
        customers = [OrganizationFactory(is_customer=True) for _ in range(6)]
        integrations, reviews = build(spec, customers)
        assume = _assumed(spec, integrations, reviews)
        computed = compute(policy, DAY, assume=assume)
        for row in integrations:
            assert _sorted(_engine_view(computed[row.pk])) == _sorted(reference.score(policy, DAY, row, assume))
        transaction.set_rollback(True)
