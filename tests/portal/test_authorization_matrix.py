"""Every URL, every role, the expected answer.

The walker fails when a named URL has no row, so each new URL must be added here in the same
commit that adds it. Admin URLs are covered as a family: the index and every model's
changelist and add page are generated from the admin's registry.

Answers: a status code, LOGIN for a redirect to the sign-in page, or REAUTH for a redirect to
confirm the password first (allauth's re-authentication; no session in the walk has done it).
The private partner brief of Northwind's integration is searched for in every response: a row's
`brief` names the roles whose page shows it (none, unless told, but the owner's own members).
Roles: anonymous; customer (owner of a customer org); other_org (owner of another integrator
org); member and owner of the organization that owns the objects in the URL; staff (Red Rook,
two-factor on, no organization).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from guardian.shortcuts import assign_perm

from integrations.access import WORK_ON_INTEGRATION
from integrations.inbox.webhooks import new_secret
from integrations.mappings import tables as table_services
from integrations.models import (
    Association,
    AssociationStatus,
    ForeignDataObject,
    Inbox,
    OpenAPIImport,
    Tier,
    WebhookScope,
)
from marketplace.models import Review, Subscription
from portal.invitations import invitation_token
from portal.models import Organization
from scoring.models import ScoringPolicy, ScoringRun
from tests.conftest import client_for
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    IntegrationFactory,
    IntegrationVersionFactory,
    InvitationFactory,
    OrganizationFactory,
    VersionSubmissionFactory,
)

ROLES = ("anonymous", "customer", "other_org", "member", "owner", "staff")
LOGIN = "login"
REAUTH = "reauthenticate"
BRIEF = "Merchants outgrowing spreadsheets: the partner brief"
OWNERS_MEMBERS = ("member", "owner")


@dataclass
class Case:
    method: str
    expect: tuple
    kwargs: Any = None  # callable(world) -> URL kwargs
    data: Any = field(default_factory=dict)  # callable(world) -> POST data, or a dict
    brief: tuple | None = None  # the roles that see the partner brief; None: at most the owner's members


def GET(*expect, kwargs=None, brief=None):
    return Case("GET", expect, kwargs, brief=brief)


def POST(*expect, kwargs=None, data=None):
    return Case("POST", expect, kwargs, data or {})


def ivy_membership(world):
    return {"public_id": world["ivy_membership"].public_id}


def pending_invitation(world):
    return {"public_id": world["invitation"].public_id}


def invitation_link(world):
    return {"token": invitation_token(world["invitation"])}


def northwind_switch(world):
    return {"organization": str(world["northwind"].public_id)}


def application(world):
    return {"slug": world["application"].slug}


def draft_application(world):
    return {"slug": world["draft_application"].slug}


def version(world):
    return {"slug": world["application"].slug, "public_id": world["version"].public_id}


def integration(world):
    return {"slug": world["integration"].slug}


def integration_version(world):
    return {"slug": world["integration"].slug, "public_id": world["integration_version"].public_id}


def association_world(world) -> dict:
    """Made on first use (the security test's world has only the registry's part): a Northwind
    integration listed at Compatible, with its inbox; Bluebird's pending request to work on it; and
    another Northwind integration Bluebird was accepted on."""
    if "association" not in world:
        listed = IntegrationFactory(
            owner=world["northwind"], application=world["application"], name="Listed", tier=Tier.COMPATIBLE
        )
        WebhookScope.objects.create(integration=listed, name="customer/created")
        world["inbox"] = Inbox.objects.create(integration=listed, secret=new_secret())
        asker = world.get("bluebird") or OrganizationFactory(name="Bluebird Connect", is_integrator=True)
        world["listed_integration"] = listed
        world["association"] = Association.objects.create(integration=listed, organization=asker)
        granted = IntegrationFactory(owner=world["northwind"], application=listed.application, name="Granted")
        Association.objects.create(integration=granted, organization=asker, status=AssociationStatus.ACCEPTED)
        assign_perm(WORK_ON_INTEGRATION, asker.get_permission_group(), granted)
        world["granted_integration"] = granted
    return world


def listed_integration(world):
    return {"slug": association_world(world)["listed_integration"].slug}


def granted_integration(world):
    return {"slug": association_world(world)["granted_integration"].slug}


def pending_association(world):
    association = association_world(world)["association"]
    return {"slug": association.integration.slug, "public_id": association.public_id}


def inbox_token(world):
    return {"token": association_world(world)["inbox"].token}


def openapi_import(world):
    return {"slug": world["integration"].slug, "public_id": world["openapi_import"].public_id}


def foreign_object(world):
    return {"slug": world["integration"].slug, "public_id": world["foreign_object"].public_id}


def mapping_world(world) -> dict:
    """Made on first use: a template mapping of Northwind's integration version with one row, a
    translation table, an accepted foreign data object and a declared webhook scope."""
    if "template_mapping" not in world:
        from integrations.mappings import objects as object_services
        from integrations.mappings import services as mapping_services
        from integrations.models import MappingCollection, ObjectState

        own, alice = world["integration"], None  # the security test's world has no cast; no actor is needed
        world["mapping_table"] = table_services.save_translation_table(
            own, acting_user=alice, table=None, name="Countries", rows=[("USA", "US")]
        )
        world["template_mapping"] = mapping_services.create_template_mapping(
            world["integration_version"],
            acting_user=alice,
            name="Magento Customer ADD TO IPAAS",
            collection=MappingCollection.objects.get(key="customer"),
            parent=None,
            direction="to_ipaas",
            sync_type="add",
            collision_handling="skip",
            mapping_filter="",
            error_filter="",
            notes="",
        )
        world["mapping_row"] = mapping_services.add_mapping_row(
            world["template_mapping"],
            acting_user=alice,
            values=mapping_services.RowValues(target="Email", kind="field", source="email"),
        )
        world["linked_object"] = ForeignDataObject.objects.create(
            integration=own, key="customers", name="Customers", state=ObjectState.ACCEPTED
        )
        world["mapping_scope"] = WebhookScope.objects.create(integration=own, name="customer/created")
        world["customer_collection"] = MappingCollection.objects.get(key="customer")
        world["declared_object"] = object_services.declare_foreign_object(
            own,
            acting_user=alice,
            name="Loyalty points",
            paths=[{"path": "/loyalty", "methods": ["GET"]}],
            collection=world["customer_collection"],
            to_ipaas_methods=["GET"],
            from_ipaas_methods=[],
        )
    return world


def template_mapping(world):
    mapping = mapping_world(world)["template_mapping"]
    return {
        "slug": world["integration"].slug,
        "public_id": world["integration_version"].public_id,
        "mapping_id": mapping.public_id,
    }


def mapping_row(world):
    return {**template_mapping(world), "row_id": world["mapping_row"].public_id}


def mapping_row_data(world):
    row = mapping_world(world)["mapping_row"]
    prefix = f"row-{row.public_id}"
    return {
        f"{prefix}-target": "Email",
        f"{prefix}-kind": "field",
        f"{prefix}-source": "mail",
        f"{prefix}-revision": row.revision,
    }


def mapping_test_world(world) -> dict:
    """Made on first use: a mapping test of the template mapping and a finished run of the version."""
    if "mapping_test" not in world:
        from integrations.mapping_tests import services as mapping_test_services
        from integrations.models import MappingTestRun, RunStatus

        world["mapping_test"] = mapping_test_services.create_mapping_test(
            mapping_world(world)["template_mapping"],
            acting_user=None,
            name="New web customer",
            sample='{"email": "ada@example.com"}',
            expected='{"Email": "ada@example.com"}',
        )
        world["mapping_test_run"] = MappingTestRun.objects.create(
            version=world["integration_version"], status=RunStatus.DONE, total=1, done=1
        )
    return world


def mapping_test(world):
    return {**template_mapping(world), "test_id": mapping_test_world(world)["mapping_test"].public_id}


def mapping_test_run(world):
    return {**integration_version(world), "run_id": mapping_test_world(world)["mapping_test_run"].public_id}


def template_mapping_revision(world):
    from integrations.models import TemplateMapping

    return {"revision": TemplateMapping.objects.get(pk=mapping_world(world)["template_mapping"].pk).revision}


def translation_table(world):
    return {"slug": world["integration"].slug, "public_id": mapping_world(world)["mapping_table"].public_id}


def linked_object(world):
    return {"slug": world["integration"].slug, "public_id": mapping_world(world)["linked_object"].public_id}


def linked_object_data(world):
    obj = mapping_world(world)["linked_object"]
    prefix = f"object-{obj.public_id}"
    return {f"{prefix}-collection": world["customer_collection"].pk, f"{prefix}-to_ipaas_methods": ["GET"]}


def declared_object(world):
    return {"slug": world["integration"].slug, "public_id": mapping_world(world)["declared_object"].public_id}


def declaration_data(world):
    collection = mapping_world(world)["customer_collection"]
    return {"declare-name": "Gift cards", "declare-collection": collection.pk, "declare-to_ipaas_methods": ["GET"]}


def mapping_scope(world):
    return {"slug": world["integration"].slug, "scope_id": mapping_world(world)["mapping_scope"].pk}


def mapping_scope_data(world):
    scope = mapping_world(world)["mapping_scope"]
    return {f"scope-{scope.pk}-collection": world["customer_collection"].pk, f"scope-{scope.pk}-direction": "to_ipaas"}


def on_marketplace(world):
    """Northwind's integration made Certified, so the marketplace lists it (with its partner brief)."""
    world["integration"].tier = Tier.CERTIFIED
    world["integration"].save(update_fields=["tier"])
    return {}


