"""What the mapping test pages read: each test with its latest outcome (stale when its mapping
changed since), and a version's latest run with its results; a fixed number of queries each."""

import json

from django.db.models import OuterRef, Subquery

from integrations.models import MappingTest, MappingTestResult, MappingTestRun, TemplateMapping

STALE = "stale"
NEVER_RUN = "never run"


def latest_state(test: MappingTest, mapping_revision: int) -> str:
    """pass, fail, error, stale (the mapping changed since the latest result) or never run."""
    if test.latest_outcome is None:
        return NEVER_RUN
    if test.latest_revision != mapping_revision:
        return STALE
    return test.latest_outcome


def with_latest_result(tests):
    latest = MappingTestResult.objects.filter(test=OuterRef("pk")).order_by("-ran_at", "-id")
    return tests.annotate(
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        latest_revision=Subquery(latest.values("mapping_revision")[:1]),
        latest_at=Subquery(latest.values("ran_at")[:1]),
    )


def tests_of_mapping(mapping: TemplateMapping) -> list[MappingTest]:
    """The mapping's tests, each with `state` set; one query."""
    tests = list(with_latest_result(mapping.tests.all()))
    for test in tests:
        test.state = latest_state(test, mapping.revision)
    return tests


def latest_run(version) -> MappingTestRun | None:
    return version.mapping_test_runs.select_related("started_by").first()


def run_results(run: MappingTestRun) -> list[MappingTestResult]:
    """The run's results with their tests and mappings, each diff's values as JSON text in
    `diff_rows` (as the integrator wrote the expected output); one query."""
    results = list(run.results.select_related("test__mapping").order_by("test__mapping__name", "test__name"))
    for result in results:
        result.diff_rows = [
            {**d, "expected": _json(d.get("expected")), "actual": _json(d.get("actual"))} for d in result.diff
        ]
    return results


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
