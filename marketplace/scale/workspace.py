"""The generated world's integrations, at every tier, with what the tier rules read for them.

Each integration is given what its tier needs, so the tier engine, run again, agrees up to Ready:
Compatible ones are SDK integrations with a connector, event services, hosting models, supported
application versions, data movement and scopes (Not yet Compatible ones lack hosting models);
Ready ones add a verified inbox event and the designation of their newest version. Certified ones
carry the approved certification request of their newest version but not the template mappings
and passing mapping tests the Certified rules also read: a recompute would put them back at
Ready. They stand for certified integrations on the pages that list and sell them."""

from __future__ import annotations

from decimal import Decimal

from certification.requests.models import CertificationRequest, ChecksStatus, RequestStatus
from integrations.models import (
    Inbox,
    InboxEvent,
    Integration,
    IntegrationKind,
    IntegrationVersion,
    Tier,
    VersionStatus,
    WebhookScope,
)
from integrations.workspace.services import fill_missing_checklists
from marketplace.scale.world import PREFIX, WORDS, World, bulk, skewed_counts

# The share of integrations at each tier (Not yet Compatible, Compatible, Ready, Certified).
TIER_SHARES = ((Tier.NONE, 0.10), (Tier.COMPATIBLE, 0.40), (Tier.READY, 0.25), (Tier.CERTIFIED, 0.25))
EVENTS = ("created", "updated", "deleted")
KINDS_OF_CONNECTOR = ("Sync", "Connector", "Bridge", "Link", "Integration")


def _flags(world: World, tier: int) -> dict[str, bool]:
    rng = world.rng
    hosting = [rng.random() < 0.6, rng.random() < 0.3, rng.random() < 0.2]
    if tier >= Tier.COMPATIBLE and not any(hosting):
        hosting[0] = True
    events = [rng.random() < 0.7, rng.random() < 0.3, rng.random() < 0.3]
    if not any(events):
        events[0] = True
    if tier == Tier.NONE:
        hosting = [False, False, False]  # the rule it fails: no hosting model declared
    return {
        "has_hook": events[0],
        "has_queue": events[1],
        "has_event": events[2],
        "hosts_multitenant_cloud": hosting[0],
        "hosts_private_cloud": hosting[1],
        "hosts_on_premise": hosting[2],
    }


def _integration(world: World, n: int, owner: int, application: int, tier: int) -> Integration:
    rng = world.rng
    certified = tier >= Tier.CERTIFIED
    return Integration(
        slug=f"{PREFIX}integration-{n}",
        owner_id=owner,
        application_id=application,
        # "Zorbix Sync"; the number keeps names unique per owner, as the portal requires.
        name=f"{world.application_names[application]} {rng.choice(KINDS_OF_CONNECTOR)} {n}",
        kind=IntegrationKind.SDK,
        **_flags(world, tier),
        description=f"Moves {world.words(20)}.",
        features="\n".join(world.words(3).capitalize() for _ in range(rng.randint(2, 6))),
        data_movement=f"{world.words(4).capitalize()} to iPaaS.com; {world.words(3)} from iPaaS.com.",
        workflow_documentation=f"1. {world.words(8)}\n2. {world.words(8)}" if certified else "",
        price_up_front=Decimal(rng.choice([0, 0, 99, 250, 500])),
        price_per_month=Decimal(rng.choice([0, 19, 49, 99, 199, 499])),
        brief_typical_market=world.words(10) if certified else "",
        sdk_package=f"ipaas-connector-{n}",
        sdk_language=rng.choice(["Python", "C#", "TypeScript", "Java"]),
        sdk_url=f"https://example.com/connectors/{n}",
        sdk_version="1.0.0",
        tier=tier,
        created_at=world.random_date(),
    )


def _tiers(world: World) -> list[int]:
    total = world.scale.integrations
    tiers = [tier for tier, share in TIER_SHARES for _ in range(round(total * share))]
    tiers = (tiers + [Tier.COMPATIBLE] * total)[:total]
    world.rng.shuffle(tiers)
    return tiers


def generate_integrations(world: World) -> None:
    """Integrations over the published applications and the integrators; the first application
    has 3.65% of them, the first integrator 2.2% (an application page and a dashboard at scale)."""
    published = world.published_applications
    total = world.scale.integrations
    per_application = skewed_counts(total, len(published), world.rng, heavy_share=0.0365)
    applications = [app for app, count in zip(published, per_application, strict=True) for _ in range(count)]
    per_owner = skewed_counts(total, len(world.integrators), world.rng, heavy_share=0.022)
    owners = [org for org, count in zip(world.integrators, per_owner, strict=True) for _ in range(count)]
    world.rng.shuffle(owners)
    tiers = _tiers(world)
    rows = zip(range(total), owners, applications, tiers, strict=True)
    integrations = [_integration(world, n, owner, app, tier) for n, owner, app, tier in rows]
    ids = bulk(Integration, integrations, size=2000)
    world.integrations = [(pk, i.owner_id, i.tier) for pk, i in zip(ids, integrations, strict=True)]
    world.integration_applications = {pk: i.application_id for pk, i in zip(ids, integrations, strict=True)}