def listing(world):
    on_marketplace(world)
    return {"slug": world["integration"].slug}


def delisted_listing(world):
    """Northwind's integration delisted by staff: its page says it is no longer offered (410 Gone)."""
    from marketplace.listings.services import delist

    on_marketplace(world)
    delist(world["integration"], acting_user=None, reason="Below the delisting threshold.")
    return {"slug": world["integration"].slug}


def acme_subscription(world):
    """Acme (Carol's customer organization) subscribes to Northwind's Certified integration."""
    on_marketplace(world)
    acme = Organization.objects.get(slug="acme")
    return Subscription.objects.get_or_create(
        organization=acme, integration=world["integration"], defaults={"price_up_front": 0, "price_per_month": 0}
    )[0]


def subscribed(world):
    acme_subscription(world)
    return {"slug": world["integration"].slug}


def subscription(world):
    return {"public_id": acme_subscription(world).public_id}


def acme_review(world):
    subscription = acme_subscription(world)
    review = Review.objects.get_or_create(
        organization=subscription.organization, integration=world["integration"], defaults={"stars": 1, "text": "Slow"}
    )[0]
    return {"public_id": review.public_id}


def integration_slug(world):
    return {"slug": world["integration"].slug}


def northwind_slug(world):
    return {"slug": world["northwind"].slug}


