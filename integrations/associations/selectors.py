"""Reads for associations: the integrators section and the owner's list of requests."""

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from integrations.models import Association, AssociationStatus, Integration, Tier


def _work_count(*, certified: bool) -> Coalesce:
    """How many integrations the association's organization owns or is associated with."""
    organization = OuterRef("organization")
    associated = Association.objects.filter(
        organization=OuterRef(organization), status=AssociationStatus.ACCEPTED
    )  # one level deeper: the organization of the association two queries out
    work = Integration.objects.filter(Q(owner=organization) | Q(pk__in=associated.values("integration")))
    if certified:
        work = work.filter(tier__gte=Tier.CERTIFIED)
    counted = work.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def accepted_associations(integration: Integration) -> QuerySet[Association]:
    """What integrations/registry/_integrators_section.html takes: accepted associations, each with its
    organization and the counts the integrator widget shows."""
    return (
        integration.associations.filter(status=AssociationStatus.ACCEPTED)
        .select_related("organization")
        .annotate(
            integration_count=_work_count(certified=False),
            certified_count=_work_count(certified=True),
        )
        .order_by("organization__name")
    )


def associations_for_owner(integration: Integration) -> dict[str, QuerySet[Association]]:
    """The requests waiting for the owner's decision and the earlier ones (declined, withdrawn or
    ended), each newest first."""
    rows = integration.associations.select_related("organization", "requested_by", "decided_by").order_by(
        "-created_at", "-pk"
    )
    return {
        "pending": rows.filter(status=AssociationStatus.PENDING),
        "past": rows.exclude(status__in=[AssociationStatus.PENDING, AssociationStatus.ACCEPTED]),
    }


def open_association(integration: Integration, organization) -> Association | None:
    """The acting organization's pending or accepted association with the integration, if any."""
    if organization is None:
        return None
    return (
        integration.associations.filter(
            organization=organization, status__in=[AssociationStatus.PENDING, AssociationStatus.ACCEPTED]
        )
        .order_by("-created_at")
        .first()
    )
