"""Finding and deleting a generated world: everything hangs from its organizations (slugs
starting with PREFIX) and its people (addresses at DOMAIN)."""

from __future__ import annotations

from django.db import connection, transaction

from certification.requests.models import CertificationRequest, CheckResult, RequestTransition
from integrations.models import (
    Application,
    Inbox,
    InboxEvent,
    Integration,
    IntegrationVersion,
    TierChange,
    WebhookScope,
)
from marketplace.listings.models import Listing, SearchDocument
from marketplace.reviews.models import Dispute, Review, ReviewFlag, ReviewRevision
from marketplace.scale.world import DOMAIN, PREFIX
from marketplace.subscriptions.models import Subscription
from portal.models import AuditEvent, Organization, User


def generated_organizations():
    return Organization.objects.filter(slug__startswith=PREFIX)


def world_exists() -> bool:
    return generated_organizations().exists()


def _delete_where(queryset) -> None:
    """One DELETE of the rows `queryset` selects, without loading them (a million reviews would
    not fit the ORM's cascade collector): only for tables whose dependants go first."""
    model = queryset.model
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {model._meta.pk.column} IN ({sql})", params)  # noqa: S608


def delete_world() -> None:
    """Deletes the generated world (the tables it fills by plain DELETEs, dependants first; the
    rest through the ORM's cascades). Made for a world as generated: rows made by using the
    portal in it since (a template mapping, say) may refuse the plain DELETEs; drop such a
    database instead."""
    organizations = generated_organizations()
    integrations = Integration.objects.filter(owner__in=organizations)
    reviews = Review.objects.filter(integration__in=integrations)
    requests = CertificationRequest.objects.filter(version__integration__in=integrations)
    with transaction.atomic():
        for queryset in (
            Dispute.objects.filter(review__in=reviews),
            ReviewRevision.objects.filter(review__in=reviews),
            ReviewFlag.objects.filter(review__in=reviews),
            reviews,
            Review.objects.filter(organization__in=organizations),
            Subscription.objects.filter(integration__in=integrations),
            Subscription.objects.filter(organization__in=organizations),
            CheckResult.objects.filter(request__in=requests),
            RequestTransition.objects.filter(request__in=requests),
            requests,
            IntegrationVersion.supported_versions.through.objects.filter(
                integrationversion__integration__in=integrations
            ),
            AuditEvent.objects.filter(organization__in=organizations),
            # What the generator made of each integration: deleted through the ORM, each row's
            # signals (a listing's search document refreshed per scope) took most of an hour.
            SearchDocument.objects.filter(listing__integration__in=integrations),
            Listing.objects.filter(integration__in=integrations),
            InboxEvent.objects.filter(integration__in=integrations),
            Inbox.objects.filter(integration__in=integrations),
            WebhookScope.objects.filter(integration__in=integrations),
            TierChange.objects.filter(integration__in=integrations),
            IntegrationVersion.objects.filter(integration__in=integrations),
        ):
            _delete_where(queryset)
        integrations.delete()
        Application.objects.filter(provider__in=organizations).delete()
        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        organizations.delete()
