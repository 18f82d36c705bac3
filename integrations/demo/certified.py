"""Demo data: integrations fully mapped and tested, so every Certified rule passes but the
approval (no certification request is approved yet, so they show Ready): BigCommerce by
Northwind, described here, and NetSuite by Bluebird (integrations.demo.netsuite).

Everything after the integration's declarations goes through the portal's own actions: its
webhook scopes are seen in signed test events received by the sandbox inbox, readiness is
designated once they have arrived, proposed foreign data objects it does not cover are dropped,
the others and the scopes are linked to the common data model, template mappings and their rows
(all four kinds, with translation tables) are saved, and the mapping tests really run in the
sandboxed runner. Each step runs only when its result is missing, so loading the demo again
changes nothing.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from integrations.demo.loader import load_openapi_import, operation, ref
from integrations.inbox import services as inbox_services
from integrations.inbox import webhooks
from integrations.mapping_tests import services as mapping_test_services
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.services import RowValues
from integrations.models import (
    Application,
    Direction,
    Integration,
    IntegrationKind,
    IntegrationVersion,
    MappingCollection,
    MappingTest,
    MappingTestRun,
    NdaStatus,
    ObjectState,
    RunStatus,
    VersionStatus,
    WebhookScope,
)
from integrations.openapi import services as openapi_services
from integrations.tiers import engine as tiers
from integrations.workspace import services as integration_services
from portal.models import Organization, User

SLUG = "bigcommerce-by-northwind"
OWNER = "northwind-integrations"
BUILDER = "alice@northwind.example.com"
SUPPORTED = ["Customer API v3"]
TO, FROM = Direction.TO_IPAAS, Direction.FROM_IPAAS

FIELDS = {
    "name": "BigCommerce by Northwind",
    "kind": IntegrationKind.DYNAMIC,
    "has_hook": True,
    "has_queue": True,
    "hosts_multitenant_cloud": True,
    "hosts_private_cloud": True,
    "description": "Keeps BigCommerce stores and iPaaS.com in step: shoppers who sign up in the store reach "
    "iPaaS.com within a minute, and the customers and catalog kept in the ERP reach the store.",
    "features": "Customers to iPaaS.com as they sign up or change their details\n"
    "Customers from iPaaS.com, with their customer group\n"
    "Products and prices from iPaaS.com\n"
    "Customer groups translated both ways",
    "data_movement": "Customers move from BigCommerce to iPaaS.com by webhook (store/customer/created and "
    "store/customer/updated) and from iPaaS.com to BigCommerce; products and prices move from iPaaS.com to "
    "BigCommerce.",
    "workflow_documentation": "Storefront sign-up\n"
    "1. A shopper creates an account in the BigCommerce store.\n"
    "2. BigCommerce sends store/customer/created; iPaaS.com reads the customer with GET /customers.\n"
    "3. “BigCommerce Customer ADD TO IPAAS” maps it; the customer group becomes the iPaaS.com category.\n\n"
    "Customers from the ERP\n"
    "1. A customer is added in the ERP and reaches iPaaS.com.\n"
    "2. “BigCommerce Customer ADD FROM IPAAS” maps it and iPaaS.com creates it with POST /customers.\n\n"
    "Catalog from the ERP\n"
    "1. A product is added or repriced in the ERP.\n"
    "2. “BigCommerce Product ADD FROM IPAAS” maps it and iPaaS.com sends it with POST /catalog/products.",
    "price_up_front": 750,
    "price_per_month": 59,
    "brief_typical_market": "B2C and B2B merchants on BigCommerce with an ERP that owns customers and catalog.",
    "brief_ideal_buyer": "An e-commerce manager who re-keys wholesale customers into the store by hand.",
    "brief_positioning": "BigCommerce is the open SaaS platform for brands that outgrew a starter store.",
    "value_proposition": "Wholesale customers and new products appear in the store without re-keying.",
    "target_customers": "BigCommerce merchants with an ERP or a POS that owns the catalog.",
    "business_logic": "Customers are matched by email address; customer groups follow the translation tables.",
    "known_gaps": "Orders and refunds are not covered yet.",
    "nda_status": NdaStatus.NOT_NEEDED,
    "contact_integrator": "Alice Integrator, alice@northwind.example.com",
    "contact_third_party": "BigCommerce app partners, apps@bigcommerce.example.com",
    "contact_red_rook": "Sam Staff, sam@redrook.example.com",
}

# The foreign data objects (the import's tags) and the methods used per direction.
LINKS = {
    "customers": ("customer", ["GET"], ["POST", "PUT"]),
    "products": ("product", [], ["POST", "PUT"]),
}
SCOPES = {"store/customer/created": ("customer", TO), "store/customer/updated": ("customer", TO)}

TABLES = {
    "BigCommerce customer groups": [("0", "Retail"), ("1", "Wholesale"), ("2", "VIP")],
    "iPaaS customer categories": [("Retail", "0"), ("Wholesale", "1"), ("VIP", "2")],
}


def mapping_row(target, kind, **values) -> RowValues:
    return RowValues(target=target, kind=kind, **values)


# name, collection key, direction, mapping filter, notes, rows, tests [(name, flow, sample, expected)]
MAPPINGS = [
    (
        "BigCommerce Customer ADD TO IPAAS",
        "customer",
        TO,
        "not is_empty(email)",
        "Guest checkouts have no account and no email: the filter skips them.",
        [
            mapping_row("Id", "formula", formula="to_text(id)"),
            mapping_row(
                "Email", "formula", formula="lower(trim(email))", notes="Email addresses are matched in lower case."
            ),
            mapping_row("FirstName", "field", source="first_name"),
            mapping_row("LastName", "field", source="last_name"),
            mapping_row("CompanyName", "field", source="company"),
            mapping_row("Phone", "field", source="phone"),
            mapping_row(
                "Category",
                "translation",
                source="customer_group_id",
                table="BigCommerce customer groups",
                default="Retail",
            ),
        ],
        [
            (
                "Wholesale customer signs up",
                "A buyer of a wholesale account registers in the store.",
                {
                    "id": 412,
                    "email": " Ada@Lovelace.example.com ",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "company": "Analytical Engines Ltd",
                    "phone": "+44 20 7946 0001",
                    "customer_group_id": 1,
                },
                {
                    "Id": "412",
                    "Email": "ada@lovelace.example.com",
                    "FirstName": "Ada",
                    "LastName": "Lovelace",
                    "CompanyName": "Analytical Engines Ltd",
                    "Phone": "+44 20 7946 0001",
                    "Category": "Wholesale",
                },
            ),
            (
                "Unknown customer group falls back to Retail",
                "A group added in BigCommerce after the table was written still maps.",
                {
                    "id": 413,
                    "email": "grace@hopper.example.com",
                    "first_name": "Grace",
                    "last_name": "Hopper",
                    "company": "",
                    "phone": "",
                    "customer_group_id": 9,
                },
                {
                    "Id": "413",
                    "Email": "grace@hopper.example.com",
                    "FirstName": "Grace",
                    "LastName": "Hopper",
                    "CompanyName": "",
                    "Phone": "",
                    "Category": "Retail",
                },
            ),
        ],
    ),
    (
        "BigCommerce Customer ADD FROM IPAAS",
        "customer",
        FROM,
        "",
        "",
        [
            mapping_row("email", "field", source="Email"),
            mapping_row("first_name", "field", source="FirstName"),
            mapping_row("last_name", "field", source="LastName"),
            mapping_row("company", "formula", formula='coalesce(CompanyName, "")'),
            mapping_row(
                "customer_group_id", "translation", source="Category", table="iPaaS customer categories", default="0"
            ),
            mapping_row("notes", "formula", formula='concat("iPaaS.com customer ", Id)'),
        ],
        [
            (
                "ERP wholesale customer reaches the store",
                "A customer created in the ERP becomes a BigCommerce customer in the wholesale group.",
                {
                    "Id": "C-1001",
                    "Email": "ada@lovelace.example.com",
                    "FirstName": "Ada",
                    "LastName": "Lovelace",
                    "CompanyName": "Analytical Engines Ltd",
                    "Category": "Wholesale",
                },
                {
                    "email": "ada@lovelace.example.com",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "company": "Analytical Engines Ltd",
                    "customer_group_id": "1",
                    "notes": "iPaaS.com customer C-1001",
                },
            ),
        ],
    ),
    (
        "BigCommerce Product ADD FROM IPAAS",
        "product",
        FROM,
        "",
        "BigCommerce needs a weight on physical products: a missing one is sent as 0.",
        [
            mapping_row("sku", "field", source="Sku"),
            mapping_row("name", "field", source="Name"),
            mapping_row("price", "field", source="Price"),
            mapping_row("weight", "formula", formula="coalesce(Weight, 0)"),
            mapping_row("type", "static", value="physical"),
            mapping_row("is_visible", "field", source="IsActive"),
        ],
        [
            (
                "New product from the ERP",
                "A product added in the ERP is listed in the store.",
                {"Sku": "AE-100", "Name": "Difference Engine", "Price": 1999.5, "Weight": None, "IsActive": True},
                {
                    "sku": "AE-100",
                    "name": "Difference Engine",
                    "price": 1999.5,
                    "weight": 0,
                    "type": "physical",
                    "is_visible": True,
                },
            ),
        ],
    ),
]


def bigcommerce_swagger() -> bytes:
    """A small Swagger 2.0 document of BigCommerce's customers and catalog products, with no errors."""
    customer, product = ref("Customer"), ref("Product")
    customers = {"type": "array", "items": customer}
    document = {
        "swagger": "2.0",
        "info": {"title": "BigCommerce demo API", "version": "3.0.0"},
        "host": "api.bigcommerce.example.com",
        "basePath": "/stores/demo/v3",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": [{"name": "customers"}, {"name": "products"}],
        "paths": {
            "/customers": {
                "get": operation("customers", "getCustomers", "200", "Customers", customers),
                "post": operation("customers", "createCustomers", "200", "Created", customers, body=customers),
                "put": operation("customers", "updateCustomers", "200", "Updated", customers, body=customers),
            },
            "/catalog/products": {
                "get": operation("products", "getProducts", "200", "Products", {"type": "array", "items": product}),
                "post": operation("products", "createProduct", "200", "Created", product, body=product),
            },
            "/catalog/products/{product_id}": {
                "parameters": [{"in": "path", "name": "product_id", "required": True, "type": "integer"}],
                "get": operation("products", "getProductById", "200", "A product", product),
                "put": operation("products", "updateProduct", "200", "Updated", product, body=product),
            },
        },
        "definitions": {
            "Customer": {
                "type": "object",
                "required": ["email", "first_name", "last_name"],
                "properties": {
                    "id": {"type": "integer"},
                    "email": {"type": "string"},
                    "first_name": {"type": "string"},
                    "last_name": {"type": "string"},
                    "company": {"type": "string"},
                    "phone": {"type": "string"},
                    "customer_group_id": {"type": "integer"},
                    "notes": {"type": "string"},
                },
            },
            "Product": {
                "type": "object",
                "required": ["name", "type", "weight", "price"],
                "properties": {
                    "id": {"type": "integer"},
                    "sku": {"type": "string"},
                    "name": {"type": "string"},
                    "type": {"type": "string", "enum": ["physical", "digital"]},
                    "weight": {"type": "number"},
                    "price": {"type": "number"},
                    "is_visible": {"type": "boolean"},
                },
            },
        },
    }
    return json.dumps(document, indent=2).encode()


