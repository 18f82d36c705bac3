"""The kinds of audit events: a closed list, each kind with the sentence a history page shows.

The portal imports no domain app, so it cannot list their kinds itself: each app registers its
own (the portal's are below; integrations registers in its AppConfig.ready). `record` refuses a
kind nobody registered, and AuditEvent.kind takes its choices from here, so every stored event
has a kind of the list and reads as words, never as a code.

A sentence may use {actor}, {target}, {organization} (whose trail it is), {from_state} and
{to_state}, and may end with a preposition and {within}: the object the target belongs to
("{actor} added the row {target} to {within}"). Events recorded before the `within` object was
kept have no label for it, and then those last two words are left out.

A state is stored as recorded (often a status's code, such as "admin"); a kind may register the
words each recorded state reads as (`states`), and any other state with an underscore reads
with spaces instead, so no code shows in a sentence.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

WITHIN = " {within}"
NOBODY = "The portal"  # who did what nobody did: tasks, imports, tier recomputes
OTHER = "other"  # events from before kinds existed whose action matched none of them


@dataclass(frozen=True)
class AuditKind:
    code: str
    sentence: str
    states: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """A short name for filters: "mapping_row.added" is "Mapping row added"."""
        return self.code.replace(".", " ").replace("_", " ").capitalize()

    def state_words(self, state: str) -> str:
        """A recorded state as words: the kind's own for it, else the state without underscores."""
        return self.states.get(state) or state.replace("_", " ")

    def render(
        self, *, actor: str, target: str, within: str, from_state: str, to_state: str, organization: str = ""
    ) -> str:
        sentence = self.sentence
        if not within and sentence.endswith(WITHIN):
            sentence = sentence[: -len(WITHIN)].rsplit(" ", 1)[0]
        return sentence.format(
            actor=actor or NOBODY,
            target=target,
            within=within,
            organization=organization or "the organization",
            from_state=self.state_words(from_state),
            to_state=self.state_words(to_state),
        )


_KINDS: dict[str, AuditKind] = {}


def register_kinds(sentences: Mapping[str, str], states: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Add kinds to the list; `states` gives, for some of them, the words each recorded state
    reads as. Registering a kind again with the same sentence changes nothing."""
    states = states or {}
    for code, sentence in sentences.items():
        if "{within}" in sentence and not sentence.endswith(WITHIN):
            raise ImproperlyConfigured(f"Audit kind {code}: {{within}} must end its sentence.")
        known = _KINDS.get(code)
        if known is not None and known.sentence != sentence:
            raise ImproperlyConfigured(f"Audit kind {code} is registered twice with different sentences.")
        _KINDS[code] = AuditKind(code, sentence, dict(states.get(code, {})))


def get_kind(code: str) -> AuditKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"{code!r} is not a registered kind of audit event.") from None


def kind_to_show(code: str) -> AuditKind:
    """The kind to word an event with: one whose app no longer registers it reads as OTHER."""
    return _KINDS.get(code) or _KINDS[OTHER]


def kind_choices() -> list[tuple[str, str]]:
    """AuditEvent.kind's choices: evaluated when read, so every app has registered its kinds."""
    return sorted((kind.code, kind.label) for kind in _KINDS.values())


# Someone joins or is invited "as an admin"; Role's values are its labels in lower case.
ROLE_WORDS = {"owner": "an owner", "admin": "an admin", "member": "a member"}

register_kinds(
    {
        OTHER: "{actor} changed {target}",
        "organization.created": "{actor} created the organization {target}",
        "organization.updated": "{actor} changed the name or kinds of {target}",
        "invitation.sent": "{actor} invited {target} to join as {to_state}",
        "invitation.resent": "{actor} sent the invitation to {target} again",
        "invitation.revoked": "{actor} revoked the invitation to {target}",
        "invitation.declined": "{actor} declined the invitation sent to {target}",
        "invitation.accepted": "{actor} accepted the invitation sent to {target}",
        "membership.joined": "{actor} joined {organization} as {to_state}",
        "membership.role_changed": "{actor} changed the role of {target} from {from_state} to {to_state}",
        "membership.removed": "{actor} removed {target} from the organization",
        "membership.left": "{actor} left {organization}",
        "email.sent_again": "{actor} had the email {target} sent again",
    },
    states={
        "invitation.sent": ROLE_WORDS,
        "membership.joined": ROLE_WORDS,
    },
)
