"""Demo registry for `make run`: the seed's Developer / Application / Version examples and a few
more, with generated logos and filled-in public profiles. Loading it again changes nothing."""

import datetime
import hashlib
import io
import json
from dataclasses import asdict

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from integrations import openapi
from integrations.inbox import services as inbox_services
from integrations.models import (
    Application,
    ApplicationVersion,
    Category,
    ForeignDataObject,
    ImportStatus,
    InboxEvent,
    Integration,
    IntegrationKind,
    IntegrationVersion,
    NdaStatus,
    ObjectState,
    OpenAPIImport,
    VersionStatus,
    VersionSubmission,
    WebhookScope,
)
from integrations.tiers import engine as tiers
from portal import images
from portal.models import Organization, User

# slug: (name, website, colour, description, contact email, services offered). Organizations that
# portal's demo data does not create are created here as providers.
PROFILES = {
    "adobe": (
        "Adobe",
        "https://business.adobe.com",
        "#d7261e",
        "Adobe makes Magento Open Source and Adobe Commerce, the commerce platforms behind many of the "
        "world's online stores.",
        "partners@adobe.example.com",
        "",
    ),
    "bigcommerce": (
        "BigCommerce",
        "https://www.bigcommerce.com",
        "#121118",
        "BigCommerce is an open SaaS e-commerce platform for fast-growing and established brands, B2C and B2B.",
        "apps@bigcommerce.example.com",
        "",
    ),
    "shopify": (
        "Shopify",
        "https://www.shopify.com",
        "#5e8e3e",
        "Shopify is the commerce platform for online stores and retail point of sale.",
        "partners@shopify.example.com",
        "",
    ),
    "oracle-netsuite": (
        "Oracle NetSuite",
        "https://www.netsuite.com",
        "#1f4e79",
        "NetSuite is a cloud ERP suite: financials, inventory, order management and CRM in one system.",
        "alliances@netsuite.example.com",
        "",
    ),
    "northwind-integrations": (
        "Northwind Integrations",
        "https://northwind.example.com",
        "#0f766e",
        "Northwind builds and maintains certified iPaaS.com integrations for commerce and ERP systems, "
        "from the first mapping to the go-live weekend.",
        "hello@northwind.example.com",
        "Integration development\nTemplate mappings and workflow templates\nGo-live support\nMaintenance plans",
    ),
    "bluebird-connect": (
        "Bluebird Connect",
        "https://bluebird.example.com",
        "#2563eb",
        "Bluebird Connect specialises in point-of-sale and marketplace connectors for mid-sized retailers.",
        "team@bluebird.example.com",
        "Connector development\nData migration\nTraining",
    ),
    "summit-misp": (
        "Summit Managed Services",
        "https://summit.example.com",
        "#7c3aed",
        "Summit runs iPaaS.com for retailers who would rather not: subscriptions, monitoring and support.",
        "support@summit.example.com",
        "Managed iPaaS.com subscriptions\n24/7 monitoring\nWorkflow design",
    ),
}

# provider slug, name, landing page, category, colour, description, [(version label, release date)]
APPLICATIONS = [
    (
        "adobe",
        "Magento",
        "https://business.adobe.com/products/magento/open-source.html",
        Category.ECOMMERCE,
        "#ee672f",
        "Magento Open Source is the free, self-hosted edition of Adobe's commerce platform: catalog, "
        "checkout, orders and customers, extended through a REST and GraphQL API.",
        [
            ("Open Source 2.3.x", datetime.date(2018, 11, 28)),
            ("Open Source 2.4.x", datetime.date(2020, 7, 28)),
            ("Open Source 2.5.x", datetime.date(2025, 10, 14)),
        ],
    ),
    (
        "adobe",
        "Adobe Commerce",
        "https://business.adobe.com/products/adobe-commerce.html",
        Category.ECOMMERCE,
        "#b30b00",
        "Adobe Commerce is the licensed, cloud-hosted edition of Magento with B2B features, "
        "staging and a managed infrastructure.",
        [("2.4.6", datetime.date(2023, 3, 14)), ("2.4.7", datetime.date(2024, 4, 9))],
    ),
    (
        "bigcommerce",
        "BigCommerce",
        "https://developer.bigcommerce.com",
        Category.ECOMMERCE,
        "#34313f",
        "The BigCommerce platform and its REST APIs for customers, catalog, orders and transactions.",
        [
            ("Customer API v2", datetime.date(2013, 8, 20)),
            ("Transactions API v2", datetime.date(2018, 4, 10)),
            ("Customer API v3", datetime.date(2019, 11, 12)),
        ],
    ),
    (
        "shopify",
        "Shopify",
        "https://shopify.dev/docs/api/admin-graphql",
        Category.ECOMMERCE,
        "#95bf47",
        "Shopify's Admin API, released in quarterly versions that are each supported for a year.",
        [
            ("Admin API 2025-01", datetime.date(2025, 1, 1)),
            ("Admin API 2025-04", datetime.date(2025, 4, 1)),
            ("Admin API 2025-07", datetime.date(2025, 7, 1)),
        ],
    ),
    (
        "oracle-netsuite",
        "NetSuite",
        "https://www.netsuite.com/portal/products/erp.shtml",
        Category.ERP,
        "#c74634",
        "NetSuite ERP, integrated through SuiteTalk REST web services and SuiteScript.",
        [("2024.2", datetime.date(2024, 8, 20)), ("2025.1", datetime.date(2025, 2, 11))],
    ),
]

