"""The activity log reads as sentences: every registered kind of audit event, rendered with an
event as its app records it, names who did it (or says nobody did), what it was done to and what
changed, with no code left in it ("None", a placeholder, a snake_case state)."""

import re

import pytest

from portal import audit
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db

ACTOR = "Alice Integrator"
ORGANIZATION = "Northwind Integrations"
# The change of a kind that has no actor: a delivery from outside, a recompute of the tiers.
NO_ACTOR = {"inbox.event_verified", "integration.tier_changed"}
# What the kinds that word a state record, as their services record it (codes included).
RECORDED = {
    "application.created": {"to_state": "published"},
    "application_api_change.recorded": {
        "target_label": "API change of 2026-12-01",
        "within_label": "Magento",
        "to_state": "correct by 2026-12-31",
    },
    "dispute.decided": {"target_label": "Acme Retail", "from_state": "pending", "to_state": "accepted"},
    "foreign_object.linked": {"target_label": "Orders", "to_state": "Order"},
    "foreign_object.renamed": {"target_label": "Customer accounts", "from_state": "Customers"},
    "inbox.event_verified": {"actor_name": "", "to_state": "customer/created"},
    "integration.tier_changed": {"actor_name": "", "from_state": "Not yet Compatible", "to_state": "Compatible"},
    "integration_version.started": {"target_label": "1.1.0", "from_state": "1.0.0", "to_state": "draft"},
    "invitation.sent": {"target_label": "ivy@northwind.example.com", "to_state": "admin"},
    "listing.visibility_changed": {"actor_name": "", "from_state": "Listed", "to_state": "Hidden from search"},
    "membership.joined": {"target_label": ACTOR, "to_state": "owner"},
    "membership.left": {"target_label": ACTOR, "from_state": "member", "to_state": "removed"},
    "membership.role_changed": {"target_label": "Ivy Member", "from_state": "member", "to_state": "admin"},
    "review.edited": {"target_label": "Acme Retail", "from_state": "1 stars", "to_state": "4 stars"},
    "review.written": {"target_label": "Acme Retail", "to_state": "1 star"},
    "score.hide_warned": {"actor_name": "", "target_label": "Magento connector", "from_state": "48", "to_state": "31"},
    "scoring_run.failed": {"actor_name": "", "target_label": "Scoring run of 2026-11-29 (running)"},
    "webhook_scope.linked": {"target_label": "customer/created", "to_state": "Customer To iPaaS"},
}
# Every other kind: a target and what it is within, and the codes its service records as states
# (not worded by its sentence today; were one to word them, the checks below would see the code).
USUAL = {
    "actor_name": ACTOR,
    "target_label": "Email",
    "within_label": "Magento Customer ADD TO IPAAS",
    "from_state": "changes_requested",
    "to_state": "pending",
}
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _event(code: str) -> AuditEvent:
    return AuditEvent(kind=code, organization_name=ORGANIZATION, **(USUAL | RECORDED.get(code, {})))


@pytest.mark.parametrize("code", sorted(code for code, _ in audit.kind_choices()))
def test_every_kind_reads_as_a_sentence_with_its_actor_its_object_and_no_code(code):
    event = _event(code)
    kind = audit.get_kind(code)

    sentence = event.sentence

    assert "None" not in sentence and "{" not in sentence and "}" not in sentence, sentence
    assert not SNAKE_CASE.search(sentence), f"a code is left in: {sentence}"
    assert sentence[0].isupper() and "  " not in sentence and not sentence.endswith(" "), sentence
    if code not in NO_ACTOR:
        assert (event.actor_name or audit.NOBODY) in sentence, f"who did it? {sentence}"
    names = (event.target_label, event.within_label, ORGANIZATION)
    assert any(name in sentence for name in names), f"done to what? {sentence}"
    for state in ("from_state", "to_state"):
        if "{" + state + "}" in kind.sentence:
            assert kind.state_words(getattr(event, state)) in sentence


def test_the_kinds_with_worded_states_are_the_ones_given_as_recorded():
    """A kind whose sentence starts wording a state gets its recorded states here."""
    wording = {code for code, _ in audit.kind_choices() if "_state}" in audit.get_kind(code).sentence}
    assert wording <= set(RECORDED)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("membership.joined", f"{ACTOR} joined {ORGANIZATION} as an owner"),
        ("membership.left", f"{ACTOR} left {ORGANIZATION}"),
        ("invitation.sent", f"{ACTOR} invited ivy@northwind.example.com to join as an admin"),
        ("membership.role_changed", f"{ACTOR} changed the role of Ivy Member from member to admin"),
        ("review.written", f"{ACTOR} gave 1 star in a review by Acme Retail of Magento Customer ADD TO IPAAS"),
        (
            "review.edited",
            f"{ACTOR} changed from 1 star to 4 stars the review by Acme Retail of Magento Customer ADD TO IPAAS",
        ),
        ("scoring_run.failed", "The portal could not finish Scoring run of 2026-11-29 (running)"),
        (
            "dispute.decided",
            f"{ACTOR} accepted the dispute over the review by Acme Retail of Magento Customer ADD TO IPAAS",
        ),
    ],
)
def test_these_sentences_read_in_full(code, expected):
    assert _event(code).sentence == expected


def test_a_state_code_no_kind_words_reads_with_spaces():
    kind = audit.AuditKind("test.changed", "{actor} moved {target} from {from_state} to {to_state}")

    sentence = kind.render(actor=ACTOR, target="it", within="", from_state="changes_requested", to_state="in_review")

    assert sentence == f"{ACTOR} moved it from changes requested to in review"


def test_an_event_without_its_organizations_name_says_the_organization():
    event = AuditEvent(kind="membership.left", actor_name=ACTOR)

    assert event.sentence == f"{ACTOR} left the organization"
