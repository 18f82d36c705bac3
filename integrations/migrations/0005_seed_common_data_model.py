"""The iPaaS.com common data model as it ships. Staff keep it current in the admin afterwards,
so this migration only adds what is missing and never overwrites their edits."""

from django.db import migrations

T, I, D, B, DT, TS, E, U = "text", "integer", "decimal", "boolean", "date", "datetime", "email", "url"

# key, name, parent key, description, [(field, type, required, description)]
COLLECTIONS = [
    ("customer", "Customer", None, "A person or business that buys.", [
        ("Id", T, True, "The customer's id in the source system."),
        ("Email", E, True, "Primary email address; the usual key for matching customers."),
        ("FirstName", T, True, "Given name."),
        ("LastName", T, True, "Family name."),
        ("CompanyName", T, False, "Company the customer buys for."),
        ("Phone", T, False, "Primary phone number."),
        ("Category", T, False, "Customer group or segment."),
        ("IsActive", B, False, "Whether the customer may place orders."),
        ("TaxExempt", B, False, "Whether sales tax applies."),
        ("CreatedDateTime", TS, False, "When the customer was created in the source system."),
    ]),
    ("customer-address", "Customer Address", "customer", "A postal address of a customer.", [
        ("Address1", T, True, "First address line."),
        ("Address2", T, False, "Second address line."),
        ("City", T, True, "City or town."),
        ("Region", T, False, "State, province or county."),
        ("PostalCode", T, True, "Postal or ZIP code."),
        ("Country", T, True, "ISO 3166-1 alpha-2 country code."),
        ("IsPrimaryBilling", B, False, "The default billing address."),
        ("IsPrimaryShipping", B, False, "The default shipping address."),
    ]),
    ("customer-contact", "Customer Contact", "customer", "A person to contact at a business customer.", [
        ("FirstName", T, True, "Given name."),
        ("LastName", T, True, "Family name."),
        ("Email", E, False, "Email address."),
        ("Phone", T, False, "Phone number."),
        ("Title", T, False, "Job title."),
    ]),
    ("company", "Company", None, "A business account, which customers may belong to.", [
        ("Id", T, True, "The company's id in the source system."),
        ("Name", T, True, "Legal or trading name."),
        ("Website", U, False, "Company website."),
        ("TaxId", T, False, "VAT or tax registration number."),
        ("CreditLimit", D, False, "Credit the company may use."),
        ("PaymentTerms", T, False, "For example Net 30."),
    ]),
    ("product", "Product", None, "Something sold: the parent of its variants.", [
        ("Sku", T, True, "Stock keeping unit, unique in the catalog."),
        ("Name", T, True, "Display name."),
        ("Description", T, False, "Long description; may contain HTML."),
        ("Type", T, False, "Simple, configurable, bundle, ..."),
        ("Price", D, True, "Default selling price."),
        ("Cost", D, False, "Unit cost."),
        ("Weight", D, False, "Shipping weight."),
        ("IsActive", B, False, "Whether the product is for sale."),
        ("Categories", T, False, "Category names or ids, comma separated."),
    ]),
    ("product-variant", "Product Variant", "product", "A sellable option of a product (size, colour).", [
        ("Sku", T, True, "The variant's own SKU."),
        ("Name", T, False, "Display name of the option."),
        ("Price", D, False, "Price when it differs from the product's."),
        ("Options", T, False, "Option values, e.g. Size=M;Colour=Blue."),
        ("Barcode", T, False, "UPC, EAN or GTIN."),
    ]),
    ("product-inventory", "Product Inventory", "product", "Stock of a product or variant at a location.", [
        ("Sku", T, True, "The SKU the stock is for."),
        ("LocationId", T, True, "Where the stock is held."),
        ("QuantityOnHand", I, True, "Units physically present."),
        ("QuantityAvailable", I, False, "Units that can be sold."),
        ("ReorderPoint", I, False, "Level that triggers reordering."),
    ]),
    ("product-category", "Product Category", None, "A category in the catalog tree.", [
        ("Id", T, True, "The category's id in the source system."),
        ("Name", T, True, "Display name."),
        ("ParentId", T, False, "The parent category, if any."),
        ("IsActive", B, False, "Whether the category is shown."),
    ]),
    ("transaction", "Transaction", None, "An order, invoice, quote or return.", [
        ("TransactionNumber", T, True, "Order or document number."),
        ("Type", T, True, "Order, invoice, quote, return, ..."),
        ("Status", T, True, "Where the transaction is in its life."),
        ("CustomerId", T, False, "The buyer."),
        ("EmailAddress", E, False, "Buyer's email at the time of the order."),
        ("Subtotal", D, True, "Total before tax, shipping and discounts."),
        ("TaxAmount", D, False, "Total tax."),
        ("ShippingAmount", D, False, "Shipping charged."),
        ("DiscountAmount", D, False, "Total discount."),
        ("Total", D, True, "Grand total."),
        ("CurrencyCode", T, False, "ISO 4217 currency code."),
        ("TransactionDateTime", TS, True, "When the transaction was placed."),
    ]),
    ("transaction-line", "Transaction Line", "transaction", "One line of a transaction.", [
        ("Sku", T, True, "What was sold."),
        ("Description", T, False, "Line description."),
        ("Quantity", D, True, "Units."),
        ("UnitPrice", D, True, "Price per unit."),
        ("DiscountAmount", D, False, "Discount on the line."),
        ("TaxAmount", D, False, "Tax on the line."),
        ("ExtendedPrice", D, False, "Quantity times unit price, less discount."),
    ]),
    ("transaction-payment", "Transaction Payment", "transaction", "A payment against a transaction.", [
        ("Method", T, True, "Card, cash, gift card, ..."),
        ("Amount", D, True, "Amount paid."),
        ("Status", T, False, "Authorized, captured, refunded, ..."),
        ("Reference", T, False, "Processor reference or authorization code."),
        ("PaymentDateTime", TS, False, "When the payment was made."),
    ]),
    ("transaction-shipment", "Transaction Shipment", "transaction", "A shipment of a transaction's goods.", [
        ("Carrier", T, False, "Shipping carrier."),
        ("Service", T, False, "Carrier service level."),
        ("TrackingNumber", T, False, "Carrier tracking number."),
        ("ShipDate", DT, False, "Date shipped."),
        ("Address1", T, True, "Ship-to address line."),
        ("City", T, True, "Ship-to city."),
        ("PostalCode", T, True, "Ship-to postal code."),
        ("Country", T, True, "Ship-to country (ISO 3166-1 alpha-2)."),
    ]),
    ("gift-card", "Gift Card", None, "A stored-value card.", [
        ("CardNumber", T, True, "The card's number."),
        ("Balance", D, True, "Current balance."),
        ("CurrencyCode", T, False, "ISO 4217 currency code."),
        ("ExpirationDate", DT, False, "Last day the card can be used."),
        ("IsActive", B, False, "Whether the card can be used."),
    ]),
    ("location", "Location", None, "A store, warehouse or other place stock is held.", [
        ("Id", T, True, "The location's id in the source system."),
        ("Name", T, True, "Display name."),
        ("Type", T, False, "Store, warehouse, drop-shipper, ..."),
        ("Address1", T, False, "Street address."),
        ("City", T, False, "City."),
        ("Country", T, False, "ISO 3166-1 alpha-2 country code."),
        ("IsActive", B, False, "Whether the location is in use."),
    ]),
    ("employee", "Employee", None, "A person who works for the merchant (a sales rep, a cashier).", [
        ("Id", T, True, "The employee's id in the source system."),
        ("FirstName", T, True, "Given name."),
        ("LastName", T, True, "Family name."),
        ("Email", E, False, "Work email."),
        ("Role", T, False, "Job role."),
        ("LocationId", T, False, "Home location."),
        ("IsActive", B, False, "Whether the employee is active."),
    ]),
]


def seed(apps, schema_editor):
    MappingCollection = apps.get_model("integrations", "MappingCollection")
    DataModelField = apps.get_model("integrations", "DataModelField")
    by_key = {}
    for position, (key, name, parent, description, fields) in enumerate(COLLECTIONS):
        collection, _ = MappingCollection.objects.get_or_create(
            key=key,
            defaults={"name": name, "description": description, "parent": by_key.get(parent), "position": position},
        )
        by_key[key] = collection
        for field_position, (field, type_, required, field_description) in enumerate(fields):
            DataModelField.objects.get_or_create(
                collection=collection,
                name=field,
                defaults={
                    "type": type_,
                    "required": required,
                    "description": field_description,
                    "position": field_position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("integrations", "0004_common_data_model")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
