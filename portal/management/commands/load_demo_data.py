from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "Load the demo organizations and people (safe to run again)."

    def handle(self, *args, **options):
        accounts = load_demo_data()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000 with:"))
        for email, name in accounts:
            self.stdout.write(f"  {email:<34} {name}")
        self.stdout.write(f"  password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write("  (the staff account must turn on two-factor authentication before using /admin/)")
