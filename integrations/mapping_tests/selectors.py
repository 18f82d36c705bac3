"""What the mapping test pages read: each test with its latest outcome (stale when its mapping
or the test itself changed since), and a version's latest run with its results; a fixed number
of queries each.

`result_state` is the one place that decides whether a result still counts: the tier rules
(Certified) read it too, through `tests_of_version` or on their own annotated values."""

import json
from datetime import datetime

from django.conf import settings
from django.db.models import OuterRef, Subquery

from integrations.models import MappingTest, MappingTestResult, MappingTestRun, Outcome, TemplateMapping

STALE = "stale"  # the mapping changed since the latest result
EDITED = "edited"  # the test itself was edited since the latest result ("not run since edited")
NEVER_RUN = "never run"
STATE_LABELS = {STALE: "stale", EDITED: "not run since edited", NEVER_RUN: "never run"}


def result_state(
    outcome: str | None,
    *,
    ran_at: datetime | None,
    ran_revision: int | None,
    test_updated_at: datetime,
    mapping_revision: int,
) -> str:
    """What a test's latest result says now: its outcome (pass, fail, error) while it is current,
    else EDITED (the test was saved after the values the result ran with were read: `ran_at` is
    when the run read them), STALE (the mapping has another revision) or NEVER_RUN (no result)."""
    if outcome is None:
        return NEVER_RUN
    if ran_at is None or test_updated_at > ran_at:
        return EDITED
    if ran_revision != mapping_revision:
        return STALE
    return outcome


def is_current(state: str) -> bool:
    """True when the state is an outcome that still counts (pass, fail or error)."""
    return state in Outcome.values


def latest_state(test: MappingTest, mapping_revision: int) -> str:
    """result_state of a test annotated by with_latest_result."""
    return result_state(
        test.latest_outcome,
        ran_at=test.latest_at,
        ran_revision=test.latest_revision,
        test_updated_at=test.updated_at,
        mapping_revision=mapping_revision,
    )


def with_latest_result(tests):
    latest = MappingTestResult.objects.filter(test=OuterRef("pk")).order_by("-ran_at", "-id")
    return tests.annotate(
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        latest_revision=Subquery(latest.values("mapping_revision")[:1]),
        latest_at=Subquery(latest.values("ran_at")[:1]),
    )


def _with_state(tests: list[MappingTest], revision_of) -> list[MappingTest]:
    for test in tests:
        test.state = latest_state(test, revision_of(test))
        test.state_label = STATE_LABELS.get(test.state, test.state)
    return tests


def tests_of_mapping(mapping: TemplateMapping) -> list[MappingTest]:
    """The mapping's tests, each with `state` (and `state_label`) set; one query."""
    return _with_state(list(with_latest_result(mapping.tests.all())), lambda test: mapping.revision)


def tests_of_version(version) -> list[MappingTest]:
    """Every test of the version's template mappings with its mapping and `state`; one query."""
    tests = with_latest_result(MappingTest.objects.filter(mapping__version=version).select_related("mapping"))
    return _with_state(list(tests.order_by("mapping__name", "name")), lambda test: test.mapping.revision)


def tests_limit() -> int:
    """How many mapping tests one integration version may have (the MAPPING_TESTS_PER_VERSION setting)."""
    return settings.MAPPING_TESTS_PER_VERSION


def full_message(version) -> str:
    return (
        f"Version {version.number} has {tests_limit()} mapping tests, the most a version may have: "
        "delete one (or let one test cover more) before adding another."
    )


def version_is_full(version) -> str:
    """The message saying the version has as many mapping tests as it may, or "" (one query)."""
    if MappingTest.objects.filter(mapping__version=version).count() >= tests_limit():
        return full_message(version)
    return ""


def latest_run(version) -> MappingTestRun | None:
    return version.mapping_test_runs.select_related("started_by").first()


def run_results(run: MappingTestRun) -> list[MappingTestResult]:
    """The run's results with their tests and mappings, each with `state` (whether it still
    counts, see result_state) and its diff's values as JSON text in `diff_rows` (as the integrator
    wrote the expected output); one query."""
    results = list(run.results.select_related("test__mapping").order_by("test__mapping__name", "test__name"))
    for result in results:
        result.state = result_state(
            result.outcome,
            ran_at=result.ran_at,
            ran_revision=result.mapping_revision,
            test_updated_at=result.test.updated_at,
            mapping_revision=result.test.mapping.revision,
        )
        result.diff_rows = [
            {**d, "expected": _json(d.get("expected")), "actual": _json(d.get("actual"))} for d in result.diff
        ]
    return results


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