# Staff who are not superusers work in the admin through this group; each app adds its own rights.
STAFF_GROUP = "Red Rook staff"
STAFF_PERMISSIONS = [
    "view_application",
    "change_application",
    "view_applicationversion",
    "add_applicationversion",
    "change_applicationversion",
    "delete_applicationversion",
    "view_versionsubmission",
    "change_versionsubmission",  # verify and reject (the queue's actions)
    "view_applicationapichange",
    "add_applicationapichange",  # record an application's API change (record_api_change)
    # The common data model, which staff keep current.
    "view_mappingcollection",
    "add_mappingcollection",
    "change_mappingcollection",
    "view_datamodelfield",
    "add_datamodelfield",
    "change_datamodelfield",
    "delete_datamodelfield",
    # Integrators' mapping work, which staff inspect (the admin shows it read-only).
    "view_foreignobjectlink",
    "view_scopelink",
    "view_translationtable",
    "view_templatemapping",
    "view_templatemappingrow",
    "view_mappingtest",
    "view_mappingtestrun",
    "view_mappingtestresult",
    # Integrations, their versions and tiers: read-only in the admin.
    "view_integration",
    "view_integrationversion",
]

PENDING_SUBMISSION = ("BigCommerce", "Catalog API v3", datetime.date(2019, 6, 18), "alice@northwind.example.com")


def logo_upload(name: str, colour: str) -> SimpleUploadedFile:
    """A square of the brand colour with the name's initials, as a PNG upload."""
    size = 512
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=220 if len(initials) == 1 else 180)
    draw.text((size / 2, size / 2), initials, fill="#ffffff", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{initials.lower()}.png", out.getvalue(), content_type="image/png")


def _give_logo(owner, colour: str) -> None:
    if owner.logo:
        return
    checked = images.check_image_upload(logo_upload(owner.name, colour))
    stored = images.store_renditions(checked, folder=owner.LOGO_FOLDER, sizes=owner.LOGO_SIZES)
    fields = images.replace_logo(owner, stored)
    owner.save(update_fields=fields)


def _load_profiles() -> None:
    for slug, (name, website, colour, description, email, services) in PROFILES.items():
        organization, _ = Organization.objects.get_or_create(
            slug=slug, defaults={"name": name, "website": website, "is_provider": True}
        )
        if not organization.description:
            organization.description = description
            organization.contact_email = email
            organization.services_offered = services
            organization.save(update_fields=["description", "contact_email", "services_offered"])
        _give_logo(organization, colour)


def _load_applications() -> None:
    for provider_slug, name, website, category, colour, description, versions in APPLICATIONS:
        provider = Organization.objects.get(slug=provider_slug)
        application, _ = Application.objects.get_or_create(
            provider=provider,
            name=name,
            defaults={
                "slug": Application.unique_slug_for(name),
                "website": website,
                "category": category,
                "description": description,
                "is_published": True,
            },
        )
        _give_logo(application, colour)
        for label, release_date in versions:
            ApplicationVersion.objects.get_or_create(
                application=application, label=label, defaults={"release_date": release_date}
            )


def _load_pending_submission() -> None:
    application_name, label, release_date, email = PENDING_SUBMISSION
    submitter = User.objects.filter(email=email).first()
    application = Application.objects.get(name=application_name, provider__slug="bigcommerce")
    VersionSubmission.objects.get_or_create(
        application=application,
        label=label,
        defaults={
            "release_date": release_date,
            "source_url": "https://developer.bigcommerce.com/docs/rest-catalog",
            "notes": "The v3 Catalog API replaced the v2 products endpoints.",
            "submitted_by": submitter,
            "submitted_for": submitter.memberships.first().organization if submitter else None,
        },
    )


def _load_staff_permissions() -> None:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="integrations", codename__in=STAFF_PERMISSIONS)
    )
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        user.groups.add(group)


