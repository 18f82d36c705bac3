import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from marketplace.scale.generate import generate_world
from marketplace.scale.reset import delete_world, world_exists
from marketplace.scale.world import Scale


class Command(BaseCommand):
    help = (
        "Generate a large world (organizations, applications, integrations at every tier, listings, "
        "subscriptions, reviews) with bulk inserts, to measure the pages at scale. For PostgreSQL; "
        "scale it down with the count options."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        for name in ("applications", "app_versions", "integrations", "subscriptions", "reviews"):
            parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name))
        for name in ("providers", "integrators", "customers"):
            parser.add_argument(f"--{name}", type=int, default=0, help="Default: in proportion to the rest.")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--reset", action="store_true", help="Delete a world generated earlier first.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stderr.write(self.style.WARNING("Not PostgreSQL: fine for a small world, slow at scale."))
        names = ("applications", "app_versions", "integrations", "subscriptions", "reviews")
        try:
            scale = Scale(**{name: options[name] for name in (*names, "providers", "integrators", "customers", "seed")})
        except ValueError as error:
            raise CommandError(str(error)) from error
        if world_exists():
            if not options["reset"]:
                raise CommandError("This database already has a generated world: add --reset to replace it.")
            started = time.perf_counter()
            delete_world()
            self.stdout.write(f"{'deleted the earlier world':<34} {time.perf_counter() - started:8.1f} s")
        started = time.perf_counter()
        generate_world(scale, report=lambda step, seconds: self.stdout.write(f"{step:<34} {seconds:8.1f} s"))
        self.stdout.write(self.style.SUCCESS(f"{'generated in':<34} {time.perf_counter() - started:8.1f} s"))
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and the visibility map index-only scans need
            # (VACUUM only outside a transaction: called from one, as tests do, ANALYZE alone).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
