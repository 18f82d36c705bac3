"""Generates the scaled world, step by step, with the time each step took."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.db import transaction

from marketplace.scale import market, registry, workspace
from marketplace.scale.world import Scale, World

STEPS: list[tuple[str, Callable[[World], None]]] = [
    ("organizations and members", registry.generate_organizations),
    ("applications", registry.generate_applications),
    ("application versions", registry.generate_app_versions),
    ("integrations", workspace.generate_integrations),
    ("integration versions", workspace.generate_versions),
    ("webhook scopes and inbox events", workspace.generate_scopes_and_events),
    ("certification requests", workspace.generate_certifications),
    ("tier checklists", workspace.summarize_checklists),
    ("listings and search documents", market.generate_listings),
    ("subscriptions", market.generate_subscriptions),
    ("reviews and disputes", market.generate_reviews),
]


def generate_world(scale: Scale, report: Callable[[str, float], None] = lambda step, seconds: None) -> World:
    """Builds the world in one transaction (a failed run leaves nothing behind) and reports the
    seconds each step took."""
    world = World(scale=scale, rng=random.Random(scale.seed))
    with transaction.atomic():
        for name, step in STEPS:
            started = time.perf_counter()
            step(world)
            report(name, time.perf_counter() - started)
    return world