# --- Integrations --------------------------------------------------------------------------


def operation(tag: str, operation_id: str, status: str, description: str, schema: dict, body: dict | None = None):
    operation = {
        "tags": [tag],
        "operationId": operation_id,
        "responses": {status: {"description": description, "schema": schema}},
    }
    if body is not None:
        operation["parameters"] = [{"in": "body", "name": "body", "required": True, "schema": body}]
    return operation


def ref(name: str) -> dict:
    return {"$ref": f"#/definitions/{name}"}


def demo_swagger(title: str) -> bytes:
    """A small Swagger 2.0 document with no errors: customers and orders, as the demo's imports."""
    customer, order = ref("Customer"), ref("Order")
    document = {
        "swagger": "2.0",
        "info": {"title": title, "version": "1.0.0"},
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": [{"name": "customers"}, {"name": "orders"}],
        "paths": {
            "/customers": {
                "get": operation(
                    "customers", "listCustomers", "200", "Customers", {"type": "array", "items": customer}
                ),
                "post": operation("customers", "createCustomer", "201", "Created", customer, body=customer),
            },
            "/customers/{id}": {
                "parameters": [{"in": "path", "name": "id", "required": True, "type": "integer"}],
                "get": operation("customers", "getCustomer", "200", "A customer", customer),
                "put": operation("customers", "updateCustomer", "200", "Updated", customer, body=customer),
            },
            "/orders": {
                "get": operation("orders", "listOrders", "200", "Orders", {"type": "array", "items": order}),
            },
        },
        "definitions": {
            "Customer": {
                "type": "object",
                "required": ["email"],
                "properties": {
                    "id": {"type": "integer"},
                    "email": {"type": "string"},
                    "firstname": {"type": "string"},
                    "lastname": {"type": "string"},
                },
            },
            "Order": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "customer_id": {"type": "integer"},
                    "grand_total": {"type": "number"},
                    "items": {"type": "array", "items": ref("OrderItem")},
                },
            },
            "OrderItem": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "number"}}},
        },
    }
    return json.dumps(document, indent=2).encode()


# slug: owner slug, application name, name, supported version labels, scopes, seen scope, ready by, extra fields
INTEGRATIONS = {
    "magento-by-northwind": (
        "northwind-integrations",
        "Magento",
        "Magento by Northwind",
        ["Open Source 2.4.x", "Open Source 2.5.x"],
        ["customer/created", "customer/updated", "order/created", "product/updated"],
        None,
        None,
        {
            "has_hook": True,
            "has_event": True,
            "hosts_multitenant_cloud": True,
            "hosts_on_premise": True,
            "description": "Keeps Magento Open Source stores and iPaaS.com in step: customers, orders and "
            "products, in both directions.",
            "features": "Customers both ways\nOrders to iPaaS.com\nProducts and prices from iPaaS.com",
            "data_movement": "Customers and orders move from Magento to iPaaS.com as they are created; products, "
            "prices and stock levels move from iPaaS.com to Magento.",
            "price_up_front": 500,
            "price_per_month": 49,
            "brief_typical_market": "Mid-market retailers running Magento Open Source 2.4 or later.",
            "brief_ideal_buyer": "An operations lead tired of nightly CSV exports.",
            "brief_positioning": "Magento is the self-hosted, extensible choice among commerce platforms.",
            "value_proposition": "Orders reach the ERP in minutes instead of the next morning.",
            "target_customers": "Magento merchants with an ERP or a warehouse system.",
            "business_logic": "Orders sync on creation; customers are matched by email address.",
            "known_gaps": "B2B quotes and company accounts are not covered yet.",
            "nda_status": NdaStatus.NOT_NEEDED,
            "contact_integrator": "Alice Integrator, alice@northwind.example.com",
            "contact_third_party": "Adobe partner desk, partners@adobe.example.com",
            "contact_red_rook": "Sam Staff, sam@redrook.example.com",
        },
    ),
    "shopify-by-bluebird": (
        "bluebird-connect",
        "Shopify",
        "Shopify by Bluebird",
        ["Admin API 2025-04", "Admin API 2025-07"],
        ["order/created", "product/updated"],
        "order/created",
        "bob@bluebird.example.com",
        {
            "has_hook": True,
            "hosts_multitenant_cloud": True,
            "description": "Shopify orders into iPaaS.com within a minute, and stock levels back to Shopify.",
            "features": "Orders to iPaaS.com\nStock levels from iPaaS.com",
            "data_movement": "Orders move from Shopify to iPaaS.com by webhook; inventory levels move back.",
            "price_per_month": 29,
            "nda_status": NdaStatus.SIGNED,
            "contact_integrator": "Bob Other-Integrator, bob@bluebird.example.com",
        },
    ),
}


