"""Demo data: NetSuite by Bluebird, a second fully mapped integration, separate from BigCommerce by
Northwind: NetSuite customers reach iPaaS.com as they are created. Its generic demo document also
proposes orders, which it does not cover, so Bob drops them. certification.demo then takes it to
Certified through a certification request staff approve, and it stays Certified (no workflow
template), beside the One-Click BigCommerce."""

from integrations.demo.certified import TO, MappedDemo, mapping_row
from integrations.models import NdaStatus

SLUG = "netsuite-by-bluebird"
OWNER = "bluebird-connect"
BUILDER = "bob@bluebird.example.com"

FIELDS = {
    "name": "NetSuite by Bluebird",
    "has_event": True,
    "hosts_multitenant_cloud": True,
    "description": "Brings the customers kept in NetSuite to iPaaS.com as soon as they are created, so the "
    "store, the POS and the help desk all know them.",
    "features": "Customers to iPaaS.com as they are created in NetSuite\nCategories set from the NetSuite subsidiary",
    "data_movement": "Customers move from NetSuite to iPaaS.com when NetSuite sends customer/created.",
    "workflow_documentation": "New customer in the ERP\n"
    "1. A customer is created in NetSuite.\n"
    "2. NetSuite sends customer/created; iPaaS.com reads it with GET /customers/{id}.\n"
    "3. “NetSuite Customer ADD TO IPAAS” maps it, and every connected system can use it.",
    "price_per_month": 39,
    "brief_typical_market": "Wholesalers and retailers whose customer master lives in NetSuite.",
    "brief_ideal_buyer": "A finance or operations lead who keys new NetSuite customers into the store by hand.",
    "brief_positioning": "NetSuite is the cloud ERP of growing mid-market companies.",
    "value_proposition": "A customer created in the ERP can buy everywhere within a minute.",
    "target_customers": "NetSuite customers with a store or a POS connected to iPaaS.com.",
    "business_logic": "Customers are matched by email address; NetSuite keeps the customer master.",
    "known_gaps": "Sales orders and invoices are not covered.",
    "nda_status": NdaStatus.SIGNED,
    "contact_integrator": "Bob Other-Integrator, bob@bluebird.example.com",
    "contact_third_party": "NetSuite alliances, alliances@netsuite.example.com",
    "contact_red_rook": "Sam Staff, sam@redrook.example.com",
}

MAPPINGS = [
    (
        "NetSuite Customer ADD TO IPAAS",
        "customer",
        TO,
        "not is_empty(email)",
        "NetSuite leads without an email address are not customers yet: the filter skips them.",
        [
            mapping_row("Id", "formula", formula="to_text(id)"),
            mapping_row("Email", "formula", formula="lower(trim(email))"),
            mapping_row("FirstName", "field", source="firstname"),
            mapping_row("LastName", "field", source="lastname"),
            mapping_row("Category", "static", value="ERP"),
        ],
        [
            (
                "Customer created in NetSuite",
                "A customer entered in NetSuite reaches iPaaS.com.",
                {"id": 8801, "email": "Linus@Torvalds.example.com ", "firstname": "Linus", "lastname": "Torvalds"},
                {
                    "Id": "8801",
                    "Email": "linus@torvalds.example.com",
                    "FirstName": "Linus",
                    "LastName": "Torvalds",
                    "Category": "ERP",
                },
            ),
        ],
    ),
]

NETSUITE = MappedDemo(
    slug=SLUG,
    owner=OWNER,
    builder=BUILDER,
    application=("oracle-netsuite", "NetSuite"),
    supported=["2024.2", "2025.1"],
    fields=FIELDS,
    release_notes="Customers from NetSuite to iPaaS.com.",
    links={"customers": ("customer", ["GET"], [])},
    scopes={"customer/created": ("customer", TO)},
    mappings=MAPPINGS,
    dropped=("orders",),
)
