"""Warning integrators, once, a week before a run would hide their integration."""

from django.db import transaction
from django.urls import reverse

from portal.notifications import absolute_url
from portal.services import record
from scoring.proposals.notifications import send_to_members
from scoring.warnings.selectors import HideAhead, already_warned, hides_ahead


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
        sent += 1
    return sent