def load_openapi_import(integration: Integration, raw: bytes | None = None) -> None:
    """The document (demo_swagger's by default) as a finished import, its objects accepted."""
    if integration.openapi_imports.exists():
        return
    raw = raw or demo_swagger(f"{integration.application.name} demo API")
    analysis = openapi.analyse(raw, "openapi.json")
    document = OpenAPIImport(
        integration=integration,
        filename="openapi.json",
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        status=ImportStatus.DONE,
        progress=100,
        detected_version=analysis.version,
        error_count=len(analysis.errors),
        analysis=analysis.to_dict(),
        finished_at=timezone.now(),
    )
    document.document.save("openapi.json", ContentFile(raw), save=False)
    document.save()
    for proposal in analysis.proposals:
        ForeignDataObject.objects.get_or_create(
            integration=integration,
            key=proposal.key,
            defaults={
                "name": proposal.name,
                "state": ObjectState.ACCEPTED,
                "paths": [{"path": entry.path, "methods": list(entry.methods)} for entry in proposal.paths],
                "schemas": [asdict(schema) for schema in proposal.schemas],
            },
        )


def _load_integration(slug: str, spec) -> None:
    owner_slug, application_name, name, labels, scopes, seen, ready_by, fields = spec
    owner = Organization.objects.get(slug=owner_slug)
    application = Application.objects.get(name=application_name)
    integration, _ = Integration.objects.get_or_create(
        slug=slug,
        defaults={"owner": owner, "application": application, "name": name, "kind": IntegrationKind.DYNAMIC, **fields},
    )
    for scope in scopes:
        WebhookScope.objects.get_or_create(integration=integration, name=scope)
    inbox_services.create_inbox(integration, acting_user=None)  # as create_integration does
    load_openapi_import(integration)
    version, created = IntegrationVersion.objects.get_or_create(
        integration=integration,
        number="1.0.0",
        defaults={
            "release_notes": "First release.",
            "status": VersionStatus.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    if created:
        version.supported_versions.set(application.versions.filter(label__in=labels))
    if seen and not integration.inbox_events.exists():
        now = timezone.now()
        InboxEvent.objects.create(
            integration=integration,
            webhook_id="msg_demo_connection",
            scope=seen,
            body={"type": seen, "data": {"id": 1001}},
            sent_at=now,
        )
        WebhookScope.objects.filter(integration=integration, name=seen).update(first_seen_at=now)
    designator = User.objects.filter(email=ready_by).first() if ready_by else None
    if designator and not version.ready_designated_at:
        version.ready_designated_by = designator
        version.ready_designated_at = timezone.now()
        version.save(update_fields=["ready_designated_by", "ready_designated_at"])
    tiers.recompute(integration, cause="demo data")


def _load_integrations() -> None:
    for slug, spec in INTEGRATIONS.items():
        if Organization.objects.filter(slug=spec[0]).exists():
            _load_integration(slug, spec)


def load_demo_data() -> list[tuple[str, str]]:
    from integrations.demo.certified import load_certified_demo  # it builds on this module's helpers

    with transaction.atomic():
        _load_staff_permissions()
        _load_profiles()
        _load_applications()
        _load_pending_submission()
        _load_integrations()
        load_certified_demo()
    return []