def _version_rows(world: World, integration: int, tier: int) -> list[IntegrationVersion]:
    """One to three published versions, the newest showing the integration's tier; the older ones
    Compatible at most (never designated); a newer draft now and then, below Certified."""
    rng = world.rng
    created = world.random_date()
    versions = []
    for n in range(rng.choice([1, 1, 2, 2, 2, 3])):
        created = world.random_date(after=created)
        versions.append(
            IntegrationVersion(
                integration_id=integration,
                number=f"{n + 1}.{rng.randrange(10)}.0",
                release_notes=world.words(10),
                status=VersionStatus.PUBLISHED,
                published_at=created,
                tier=min(tier, Tier.COMPATIBLE),
                created_at=created,
            )
        )
    newest = versions[-1]
    newest.tier = tier
    if tier >= Tier.READY:
        newest.ready_designated_at = world.random_date(after=newest.created_at)
    if tier < Tier.CERTIFIED and rng.random() < 0.1:
        versions.append(
            IntegrationVersion(
                integration_id=integration,
                number=f"{len(versions) + 1}.0.0",
                status=VersionStatus.DRAFT,
                tier=min(tier, Tier.COMPATIBLE),
                created_at=world.random_date(after=created),
            )
        )
    return versions


def generate_versions(world: World) -> None:
    """The integrations' versions and the application versions each supports: the newest
    published one supports its application's latest version five times in six."""
    versions = []
    for integration, _, tier in world.integrations:
        versions += _version_rows(world, integration, tier)
    ids = bulk(IntegrationVersion, versions)
    through = IntegrationVersion.supported_versions.through
    supported = []
    for version, pk in zip(versions, ids, strict=True):
        if version.status == VersionStatus.PUBLISHED:
            world.shown_versions[version.integration_id] = pk  # the last published one is the newest
        app_versions = world.app_versions[world.integration_applications[version.integration_id]]
        chosen = set(world.rng.sample(app_versions[:-1], min(len(app_versions) - 1, world.rng.randint(0, 3))))
        if world.rng.random() < 5 / 6 or not chosen:
            chosen.add(app_versions[-1])
        supported += [through(integrationversion_id=pk, applicationversion_id=app) for app in chosen]
    bulk(through, supported, size=10_000)


def generate_scopes_and_events(world: World) -> None:
    """One to four webhook scopes per integration; Ready ones and above proved the connection with
    a verified event for their first scope, received in their sandbox inbox."""
    rng = world.rng
    scopes, inboxes, events = [], [], []
    for integration, _, tier in world.integrations:
        names = sorted({f"{rng.choice(WORDS).rstrip('s')}/{rng.choice(EVENTS)}" for _ in range(rng.randint(1, 4))})
        scopes += [WebhookScope(integration_id=integration, name=name) for name in names]
        if tier >= Tier.READY:
            received = world.random_date()
            inboxes.append(Inbox(integration_id=integration, secret=f"whsec_scale{integration}", rotated_at=received))
            events.append(
                InboxEvent(
                    integration_id=integration,
                    webhook_id=f"msg_scale_{integration}",
                    scope=names[0],
                    body={"type": names[0], "id": integration},
                    sent_at=received,
                    received_at=received,
                )
            )
    bulk(WebhookScope, scopes)
    bulk(Inbox, inboxes)
    bulk(InboxEvent, events)


def generate_certifications(world: World) -> None:
    """The approved certification request of each Certified integration's newest version."""
    requests = []
    for integration, owner, tier in world.integrations:
        if tier < Tier.CERTIFIED:
            continue
        submitted = world.random_date()
        requests.append(
            CertificationRequest(
                version_id=world.shown_versions[integration],
                organization_id=owner,
                requested_by_id=world.owners[owner],
                status=RequestStatus.APPROVED,
                checks_status=ChecksStatus.DONE,
                submitted_at=submitted,
                decided_at=world.random_date(after=submitted),
                created_at=submitted,
            )
        )
    bulk(CertificationRequest, requests)


def summarize_checklists(world: World) -> None:
    """What tiers.recompute keeps on each version the dashboard shows (its checklist summary), so
    the dashboard at scale reads what it reads in use rather than evaluating every row."""
    fill_missing_checklists()
