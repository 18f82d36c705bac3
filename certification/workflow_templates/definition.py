"""A workflow template's definition: the JSON document a submitter writes and a customer downloads.

    {"trigger": {"type": "webhook", "scope": "customer/created"},
     "steps": [{"collection": "customer", "direction": "to_ipaas", "mapping": "... ADD TO IPAAS"}]}

or a schedule, {"type": "schedule", "every_minutes": 60}. Parsing checks the document's shape
only, with a message naming the place of every problem; whether it fits a version (its scopes,
collections, directions and mappings) is checked by services.fit_reasons."""

import json
from dataclasses import dataclass

from django.template.defaultfilters import pluralize

MAX_BODY = 20_000  # characters: a few dozen steps fit with room to spare
MAX_STEPS = 20
MAX_TEXT = 200
MIN_MINUTES, MAX_MINUTES = 5, 7 * 24 * 60
DIRECTIONS = ("to_ipaas", "from_ipaas")
TRIGGER_TYPES = ("webhook", "schedule")


class DefinitionError(ValueError):
    """The document is malformed; `problems` says every place that is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Step:
    collection: str
    direction: str
    mapping: str


@dataclass(frozen=True)
class Definition:
    trigger_type: str
    scope: str  # the webhook scope, for a webhook trigger
    every_minutes: int | None  # for a schedule
    steps: tuple[Step, ...]

    def as_json(self) -> dict:
        if self.trigger_type == "webhook":
            trigger = {"type": "webhook", "scope": self.scope}
        else:
            trigger = {"type": "schedule", "every_minutes": self.every_minutes}
        steps = [{"collection": s.collection, "direction": s.direction, "mapping": s.mapping} for s in self.steps]
        return {"trigger": trigger, "steps": steps}

    @property
    def trigger_label(self) -> str:
        if self.trigger_type == "webhook":
            return f"the webhook scope {self.scope}"
        return f"a schedule, every {self.every_minutes} minutes"


def parse_definition(text: str) -> Definition:
    if len(text) > MAX_BODY:
        raise DefinitionError([f"The definition has {len(text):,} characters; at most {MAX_BODY:,} are accepted."])
    if not text.strip():
        raise DefinitionError(["Write the definition: a JSON document with a trigger and steps."])
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise DefinitionError([f"The definition is not valid JSON{detail}."]) from None
    return from_document(document)


def from_document(document) -> Definition:
    if not isinstance(document, dict):
        raise DefinitionError(["The definition must be a JSON object with “trigger” and “steps”."])
    problems = []
    unknown = sorted(set(document) - {"trigger", "steps"})
    if unknown:
        problems.append(
            f"Unknown key{pluralize(len(unknown))} {', '.join(unknown)}: a definition has only “trigger” and “steps”."
        )
    trigger = _trigger(document.get("trigger"), problems)
    steps = _steps(document.get("steps"), problems)
    if problems:
        raise DefinitionError(problems)
    trigger_type, scope, minutes = trigger
    return Definition(trigger_type, scope, minutes, tuple(steps))


def _text(value, where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where} must be a text.")
        return ""
    if len(value) > MAX_TEXT:
        problems.append(f"{where} has more than {MAX_TEXT} characters.")
        return ""
    return value.strip()


def _trigger(trigger, problems: list[str]) -> tuple[str, str, int | None]:
    if not isinstance(trigger, dict):
        problems.append("“trigger” must be an object: {“type”: “webhook”, “scope”: …} or {“type”: “schedule”, …}.")
        return "", "", None
    kind = trigger.get("type")
    if kind == "webhook":
        if set(trigger) - {"type", "scope"}:
            problems.append("A webhook trigger has only “type” and “scope”.")
        return "webhook", _text(trigger.get("scope"), "The trigger's “scope”", problems), None
    if kind == "schedule":
        if set(trigger) - {"type", "every_minutes"}:
            problems.append("A schedule trigger has only “type” and “every_minutes”.")
        minutes = trigger.get("every_minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
            problems.append(
                f"The schedule's “every_minutes” must be a whole number from {MIN_MINUTES} to {MAX_MINUTES} (a week)."
            )
            minutes = None
        return "schedule", "", minutes
    problems.append(f"The trigger's “type” must be one of {', '.join(TRIGGER_TYPES)}.")
    return "", "", None


def _steps(steps, problems: list[str]) -> list[Step]:
    if not isinstance(steps, list) or not steps:
        problems.append("“steps” must be a list of at least one step.")
        return []
    if len(steps) > MAX_STEPS:
        problems.append(f"A workflow template has at most {MAX_STEPS} steps; this one has {len(steps)}.")
        return []
    parsed = []
    for number, step in enumerate(steps, start=1):
        where = f"Step {number}"
        if not isinstance(step, dict):
            problems.append(f"{where} must be an object with “collection”, “direction” and “mapping”.")
            continue
        if set(step) - {"collection", "direction", "mapping"}:
            problems.append(f"{where} has only “collection”, “direction” and “mapping”.")
        direction = step.get("direction")
        if direction not in DIRECTIONS:
            problems.append(f"{where}: “direction” must be one of {', '.join(DIRECTIONS)}.")
        collection = _text(step.get("collection"), f"{where}: “collection”", problems)
        mapping = _text(step.get("mapping"), f"{where}: “mapping”", problems)
        parsed.append(Step(collection, direction if direction in DIRECTIONS else "", mapping))
    return parsed