def summit_slug(world):
    return {"slug": world["summit"].slug}


def certification_request(world):
    """Made on first use: a withdrawn certification request of Northwind's integration version
    (an open one would freeze the version the other rows edit; the actions refuse alike)."""
    if "certification_request" not in world:
        from certification.models import CertificationRequest, RequestStatus

        world["certification_request"] = CertificationRequest.objects.create(
            version=world["integration_version"], organization=world["northwind"], status=RequestStatus.WITHDRAWN
        )
    return {"slug": world["integration"].slug, "request_id": world["certification_request"].public_id}


def template_world(world) -> dict:
    """Made on first use: an approved workflow template of Northwind's private integration version,
    and one of the integration listed at Compatible (seen by everyone), both submitted by Northwind."""
    if "workflow_template" not in world:
        from certification.models import WorkflowTemplate

        listed = association_world(world)["listed_integration"]
        listed_version = IntegrationVersionFactory(integration=listed, number="1.0.0")
        document = {"trigger": {"type": "schedule", "every_minutes": 60}, "steps": []}
        for key, version in (("workflow_template", world["integration_version"]), ("listed_template", listed_version)):
            world[key] = WorkflowTemplate.objects.create(
                version=version,
                organization=world["northwind"],
                name="Nightly customers",
                description="Customers every night.",
                definition=document,
                status="approved",
            )
        world["listed_version"] = listed_version
    return world


def workflow_template(world):
    template = template_world(world)["workflow_template"]
    return {"slug": world["integration"].slug, "template_id": template.public_id}


def listed_template(world):
    template = template_world(world)["listed_template"]
    return {"slug": world["listed_integration"].slug, "template_id": template.public_id}


def listed_version(world):
    return {"slug": template_world(world)["listed_integration"].slug, "public_id": world["listed_version"].public_id}


R, F, N = 200, 403, 404  # the common answers, to keep rows readable

