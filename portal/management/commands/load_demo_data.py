from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from portal.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo organizations, people and each app's demo data (safe to run again)."

    def handle(self, *args, **options):
        # Each app registers its own loader in settings, so portal never imports the apps above it.
        accounts = []
        for dotted in settings.DEMO_DATA_LOADERS:
            accounts += import_string(dotted)() or []
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000 with:"))
        for email, name in accounts:
            self.stdout.write(f"  {email:<34} {name}")
        self.stdout.write(f"  password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write("  (the staff account must turn on two-factor authentication before using /admin/)")
