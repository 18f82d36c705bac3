"""The records each rule counts, selected on PostgreSQL by one statement a rule that also groups
them per integration and lists their causes (as JSON text), so a run reads one row per
integration instead of one per review or cancellation: reading 200,000 reviews one by one in
Python took longer than the whole statement. rules.py decides the amounts from these rows, as it
does from the ORM's on other databases; tests/scoring/test_generated.py holds both to the plain
reference implementation on generated worlds.

Every statement answers (integration id, causes, their number, realigned, their number): the
ids of the records that count, and of those a returning customer removed (customer realigned),
each ordered by date then id, as JSON text (results.CausesText: a run writes it as it came). The
returning customers are found once per computation into a temporary table the statements join;
a second connection of the same computation gets a copy of its rows. The statements are put
together from this module's constants only; every value is a parameter."""

import datetime

from django.db import connection

from marketplace.models import DisputeStatus
from scoring.engine.results import CausesText
from scoring.engine.scope import Scope
from scoring.engine.sql import fetch

# Each customer with two subscriptions or more to an integration, and when it last subscribed
# again, as scope.customers_returned finds them elsewhere: a customer's records of an integration
# up to then no longer count. Dropped with the transaction (compute runs in one). The rows come
# in the order of the index subscription_customer_times, so each pair is counted as it passes:
# hashing the 500,000 pairs of a large marketplace, nearly all with one subscription, took twice
# the time.
CUSTOMERS_RETURNED = """
CREATE TEMPORARY TABLE scoring_customers_returned ON COMMIT DROP AS
SELECT record.organization_id, record.integration_id, max(record.started_at) AS last
FROM (
    SELECT record.organization_id, record.integration_id, record.started_at
    FROM marketplace_subscription record
    WHERE record.started_at < %(moment)s {scope}
    ORDER BY record.integration_id, record.organization_id
) record
GROUP BY record.integration_id, record.organization_id
HAVING count(*) >= 2
"""
_RETURNED_TABLE = "scoring_customers_returned"
_RETURNED = f"returned AS (SELECT * FROM {_RETURNED_TABLE})"  # noqa: S608


def _causes(when: str) -> str:
    """The two cause lists of the records grouped, the ids of the records ordered by `when` (the
    record's date) and id, each with its length, as JSON text: string_agg of the ids, where
    json_agg took half the statement's time. A cause is its record's id (the rule says which kind
    of record): labelling 180,000 reviews here took more time than selecting them, and storing the
    labels with every day's snapshot ten times the room."""
    realigned = f"(returned.last IS NOT NULL AND {when} <= returned.last)"

    def listed(which: str) -> str:
        ordered = f"string_agg(record.id::text, ',' ORDER BY {when}, record.id) FILTER (WHERE {which})"
        return f"'[' || coalesce({ordered}, '') || ']'"

    return (
        f"{listed(f'NOT {realigned}')}, count(*) FILTER (WHERE NOT {realigned}),"
        f" {listed(realigned)}, count(*) FILTER (WHERE {realigned})"
    )


_JOIN_RETURNED = (
    "LEFT JOIN returned ON returned.organization_id = record.organization_id"
    " AND returned.integration_id = record.integration_id"
)

# A negative review that counts against its integration, as rules.counted_reviews_filter says.
_COUNTED_REVIEW = """record.stars <= %(negative_stars)s AND record.created_at < %(cutoff)s
  AND (record.hidden_at IS NULL OR record.hidden_at >= %(moment)s)
  AND ((dispute.status = %(rejected)s AND dispute.raised_at < %(moment)s)
       OR ((dispute.id IS NULL OR dispute.raised_at >= %(moment)s) AND NOT record.id = ANY(%(disputed)s)
           AND (record.answered_at IS NULL OR record.answered_at >= %(moment)s)
           AND NOT record.id = ANY(%(answered)s)))"""

# Every negative review that counts, realigned or not: it joins no returning customer, so it needs
# none found first, and sorts its 180,000 rows once, by integration (realigned_reviews takes out
# the few a returning customer removed).
COUNTED_REVIEWS = f"""
SELECT record.integration_id,
       '[' || string_agg(record.id::text, ',' ORDER BY record.created_at, record.id) || ']', count(*)
FROM marketplace_review record
LEFT JOIN marketplace_dispute dispute ON dispute.review_id = record.id
WHERE {_COUNTED_REVIEW}
  {{scope}}
GROUP BY record.integration_id
"""  # noqa: S608

# The counted reviews of the returning customers, written before they came back: one review per
# customer and integration (one_review_per_org_and_integration), so one lookup a returning pair.
REALIGNED_REVIEWS = f"""
SELECT record.integration_id, array_agg(record.id ORDER BY record.created_at, record.id)
FROM {_RETURNED_TABLE} returned
JOIN marketplace_review record
  ON record.organization_id = returned.organization_id AND record.integration_id = returned.integration_id
LEFT JOIN marketplace_dispute dispute ON dispute.review_id = record.id
WHERE record.created_at <= returned.last AND {_COUNTED_REVIEW}
  {{scope}}
GROUP BY record.integration_id
"""  # noqa: S608