#                                      anonymous customer other member owner staff
MATRIX: dict[str, list[Case]] = {
    "home": [GET(R, R, R, R, R, R)],
    "data_model_index": [GET(R, R, R, R, R, R)],
    "formula_help": [GET(R, R, R, R, R, R)],
    "formula_try": [
        GET(LOGIN, 405, 405, 405, 405, 405),
        POST(LOGIN, R, R, R, R, R, data={"formula": "1 + 1", "sample": "{}"}),
    ],
    "data_model_collection": [GET(R, R, R, R, R, R, kwargs=lambda w: {"key": "customer"})],
    "healthz": [GET(R, R, R, R, R, R), POST(405, 405, 405, 405, 405, 405)],
    "organization_list": [GET(LOGIN, R, R, R, R, R)],
    "organization_create": [GET(LOGIN, R, R, R, R, R)],
    "organization_switch": [
        GET(LOGIN, 405, 405, 405, 405, 405),
        POST(LOGIN, N, N, 302, 302, N, data=northwind_switch),
    ],
    "organization_settings": [GET(LOGIN, R, R, F, R, 302)],
    "organization_activity": [GET(LOGIN, R, R, F, R, 302)],
    "getting_started": [GET(LOGIN, R, R, R, R, 302)],
    "member_list": [GET(LOGIN, R, R, R, R, 302)],
    "member_invite": [
        GET(LOGIN, 405, 405, 405, 405, 405),
        POST(LOGIN, 302, 302, F, 302, 302, data={"email": "new@example.com", "role": "member"}),
    ],
    "member_role": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=ivy_membership),
        POST(LOGIN, N, N, F, 302, 302, kwargs=ivy_membership, data={"role": "admin"}),
    ],
    "member_remove": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=ivy_membership),
        POST(LOGIN, N, N, F, 302, 302, kwargs=ivy_membership),
    ],
    # Histories are the owning organization's; a membership's and an invitation's, its managers'.
    "member_history": [GET(LOGIN, N, N, F, R, 302, kwargs=ivy_membership)],
    "invitation_history": [GET(LOGIN, N, N, F, R, 302, kwargs=pending_invitation)],
    "organization_leave": [GET(LOGIN, 405, 405, 405, 405, 405), POST(LOGIN, 302, 302, 302, 302, 302)],
    "invitation_resend": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=pending_invitation),
        POST(LOGIN, N, N, F, 302, 302, kwargs=pending_invitation),
    ],
    "invitation_revoke": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=pending_invitation),
        POST(LOGIN, N, N, F, 302, 302, kwargs=pending_invitation),
    ],
    # The invitation is addressed to someone outside the cast: everyone signed in is the wrong person.
    "invitation_detail": [GET(R, F, F, F, F, F, kwargs=invitation_link)],
    "invitation_accept": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=invitation_link),
        POST(LOGIN, F, F, F, F, F, kwargs=invitation_link),
    ],
    "invitation_decline": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=invitation_link),
        POST(LOGIN, F, F, F, F, F, kwargs=invitation_link),
    ],
    # The registry. Northwind (alice owner, ivy member) is a provider here; Bluebird (bob) and Acme
    # (carol) are not, so their owners are refused the provider pages and get 404 for Northwind's.
    "provider_directory": [GET(R, R, R, R, R, R)],
    "provider_detail": [GET(R, R, R, R, R, R, kwargs=northwind_slug)],
    "application_detail": [
        GET(R, R, R, R, R, R, kwargs=application),
        GET(N, N, N, R, R, N, kwargs=draft_application),  # a draft: the provider's members only
    ],
    "integrator_profile": [GET(R, R, R, R, R, R, kwargs=northwind_slug)],
    "misp_profile": [GET(R, R, R, R, R, R, kwargs=summit_slug)],
    # The marketplace: public. The brief shows only to technology partners and MiSPs: Northwind is a
    # provider here, so its own members read it; Bluebird and Acme do not, nor staff without an organization.
    "marketplace_index": [GET(R, R, R, R, R, R, kwargs=on_marketplace, brief=())],
    "listing_detail": [
        GET(R, R, R, R, R, R, kwargs=listing, brief=OWNERS_MEMBERS),
        GET(410, 410, 410, 410, 410, 410, kwargs=delisted_listing),
    ],
    # The old address of a Certified integration's own page: a permanent redirect, whoever asks.
    "certified_integration_redirect": [GET(301, 301, 301, 301, 301, 301, kwargs=listing)],
    "sitemap": [GET(R, R, R, R, R, R, kwargs=on_marketplace, brief=())],
    "robots_txt": [GET(R, R, R, R, R, R)],
    # Subscribing: owners and admins of customer organizations only (the refusal page says why);
    # staff without an organization are sent to create one. These pages' POSTs are refused alike
    # (tests/marketplace: test_subscriptions.py, test_reviews.py).
    "subscribe": [GET(LOGIN, R, F, F, F, 302, kwargs=listing)],
    "subscription_list": [GET(LOGIN, R, R, R, R, 302)],
    "subscription_cancel": [GET(LOGIN, R, N, F, N, 302, kwargs=subscription)],
    # Reviewing: organizations that have subscribed (Acme) only.
    "review_write": [GET(LOGIN, R, F, F, F, 302, kwargs=subscribed)],
    # Answering and disputing: the integration's owner organization only; another's review is 404.
    "review_answer": [GET(LOGIN, N, N, R, R, 302, kwargs=acme_review)],
    "review_dispute": [GET(LOGIN, N, N, R, R, 302, kwargs=acme_review)],
    "review_flag": [GET(LOGIN, R, R, R, R, R, kwargs=acme_review)],
    # The business dashboard: the owner organization's members; another organization's integration is 404.
    "business_index": [GET(LOGIN, R, R, R, R, 302)],
    "business_dashboard": [GET(LOGIN, N, N, R, R, 302, kwargs=integration_slug)],
    "public_profile_edit": [GET(LOGIN, F, R, F, R, 302)],
    "provider_application_list": [GET(LOGIN, F, F, R, R, 302)],
    "application_create": [GET(LOGIN, F, F, F, R, 302)],
    "application_edit": [GET(LOGIN, N, N, F, R, 302, kwargs=application)],
    "version_create": [GET(LOGIN, N, N, F, R, 302, kwargs=application)],
    "version_edit": [GET(LOGIN, N, N, F, R, 302, kwargs=version)],
    "version_remove": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=version),
        POST(LOGIN, N, N, F, 302, 302, kwargs=version),
    ],
    "application_history": [GET(LOGIN, N, N, R, R, 302, kwargs=application)],
    "version_history": [GET(LOGIN, N, N, R, R, 302, kwargs=version)],
    "version_submit": [
        GET(LOGIN, R, R, R, R, R, kwargs=application),
        GET(LOGIN, N, N, R, R, N, kwargs=draft_application),
    ],
    "submission_list": [GET(LOGIN, R, R, R, R, R)],
    # Integrations: Northwind's; Bluebird (an integrator) has its own dashboard; Acme (a customer) has none.
    "integration_dashboard": [GET(LOGIN, F, R, R, R, 302)],
    "integration_create": [GET(LOGIN, F, R, F, R, 302)],
    # Every integration of the acting organization warned that a run a week ahead would hide it.
    "hide_warning_list": [GET(LOGIN, F, R, R, R, 302)],
    "integration_detail": [GET(LOGIN, N, N, R, R, 302, kwargs=integration)],
    "integration_tier_history": [
        GET(LOGIN, N, N, R, R, 302, kwargs=integration),
        GET(LOGIN, N, R, R, R, 302, kwargs=granted_integration),
    ],
    # Workflow templates: approved ones are seen by everyone who sees the integration (a private one:
    # its integrators only); integrators of the integration and MiSPs submit them.
    "workflow_template_list": [
        GET(N, N, N, R, R, N, kwargs=integration),
        GET(R, R, R, R, R, R, kwargs=listed_integration),
    ],
    "workflow_template_detail": [
        GET(N, N, N, R, R, N, kwargs=workflow_template),
        GET(R, R, R, R, R, R, kwargs=listed_template),
    ],
    "workflow_template_definition": [
        GET(N, N, N, R, R, N, kwargs=workflow_template),
        GET(R, R, R, R, R, R, kwargs=listed_template),
    ],
    "workflow_template_submit": [
        GET(LOGIN, N, N, R, R, 302, kwargs=integration_version),
        GET(LOGIN, F, F, R, R, 302, kwargs=listed_version),
        # The form posts to itself: who may post is proven in tests/certification/workflow_templates/test_pages.py.
    ],
    "workflow_template_carry_over": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=integration_version),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=integration_version),  # nothing to carry: a message
    ],
    "integration_edit": [GET(LOGIN, N, N, F, R, 302, kwargs=integration)],
    # An integrator associated with an integration works on it but does not read its owner's trail.
    "integration_history": [
        GET(LOGIN, N, N, R, R, 302, kwargs=integration),
        GET(LOGIN, N, F, R, R, 302, kwargs=granted_integration),
    ],
    "integration_version_history": [GET(LOGIN, N, N, R, R, 302, kwargs=integration_version)],
    "integration_version_create": [GET(LOGIN, N, N, F, R, 302, kwargs=integration)],
    "integration_version_edit": [GET(LOGIN, N, N, F, R, 302, kwargs=integration_version)],
    "integration_version_publish": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=integration_version),
        POST(LOGIN, N, N, F, 302, 302, kwargs=integration_version),
    ],
    "integration_version_start": [GET(LOGIN, N, N, F, R, 302, kwargs=integration_version)],
    # Certification: the owner's members only (an associated integrator gets 403).
    "certification_request_create": [GET(LOGIN, N, N, R, R, 302, kwargs=integration_version)],
    "certification_request_detail": [GET(LOGIN, N, N, R, R, 302, kwargs=certification_request)],
    "certification_request_status": [GET(LOGIN, N, N, R, R, 302, kwargs=certification_request)],
    "certification_request_withdraw": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=certification_request),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=certification_request),
    ],
    # The request is withdrawn: the actions refuse with a message.
    "certification_request_resubmit": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=certification_request),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=certification_request, data={"comment": "Fixed"}),
    ],
    # Anyone of the owner may try; the action refuses (with a message) unless the rules pass.
    "integration_designate_ready": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=integration_version),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=integration_version),
    ],
    # The sandbox inbox: Northwind's integration ("listed" has an inbox, "granted" none yet);
    # Bluebird is associated with the "granted" one and may open its inbox page, but only
    # Northwind creates the inbox and, after confirming the password, reveals or rotates the secret.
    "integration_inbox": [
        GET(LOGIN, N, N, R, R, 302, kwargs=listed_integration),
        GET(LOGIN, N, R, R, R, 302, kwargs=granted_integration),
    ],
    "integration_inbox_create": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=granted_integration),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=listed_integration),
        POST(LOGIN, N, F, 302, 302, 302, kwargs=granted_integration),
    ],
    "integration_inbox_secret": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=listed_integration),
        POST(LOGIN, N, N, REAUTH, REAUTH, 302, kwargs=listed_integration),
        POST(LOGIN, N, F, REAUTH, REAUTH, 302, kwargs=granted_integration),
    ],
    "integration_inbox_rotate": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=listed_integration),
        POST(LOGIN, N, N, REAUTH, REAUTH, 302, kwargs=listed_integration),
        POST(LOGIN, N, F, REAUTH, REAUTH, 302, kwargs=granted_integration),
    ],
    # No session needed, but a valid signature: an unsigned POST is refused alike for everyone.
    "inbox_receive": [
        GET(405, 405, 405, 405, 405, 405, kwargs=inbox_token),
        POST(400, 400, 400, 400, 400, 400, kwargs=inbox_token),
    ],
    # Associations: Bluebird (bob) asked to work on Northwind's listed integration; Acme is no
    # integrator; Northwind's own members are sent to the requests page.
    "association_request": [GET(LOGIN, F, R, 302, 302, 302, kwargs=listed_integration)],
    "association_withdraw": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=pending_association),
        POST(LOGIN, N, 302, N, N, 302, kwargs=pending_association),
    ],
    "integration_associations": [
        GET(LOGIN, N, N, R, R, 302, kwargs=listed_integration),
        GET(LOGIN, N, F, R, R, 302, kwargs=granted_integration),
    ],
    "association_history": [GET(LOGIN, N, N, R, R, 302, kwargs=pending_association)],
    "association_decide": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=pending_association),
        POST(LOGIN, N, N, F, 302, 302, kwargs=pending_association, data={"decision": "accept"}),
    ],
    # The OpenAPI document and foreign data objects of Northwind's integration.
    "integration_openapi": [GET(LOGIN, N, N, R, R, 302, kwargs=integration)],
    "integration_openapi_status": [GET(LOGIN, N, N, R, R, 302, kwargs=openapi_import)],
    "integration_openapi_imports": [
        GET(LOGIN, N, N, R, R, 302, kwargs=integration),
        GET(LOGIN, N, R, R, R, 302, kwargs=granted_integration),
    ],
    "foreign_object_paths": [GET(LOGIN, N, N, R, R, 302, kwargs=foreign_object)],
    "foreign_object_update": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=foreign_object),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=foreign_object, data={"action": "accept"}),
    ],
    "foreign_objects_merge": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=integration),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=integration),
    ],
    # Data model links, translation tables and template mappings of Northwind's integration; Bluebird
    # works on the "granted" one.
    "integration_collections": [
        GET(LOGIN, N, N, R, R, 302, kwargs=integration),
        GET(LOGIN, N, R, R, R, 302, kwargs=granted_integration),
    ],
    "foreign_object_link": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=linked_object),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=linked_object, data=linked_object_data),
    ],
    "foreign_object_declare": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=integration),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=integration, data=declaration_data),
        POST(LOGIN, N, 302, 302, 302, 302, kwargs=granted_integration, data=declaration_data),
    ],
    "foreign_object_remove_confirm": [GET(LOGIN, N, N, R, R, 302, kwargs=declared_object)],
    "foreign_object_remove": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=declared_object),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=declared_object),
    ],
    "scope_link": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=mapping_scope),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=mapping_scope, data=mapping_scope_data),
    ],
    "translation_table_list": [GET(LOGIN, N, N, R, R, 302, kwargs=integration)],
    "translation_table_edit": [GET(LOGIN, N, N, R, R, 302, kwargs=translation_table)],
    "translation_table_delete_confirm": [GET(LOGIN, N, N, R, R, 302, kwargs=translation_table)],
    "translation_table_delete": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=translation_table),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=translation_table),  # no row uses the world's table
    ],
    "mapping_collection_list": [GET(LOGIN, N, N, R, R, 302, kwargs=integration_version)],
    "mapping_collection_create": [GET(LOGIN, N, N, R, R, 302, kwargs=integration_version)],
    "mapping_collection_detail": [GET(LOGIN, N, N, R, R, 302, kwargs=template_mapping)],
    "mapping_collection_edit": [GET(LOGIN, N, N, R, R, 302, kwargs=template_mapping)],
    "mapping_collection_history": [GET(LOGIN, N, N, R, R, 302, kwargs=template_mapping)],
    "mapping_collection_delete_confirm": [GET(LOGIN, N, N, R, R, 302, kwargs=template_mapping)],
    "mapping_collection_delete": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=template_mapping),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=template_mapping, data=template_mapping_revision),
    ],
    "mapping_collection_clone": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=template_mapping),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=template_mapping),
    ],
    "mapping_row_create": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=template_mapping),
        POST(LOGIN, N, N, 400, 400, 302, kwargs=template_mapping),  # an empty row is refused
    ],
    "mapping_row_fields": [GET(LOGIN, N, N, R, R, 302, kwargs=template_mapping)],
    "mapping_row_update": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=mapping_row),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=mapping_row, data=mapping_row_data),
    ],
    "mapping_row_delete": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=mapping_row),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=mapping_row, data={"revision": 1}),
    ],
    "mapping_preview": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=template_mapping),
        POST(LOGIN, N, N, R, R, 302, kwargs=template_mapping, data={"sample": '{"email": "ada@example.com"}'}),
    ],
    "mapping_test_create": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=template_mapping),
        POST(LOGIN, N, N, 400, 400, 302, kwargs=template_mapping),  # an empty test is refused
    ],
    "mapping_test_edit": [GET(LOGIN, N, N, R, R, 302, kwargs=mapping_test)],
    "mapping_test_history": [GET(LOGIN, N, N, R, R, 302, kwargs=mapping_test)],
    "mapping_test_delete": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=mapping_test),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=mapping_test),
    ],
    "mapping_test_runs": [GET(LOGIN, N, N, R, R, 302, kwargs=integration_version)],
    "mapping_test_run_start": [
        GET(LOGIN, 405, 405, 405, 405, 405, kwargs=integration_version),
        POST(LOGIN, N, N, 302, 302, 302, kwargs=lambda w: mapping_test_world(w) and integration_version(w)),
    ],
    "mapping_test_run_status": [GET(LOGIN, N, N, R, R, 302, kwargs=mapping_test_run)],
    # allauth: signed-out pages answer everyone; account pages need a signed-in person.
    "account_login": [GET(R, 302, 302, 302, 302, 302)],
    "account_logout": [GET(302, R, R, R, R, R)],
    "account_inactive": [GET(R, R, R, R, R, R)],
    "account_signup": [GET(R, 302, 302, 302, 302, 302)],
    "account_reauthenticate": [GET(LOGIN, R, R, R, R, R)],
    "account_request_reauthentication_code": [GET(LOGIN, R, R, R, R, R)],
    "account_confirm_reauthentication_code": [GET(LOGIN, REAUTH, REAUTH, REAUTH, REAUTH, REAUTH)],
    "account_email": [GET(LOGIN, R, R, R, R, R)],
    "account_email_verification_sent": [GET(R, R, R, R, R, R)],
    "account_change_password": [GET(LOGIN, R, R, R, R, R)],
    "account_set_password": [GET(LOGIN, 302, 302, 302, 302, 302)],
    "account_reset_password": [GET(R, R, R, R, R, R)],
    "account_confirm_login_code": [GET(LOGIN, 302, 302, 302, 302, 302)],
    "account_confirm_email": [GET(R, R, R, R, R, R, kwargs=lambda w: {"key": "not-a-real-key"})],
    "account_reset_password_from_key_done": [GET(R, R, R, R, R, R)],
    "account_reset_password_from_key": [GET(R, R, R, R, R, R, kwargs=lambda w: {"uidb36": "1", "key": "x-y"})],
    "account_reset_password_done": [GET(R, R, R, R, R, R)],
    "mfa_index": [GET(LOGIN, R, R, R, R, R)],
    "mfa_authenticate": [GET(LOGIN, 302, 302, 302, 302, 302)],
    "mfa_reauthenticate": [GET(LOGIN, REAUTH, REAUTH, REAUTH, REAUTH, R)],
    "mfa_activate_totp": [GET(LOGIN, REAUTH, REAUTH, REAUTH, REAUTH, REAUTH)],
    "mfa_deactivate_totp": [GET(LOGIN, N, N, N, N, REAUTH)],
    "mfa_view_recovery_codes": [GET(LOGIN, N, N, N, N, N)],
    "mfa_generate_recovery_codes": [GET(LOGIN, REAUTH, REAUTH, REAUTH, REAUTH, REAUTH)],
    "mfa_download_recovery_codes": [GET(LOGIN, N, N, N, N, N)],
}

