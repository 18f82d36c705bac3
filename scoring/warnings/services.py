"""Warning integrators, once, a week before a run would hide their integration; and lifting the
warning once the run a week ahead would not hide it any more (the integrator fixed its causes, or
the policy changed), so the dashboard, which reads the warnings, says no more than is true."""

from django.db import transaction
from django.urls import reverse

from integrations.models import Integration
from portal import page_cache
from portal.notifications import absolute_url
from portal.services import audit_event, record, record_many
from scoring.proposals.notifications import send_to_members
from scoring.warnings.selectors import HideAhead, already_warned, hides_ahead, standing_warnings


def _send(ahead: HideAhead) -> None:
    integration = ahead.integration
    context = {
        "ahead": ahead,
        "integration_url": absolute_url(reverse("integration_detail", args=[integration.slug])),
    }
    send_to_members(
        integration.owner_id,
        f"{integration.name} would be hidden from marketplace search on {ahead.day:%d %b}",
        "scoring/warnings/email/hide_ahead.txt",
        context,
    )


def warn_before_hiding() -> int:
    """Each listed integration a run a week from today would hide, not warned yet: its owner's
    members are emailed and the warning recorded (so it goes once). Safe to run twice."""
    ahead = hides_ahead()
    lift_warnings({each.integration.pk for each in ahead})
    warned = already_warned(each.integration.pk for each in ahead)
    sent = 0
    for each in ahead:
        if each.integration.pk in warned:
            continue
        with transaction.atomic():
            record(
                actor=None,
                kind="score.hide_warned",
                organization=each.integration.owner,
                target=each.integration,
                from_state=str(each.score_now),
                to_state=str(each.score_then),
                comment=f"the run of {each.day} would score {each.score_then}, below {each.hide_threshold}",
            )
            transaction.on_commit(lambda each=each: _send(each))
            page_cache.content_changed()  # the dashboards keep their warnings under its generation
        sent += 1
    return sent


def lift_warnings(heading: set[int]) -> int:
    """Every standing warning of an integration no longer heading for hiding is lifted (recorded,
    in one insert): it leaves the dashboard, and a later fall is warned again."""
    lifted = [
        each
        for each in standing_warnings(Integration.objects.select_related("owner"))
        if each.integration.pk not in heading
    ]
    record_many(
        audit_event(
            actor=None,
            kind="score.hide_warning_lifted",
            organization=each.integration.owner,
            target=each.integration,
            from_state=str(each.score_then if each.score_then is not None else ""),
            to_state=str(each.score_now if each.score_now is not None else ""),
            comment=f"the run of {each.day} would no longer hide it",
        )
        for each in lifted
    )
    if lifted:
        page_cache.content_changed()
    return len(lifted)
