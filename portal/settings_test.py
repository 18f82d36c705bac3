"""What pytest loads: the one settings module, with PORTAL_ENV defaulting to test."""

import os

os.environ.setdefault("PORTAL_ENV", "test")

from portal.settings import *  # noqa: E402,F403
