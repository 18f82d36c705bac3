"""Publishing a new version of the scoring policy: the only way a policy's numbers change."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from marketplace.reviews import windows
from portal.models import User
from portal.services import ActionRefused, record
from scoring.policy.models import NUMBER_FIELDS, ScoringPolicy

REVIEW_WINDOW_FIELDS = ("response_window_days", "solicitation_delay_days")


def publish_policy(numbers: dict[str, int], *, acting_user: User | None) -> ScoringPolicy:
    """A new version with these numbers (the ones not given are the current version's). Refused,
    with the reasons, when the numbers contradict each other; runs from now on use it."""
    current = ScoringPolicy.current()
    unknown = set(numbers) - set(NUMBER_FIELDS)
    if unknown:
        raise ActionRefused(f"Not numbers of the policy: {', '.join(sorted(unknown))}.")
    policy = ScoringPolicy(**{**current.numbers(), **numbers}, created_by=acting_user)
    try:
        policy.full_clean(exclude=["version"])
    except ValidationError as error:
        raise ActionRefused(
            " ".join(f"{name.replace('_', ' ')}: {' '.join(texts)}" for name, texts in error.message_dict.items())
        ) from error
    try:
        with transaction.atomic():
            policy.version = (ScoringPolicy.objects.aggregate(last=Max("version"))["last"] or 0) + 1
            policy.save()
    except IntegrityError as error:  # two staff published at once: one version number each, never both
        raise ActionRefused("Another version was published at the same moment; look at it and try again.") from error
    record(actor=acting_user, kind="scoring_policy.published", target=policy, comment=_changes(current, policy))
    # Forgotten now (a rollback only costs a re-read) and again once others can read the new version.
    windows.forget()
    transaction.on_commit(windows.forget)
    return policy


def review_windows() -> windows.ReviewWindows:
    """The newest policy's review windows; before any policy exists, the defaults a first one gets."""
    policy = ScoringPolicy.objects.order_by("-version").only(*REVIEW_WINDOW_FIELDS).first() or ScoringPolicy()
    return windows.ReviewWindows(policy.response_window_days, policy.solicitation_delay_days)


def _changes(before: ScoringPolicy, after: ScoringPolicy) -> str:
    changed = [
        f"{name.replace('_', ' ')} {getattr(before, name)} → {getattr(after, name)}"
        for name in NUMBER_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    return "; ".join(changed) or "no number changed"