@dataclass(frozen=True)
class MappedDemo:
    """One demo integration, fully mapped: what it declares and how it maps (see the module's
    BigCommerce constants for the shapes)."""

    slug: str
    owner: str  # organization slug
    builder: str  # email of the member who builds it
    application: tuple[str, str]  # provider slug, application name
    supported: list[str]  # application version labels
    fields: dict
    release_notes: str
    links: dict  # object key: (collection key, To iPaaS methods, From iPaaS methods)
    scopes: dict  # scope: (collection key, direction)
    mappings: list  # as MAPPINGS
    tables: dict = field(default_factory=dict)
    document: Callable[[], bytes] | None = None  # the OpenAPI document; None: the demo's generic one
    dropped: tuple[str, ...] = ()  # proposed object keys it does not cover


BIGCOMMERCE = MappedDemo(
    slug=SLUG,
    owner=OWNER,
    builder=BUILDER,
    application=("bigcommerce", "BigCommerce"),
    supported=SUPPORTED,
    fields=FIELDS,
    release_notes="Customers both ways and products from iPaaS.com.",
    links=LINKS,
    scopes=SCOPES,
    mappings=MAPPINGS,
    tables=TABLES,
    document=bigcommerce_swagger,
)


def load_certified_demo() -> None:
    """Creates (once) each demo integration with every Certified rule passing but the approval."""
    from integrations.demo.netsuite import NETSUITE  # its data builds on this module's shapes

    for spec in (BIGCOMMERCE, NETSUITE):
        load_mapped_demo(spec)


