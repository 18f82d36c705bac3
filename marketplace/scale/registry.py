"""The generated world's organizations with their members, applications and application versions."""

from __future__ import annotations

import datetime

from integrations.models import Application, ApplicationVersion, Category
from marketplace.scale.world import DOMAIN, NO_PASSWORD, PREFIX, World, bulk, invented_name, skewed_counts
from portal.models import Membership, Organization, Role, User

LOGO = "organizations/scale-world.png"  # a name only: the world is for measuring, no file is read
APP_LOGO = "applications/scale-world.png"
MEMBERS = {"provider": (1, 3), "integrator": (1, 5), "customer": (1, 2)}


def _organization(world: World, kind: str, n: int) -> Organization:
    return Organization(
        slug=f"{PREFIX}{kind}-{n}",
        name=f"{kind.title()} {n} {world.words(1).title()}",
        website=f"https://{kind}-{n}.{DOMAIN}",
        description=f"A generated {kind} that {world.words(6)}.",
        logo=LOGO if kind != "customer" else "",
        logo_small=LOGO if kind != "customer" else "",
        is_provider=kind == "provider",
        is_integrator=kind == "integrator",
        is_customer=kind == "customer",
        created_at=world.random_date(),
    )


def _people(world: World, kind: str, organization_ids: list[int]) -> None:
    """Each organization's members, the first of them its owner."""
    low, high = MEMBERS[kind]
    seats = [(org, seat) for org in organization_ids for seat in range(world.rng.randint(low, high))]
    users = bulk(
        User,
        (
            User(email=f"{kind}-{org}-{seat}@{DOMAIN}", name=f"Person {org}-{seat}", password=NO_PASSWORD)
            for org, seat in seats
        ),
    )
    roles = [Role.OWNER, Role.ADMIN, Role.MEMBER]
    memberships = []
    for (org, seat), user in zip(seats, users, strict=True):
        memberships.append(Membership(organization_id=org, user_id=user, role=roles[min(seat, 2)]))
        if seat == 0:
            world.owners[org] = user
    bulk(Membership, memberships)


def generate_organizations(world: World) -> None:
    scale = world.scale
    for kind, count, ids in (
        ("provider", scale.providers, world.providers),
        ("integrator", scale.integrators, world.integrators),
        ("customer", scale.customers, world.customers),
    ):
        ids += bulk(Organization, (_organization(world, kind, n) for n in range(count)))
        _people(world, kind, ids)


def generate_applications(world: World) -> None:
    """Applications over the providers; the first provider has 6% of them (a provider page at scale)."""
    per_provider = skewed_counts(world.scale.applications, len(world.providers), world.rng, heavy_share=0.06)
    categories = Category.values
    applications, taken = [], set()
    for provider, count in zip(world.providers, per_provider, strict=True):
        for _ in range(count):
            n = len(applications)
            applications.append(
                Application(
                    slug=f"{PREFIX}app-{n}",
                    provider_id=provider,
                    name=invented_name(world.rng, taken),
                    website=f"https://app-{n}.{DOMAIN}",
                    category=world.rng.choice(categories),
                    description=f"Generated application {n}: {world.words(12)}.",
                    logo=APP_LOGO,
                    logo_small=APP_LOGO,
                    is_published=world.rng.random() < 0.97,
                    created_at=world.random_date(),
                )
            )
    world.applications = bulk(Application, applications)
    world.application_names = {
        pk: application.name for pk, application in zip(world.applications, applications, strict=True)
    }
    world.published_applications = [
        pk for pk, application in zip(world.applications, applications, strict=True) if application.is_published
    ]


def generate_app_versions(world: World) -> None:
    """At least one version per application; the first application has 2.5% of them all."""
    per_application = skewed_counts(
        world.scale.app_versions, len(world.applications), world.rng, heavy_share=0.025, minimum=1
    )
    start = world.now.date() - datetime.timedelta(days=365 * 6)
    versions = []
    for application, count in zip(world.applications, per_application, strict=True):
        dates = sorted(start + datetime.timedelta(days=world.rng.randrange(365 * 6)) for _ in range(count))
        versions += [
            ApplicationVersion(application_id=application, label=f"v{n + 1}.0", release_date=day)
            for n, day in enumerate(dates)
        ]
    ids = bulk(ApplicationVersion, versions)
    for version, pk in zip(versions, ids, strict=True):
        world.app_versions.setdefault(version.application_id, []).append(pk)
