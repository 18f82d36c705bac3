"""What every rule's queries share: the moment scored, the integrations in scope, the hypothetical
fixes of a what-if, and which customers came back (customer realigned)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet

from marketplace.models import Subscription
from scoring.engine.dates import end_of
from scoring.engine.sql import rows as rows_of


@dataclass
class Scope:
    day: datetime.date
    integration_ids: frozenset[int] | None
    assume: frozenset = frozenset()
    # (organization id, integration id) -> the start of that customer's latest re-subscription.
    returned: dict[tuple[int, int], datetime.datetime] = field(default_factory=dict)

    @property
    def moment(self) -> datetime.datetime:
        return end_of(self.day)

    def only(self, queryset: QuerySet, field_name: str = "integration_id") -> QuerySet:
        if self.integration_ids is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": self.integration_ids})

    def assumed(self, fix: str) -> set[int]:
        return {target for kind, target in self.assume if kind == fix}

    def realigned(self, organization_id: int, integration_id: int, when: datetime.datetime) -> bool:
        """The customer subscribed again at or after `when`: what it did before no longer counts."""
        returned = self.returned.get((organization_id, integration_id))
        return returned is not None and when <= returned


def customers_returned(scope: Scope) -> dict[tuple[int, int], datetime.datetime]:
    """One grouped query: each customer with two subscriptions or more to an integration, and when
    it last subscribed again."""
    rows = rows_of(
        scope.only(Subscription.objects.filter(started_at__lt=scope.moment))
        .order_by()
        .values("organization_id", "integration_id")
        .annotate(count=Count("id"), last=Max("started_at"))
        .filter(count__gte=2)
        .values_list("organization_id", "integration_id", "last")
    )
    return {(organization_id, integration_id): last for organization_id, integration_id, last in rows}