CANCELLATIONS = f"""
WITH {_RETURNED}
SELECT record.integration_id, {_causes("record.cancelled_at")}
FROM marketplace_subscription record
{_JOIN_RETURNED}
WHERE record.cancelled_at >= %(window_start)s AND record.cancelled_at < %(moment)s {{scope}}
GROUP BY record.integration_id
"""  # noqa: S608

# Calendar months on timestamps in UTC: PostgreSQL clamps the day to the month's last as
# dates.add_months does (31 January + 1 month = 28/29 February).
_MONTHS_AFTER_START = "(record.started_at AT TIME ZONE 'UTC') + make_interval(months => %({})s)"
MISREPRESENTATION = f"""
WITH {_RETURNED}
SELECT record.integration_id, {_causes("record.cancelled_at")}
FROM marketplace_subscription record
{_JOIN_RETURNED}
WHERE record.cancelled_at >= %(window_start)s AND record.cancelled_at < %(moment)s
  AND {_MONTHS_AFTER_START.format("low")} < record.cancelled_at AT TIME ZONE 'UTC'
  AND record.cancelled_at AT TIME ZONE 'UTC' < {_MONTHS_AFTER_START.format("high")}
  {{scope}}
GROUP BY record.integration_id
"""  # noqa: S608

Grouped = dict[int, tuple[list[int] | CausesText, list[int] | CausesText]]


def _grouped(statement: str, scope: Scope, **params) -> Grouped:
    rows = _run(statement, scope, **params)
    return {
        integration_id: (CausesText(causes, counted), CausesText(realigned, returned))
        for integration_id, causes, counted, realigned, returned in rows
    }


def _scoped(statement: str, scope: Scope, params: dict) -> str:
    params["integration_ids"] = sorted(scope.integration_ids or ())
    return statement.format(
        scope="" if scope.integration_ids is None else "AND record.integration_id = ANY(%(integration_ids)s)"
    )


def _run(statement: str, scope: Scope, **params) -> list[tuple]:
    return fetch(_scoped(statement, scope, params), params)


def find_customers_returned(scope: Scope) -> None:
    """Fills the temporary table the statements join, for this computation: inside its
    transaction (sql.reading), made again if an earlier computation of that transaction left one."""
    params = {"moment": scope.moment}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{_RETURNED_TABLE}")
        cursor.execute(_scoped(CUSTOMERS_RETURNED, scope, params), params)
        cursor.execute(f"ANALYZE {_RETURNED_TABLE}")  # temporary tables are never analysed by themselves


def _review_params(scope: Scope, cutoff: datetime.datetime, negative_stars: int) -> dict:
    return {
        "moment": scope.moment,
        "cutoff": cutoff,
        "negative_stars": negative_stars,
        "rejected": DisputeStatus.REJECTED,
        "disputed": sorted(scope.assumed("disputed")),
        "answered": sorted(scope.assumed("answered")),
    }


def counted_reviews(scope: Scope, cutoff: datetime.datetime, negative_stars: int) -> dict[int, CausesText]:
    """{integration id: the ids of its negative reviews that count}, the returning customers' among them."""
    rows = _run(COUNTED_REVIEWS, scope, **_review_params(scope, cutoff, negative_stars))
    return {integration_id: CausesText(causes, count) for integration_id, causes, count in rows}


def realigned_reviews(scope: Scope, cutoff: datetime.datetime, negative_stars: int) -> dict[int, list[int]]:
    """{integration id: the ids of the counted reviews a returning customer removed}; after
    find_customers_returned, on its connection."""
    return dict(_run(REALIGNED_REVIEWS, scope, **_review_params(scope, cutoff, negative_stars)))


def with_realigned(counted: dict[int, CausesText], realigned: dict[int, list[int]]) -> Grouped:
    """The negative reviews' causes as every statement gives them: those that count, and those a
    returning customer removed. Only an integration with realigned reviews has its list parsed."""
    grouped: Grouped = {}
    for integration_id, causes in counted.items():
        removed = realigned.get(integration_id)
        if not removed:
            grouped[integration_id] = (causes, [])
            continue
        taken = set(removed)
        grouped[integration_id] = ([pk for pk in causes if pk not in taken], removed)
    return grouped


def negative_reviews(scope: Scope, cutoff: datetime.datetime, negative_stars: int) -> Grouped:
    """Both parts on this connection, after find_customers_returned."""
    return with_realigned(
        counted_reviews(scope, cutoff, negative_stars), realigned_reviews(scope, cutoff, negative_stars)
    )


def cancellations(scope: Scope, window_start: datetime.datetime) -> Grouped:
    return _grouped(CANCELLATIONS, scope, moment=scope.moment, window_start=window_start)


def misrepresentations(scope: Scope, window_start: datetime.datetime, low: int, high: int) -> Grouped:
    return _grouped(MISREPRESENTATION, scope, moment=scope.moment, window_start=window_start, low=low, high=high)
