"""Demo data for `make run`: a fixed cast of people and organizations, safe to load again."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
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
        user, created = User.objects.get_or_create(email=email, defaults={"name": name, "is_staff": staff})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for slug, role in memberships:
            Membership.objects.get_or_create(organization=organizations[slug], user=user, defaults={"role": role})
        if staff:
            user.groups.add(_staff_group())
        accounts.append((email, name))
    return accounts


STAFF_GROUP = "Red Rook staff"
# What Red Rook staff do with accounts in the admin; each app adds its own rights to this group.
STAFF_PERMISSIONS = {
    ("portal", "user"): ("view", "change"),
    ("portal", "organization"): ("view", "change"),
    ("portal", "membership"): ("view", "add", "change", "delete"),
    ("portal", "invitation"): ("view", "change"),
    ("portal", "auditevent"): ("view",),
    ("account", "emailaddress"): ("view", "change"),
}


def _staff_group() -> Group:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    for (app_label, model), actions in STAFF_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return group
