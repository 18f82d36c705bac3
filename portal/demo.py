"""Demo data for `make run`: a fixed cast of people and organizations, safe to load again."""

from allauth.account.models import EmailAddress
from django.db import transaction

from portal.models import Membership, Organization, Role, User

DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 - printed for local demo sign-in only

ORGANIZATIONS = [
    # slug, name, website, kinds
    ("adobe", "Adobe", "https://business.adobe.com", ["provider"]),
    ("bigcommerce", "BigCommerce", "https://www.bigcommerce.com", ["provider"]),
    ("northwind-integrations", "Northwind Integrations", "https://northwind.example.com", ["integrator"]),
    ("bluebird-connect", "Bluebird Connect", "https://bluebird.example.com", ["integrator"]),
    ("summit-misp", "Summit Managed Services", "https://summit.example.com", ["misp"]),
    ("acme-retail", "Acme Retail", "https://acme-retail.example.com", ["customer"]),
]

PEOPLE = [
    # email, name, staff, [(org slug, role)]
    ("alice@northwind.example.com", "Alice Integrator", False, [("northwind-integrations", Role.OWNER)]),
    ("bob@bluebird.example.com", "Bob Other-Integrator", False, [("bluebird-connect", Role.OWNER)]),
    ("carol@acme-retail.example.com", "Carol Customer", False, [("acme-retail", Role.OWNER)]),
    ("misty@summit.example.com", "Misty MiSP", False, [("summit-misp", Role.OWNER)]),
    ("paul@adobe.example.com", "Paul Provider", False, [("adobe", Role.OWNER), ("bigcommerce", Role.ADMIN)]),
    ("sam@redrook.example.com", "Sam Staff", True, []),
]


@transaction.atomic
def load_demo_data() -> list[tuple[str, str]]:
    organizations = {}
    for slug, name, website, kinds in ORGANIZATIONS:
        organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name, "website": website})
        organization.set_kinds(kinds)
        organization.save()
        organizations[slug] = organization
    accounts = []
    for email, name, staff, memberships in PEOPLE:
        # The demo's Red Rook staff member runs the whole admin (after turning on two-factor).
        user, created = User.objects.get_or_create(
            email=email, defaults={"name": name, "is_staff": staff, "is_superuser": staff}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for slug, role in memberships:
            Membership.objects.get_or_create(organization=organizations[slug], user=user, defaults={"role": role})
        accounts.append((email, name))
    return accounts