def load_mapped_demo(spec: MappedDemo) -> None:
    builder = User.objects.filter(email=spec.builder).first()
    owner = Organization.objects.filter(slug=spec.owner).first()
    if builder is None or owner is None:
        return
    with transaction.atomic():
        integration, version = _declare(spec, owner)
        _send_test_events(integration, builder)
        if not version.ready_designated_at:
            integration_services.designate_ready(version, acting_user=builder, acting_organization=owner)
        _link(spec, integration, builder)
        _map(spec, integration, version, builder)
        _run_tests(version, builder)
        tiers.recompute(integration, cause="demo data")


def _declare(spec: MappedDemo, owner: Organization) -> tuple[Integration, IntegrationVersion]:
    provider, name = spec.application
    application = Application.objects.get(name=name, provider__slug=provider)
    integration, created = Integration.objects.get_or_create(
        slug=spec.slug, defaults={"owner": owner, "application": application, **spec.fields}
    )
    if created:  # declared once: the integrator may change them later (a new version may drop one)
        WebhookScope.objects.bulk_create(WebhookScope(integration=integration, name=scope) for scope in spec.scopes)
    load_openapi_import(integration, spec.document() if spec.document else None)
    version, created = IntegrationVersion.objects.get_or_create(
        integration=integration,
        number="1.0.0",
        defaults={
            "release_notes": spec.release_notes,
            "status": VersionStatus.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    if created:
        version.supported_versions.set(application.versions.filter(label__in=spec.supported))
    return integration, version


def _send_test_events(integration: Integration, builder: User) -> None:
    """Each scope not seen yet gets a signed test event, received as the inbox receives any."""
    inbox = inbox_services.create_inbox(integration, acting_user=builder)
    for n, scope in enumerate(integration.scopes.filter(first_seen_at__isnull=True), start=1):
        body = json.dumps({"type": scope.name, "data": {"type": "customer", "id": 411 + n}}).encode()
        headers = webhooks.sign(inbox.secret, msg_id=f"msg_demo_{scope.pk}", timestamp=int(time.time()), body=body)
        inbox_services.receive_test_event(inbox, body, headers)


def _link(spec: MappedDemo, integration: Integration, builder: User) -> None:
    for obj in integration.foreign_objects.filter(key__in=spec.dropped, state=ObjectState.ACCEPTED):
        openapi_services.drop_foreign_object(obj, acting_user=builder)
    keys = {key for key, *_ in spec.links.values()} | {key for key, _ in spec.scopes.values()}
    collections = {c.key: c for c in MappingCollection.objects.filter(key__in=keys)}
    for obj in integration.foreign_objects.filter(key__in=spec.links, link__isnull=True):
        key, to_methods, from_methods = spec.links[obj.key]
        mapping_services.link_foreign_object(
            obj,
            acting_user=builder,
            collection=collections[key],
            to_ipaas_methods=to_methods,
            from_ipaas_methods=from_methods,
        )
    for scope in integration.scopes.filter(name__in=spec.scopes, link__isnull=True):
        key, direction = spec.scopes[scope.name]
        mapping_services.link_scope(scope, acting_user=builder, collection=collections[key], direction=direction)


def _map(spec: MappedDemo, integration: Integration, version: IntegrationVersion, builder: User) -> None:
    tables = {table.name: table for table in integration.translation_tables.all()}
    for name, rows in spec.tables.items():
        if name not in tables:
            tables[name] = table_services.save_translation_table(
                integration, acting_user=builder, table=None, name=name, rows=rows
            )
    for name, key, direction, mapping_filter, notes, rows, tests in spec.mappings:
        if version.template_mappings.filter(name=name).exists():
            continue
        mapping = mapping_services.create_template_mapping(
            version,
            acting_user=builder,
            name=name,
            collection=MappingCollection.objects.get(key=key),
            parent=None,
            direction=direction,
            sync_type="add",
            collision_handling="merge" if direction == TO else "skip",
            mapping_filter=mapping_filter,
            error_filter="",
            notes=notes,
        )
        for values in rows:
            table = tables[values.table] if values.table else None
            mapping_services.add_mapping_row(mapping, acting_user=builder, values=replace(values, table=table))
        for test_name, flow, sample, expected in tests:
            mapping_test_services.create_mapping_test(
                mapping,
                acting_user=builder,
                name=test_name,
                description=flow,
                sample=json.dumps(sample),
                expected=json.dumps(expected),
            )


def _run_tests(version: IntegrationVersion, builder: User) -> None:
    """Runs the version's tests once, in the sandboxed runner, as the Celery task would. (The task
    that start_mapping_test_run queues after commit then finds the run finished and does nothing.)"""
    tests = MappingTest.objects.filter(mapping__version=version).count()
    if MappingTestRun.objects.filter(version=version, status=RunStatus.DONE, total=tests).exists():
        return
    run = mapping_test_services.start_mapping_test_run(version, acting_user=builder)
    mapping_test_services.run_mapping_tests(run.pk)