# Every admin page, following redirects to the end: staff with two-factor only.
ADMIN_EXPECT = (LOGIN, F, F, F, F, R)


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
            yield from _walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name, pattern


def named_urls() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns) if name and not name.startswith("admin:")}


def pending_submission(world):
    if "submission" not in world:
        world["submission"] = VersionSubmissionFactory(application=world["application"], label="2.9.x")
    return {"object_id": world["submission"].pk}


def pending_proposal(world):
    from django.utils import timezone

    from scoring.models import DelistingProposal, ProposalState

    if "proposal" not in world:
        world["proposal"] = DelistingProposal.objects.create(
            integration=world["integration"], day=timezone.localdate(), score=30, state=ProposalState.PENDING
        )
    return {"object_id": world["proposal"].pk}


# Admin pages of one object (the index and the lists are generated below): staff with two-factor
# only. A version submission's page is where it is decided, so it answers a decision too.
ADMIN_OBJECT_PAGES: dict[str, list[Case]] = {
    "admin:integrations_versionsubmission_change": [
        GET(*ADMIN_EXPECT, kwargs=pending_submission),
        POST(*ADMIN_EXPECT, kwargs=pending_submission, data={"decision": "reject", "comment": "Not released."}),
    ],
    "admin:integrations_integration_change": [GET(*ADMIN_EXPECT, kwargs=lambda w: {"object_id": w["integration"].pk})],
    # A delisting proposal's page is where it is decided.
    "admin:scoring_delistingproposal_change": [
        GET(*ADMIN_EXPECT, kwargs=pending_proposal),
        POST(*ADMIN_EXPECT, kwargs=pending_proposal, data={"state": "dismissed", "comment": "Keep it listed."}),
    ],
    "admin:integrations_integrationversion_change": [
        GET(*ADMIN_EXPECT, kwargs=lambda w: {"object_id": w["integration_version"].pk})
    ],
    # Staff's "Run now" queues a scoring run (a POST only; the list it returns to says what happened).
    "admin:scoring_scoringrun_run_now": [POST(*ADMIN_EXPECT), GET(LOGIN, F, F, F, F, 405)],
    "admin:scoring_scoringpolicy_change": [GET(*ADMIN_EXPECT, kwargs=lambda w: {"object_id": w["policy"].pk})],
    "admin:scoring_scoringrun_change": [GET(*ADMIN_EXPECT, kwargs=lambda w: {"object_id": w["run"].pk})],
}


def admin_url_names() -> list[str]:
    names = ["admin:index"]
    for model in admin.site._registry:
        names += [f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"]
    return names


def test_every_url_has_a_row_in_the_matrix():
    missing = sorted(named_urls() - set(MATRIX))
    assert not missing, f"add these URLs to the authorization matrix: {missing}"


def test_every_row_names_a_url_that_exists():
    stale = sorted(set(MATRIX) - named_urls())
    assert not stale, f"these rows name URLs that no longer exist: {stale}"


def test_every_url_is_named():
    unnamed = [str(p.pattern) for name, p in _walk(get_resolver().url_patterns) if not name]
    assert all(p.startswith(("(?P<url>", "^(?P<url>")) or "object_id" in p for p in unnamed), unnamed


def registry_world(northwind, summit) -> dict:
    """Northwind is also an application provider, with a published application, a draft and a version."""
    northwind.is_provider = True
    northwind.save(update_fields=["is_provider"])
    published = ApplicationFactory(provider=northwind, name="Magento", slug="magento", is_published=True)
    own_integration = IntegrationFactory(
        owner=northwind, application=published, name="Magento by Northwind", brief_typical_market=BRIEF
    )
    return {
        "summit": summit,
        "application": published,
        "draft_application": ApplicationFactory(provider=northwind, name="Draft", slug="draft", is_published=False),
        "version": ApplicationVersionFactory(application=published, label="Open Source 2.4.x"),
        "integration": own_integration,
        "integration_version": IntegrationVersionFactory(integration=own_integration, number="1.0.0"),
        "openapi_import": OpenAPIImport.objects.create(
            integration=own_integration, document="openapi/api.yaml", filename="api.yaml", size=1, sha256="0" * 64
        ),
        "foreign_object": ForeignDataObject.objects.create(integration=own_integration, key="orders", name="Orders"),
        "policy": ScoringPolicy.current(),
        "run": ScoringRun.objects.create(policy=ScoringPolicy.current(), day=datetime.date(2026, 6, 15), active=None),
    }


@pytest.fixture
def world(alice, ivy, bob, carol, sam, northwind, bluebird, summit):
    return {
        "users": {"anonymous": None, "customer": carol, "other_org": bob, "member": ivy, "owner": alice, "staff": sam},
        "northwind": northwind,
        "bluebird": bluebird,
        "ivy_membership": ivy.memberships.get(organization=northwind),
        "invitation": InvitationFactory(organization=northwind, email="newcomer@example.com", invited_by=alice),
        **registry_world(northwind, summit),
    }


def _answer(response) -> Any:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    if response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate")):
        return REAUTH
    return response.status_code


def _header_problems(role: str, response) -> list[str]:
    """Every answer turns off the unused browser features; one made for a signed-in person is
    never stored by a cache."""
    problems = []
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{role}: no Permissions-Policy")
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    if role != "anonymous" and not {"private", "no-store"} <= cache_control:
        problems.append(f"{role}: Cache-Control {response.get('Cache-Control')!r}")
    return problems


def _run(name: str, case: Case, world, follow: bool = False, headers: list | None = None) -> tuple[dict, set[str]]:
    """The answer each role gets, and the roles whose response carries the partner brief; each
    header problem is added to `headers` when it is given."""
    kwargs = case.kwargs(world) if case.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    data = case.data(world) if callable(case.data) else case.data
    answers, brief_readers = {}, set()
    for role in ROLES:
        with transaction.atomic():
            client = client_for(world["users"][role])
            if case.method == "GET":
                response = client.get(url, follow=follow)
            else:
                response = client.post(url, data, follow=follow)
            if follow and response.redirect_chain and response.request["PATH_INFO"] == reverse("account_login"):
                response.status_code, response["Location"] = 302, response.request["PATH_INFO"]
            answers[role] = _answer(response)
            if BRIEF in response.content.decode(errors="replace"):
                brief_readers.add(role)
            if headers is not None:
                headers += _header_problems(role, response)
            transaction.set_rollback(True)
    return answers, brief_readers


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_role_as_the_matrix_says(name, world):
    for case in MATRIX[name]:
        headers = []
        answers, brief_readers = _run(name, case, world, headers=headers)
        assert answers == dict(zip(ROLES, case.expect, strict=True)), f"{case.method} {name}: got {answers}"
        assert not headers, f"{case.method} {name}: {headers}"
        if case.brief is None:
            assert brief_readers <= set(OWNERS_MEMBERS), f"{case.method} {name} shows the brief to {brief_readers}"
        else:
            assert brief_readers == set(case.brief), f"{case.method} {name} shows the brief to {brief_readers}"


@pytest.mark.parametrize("name", sorted(ADMIN_OBJECT_PAGES))
def test_admin_object_page_answers_only_staff_with_two_factor(name, world):
    for case in ADMIN_OBJECT_PAGES[name]:
        headers = []
        answers, _ = _run(name, case, world, follow=True, headers=headers)
        assert answers == dict(zip(ROLES, case.expect, strict=True)), f"{case.method} {name}: got {answers}"
        assert not headers, f"{case.method} {name}: {headers}"


@pytest.mark.parametrize("name", admin_url_names())
def test_admin_page_answers_only_staff_with_two_factor(name, world):
    headers = []
    answers, _ = _run(name, GET(*ADMIN_EXPECT), world, follow=True, headers=headers)
    assert answers == dict(zip(ROLES, ADMIN_EXPECT, strict=True)), f"{name}: got {answers}"
    assert not headers, f"{name}: {headers}"
