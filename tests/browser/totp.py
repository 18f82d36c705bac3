"""TOTP codes for browser sign-ins that the server cannot refuse by bad timing.

allauth accepts a code only in the 30 s period it belongs to (no tolerance) and refuses a code
used before in its period. A code computed before the code page has loaded, or in the last
moment of a period, may reach the server in the next period; a second sign-in in the same period
would send the same code again. So the code is computed once the field is on the page, from a
period with enough time left, and never from a period whose code this process already sent.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Locator, expect

# Seconds a period must still have when its code is typed: the form's round trip under load.
MARGIN = 8
_sent: set[tuple[str, int]] = set()


def fresh_code(secret: str, *, clock=time.time, sleep=time.sleep) -> str:
    """The code of the current period, waiting for the next one when too little of this one is
    left or when its code was already sent."""
    period = app_settings.TOTP_PERIOD
    while True:
        now = clock()
        counter = int(now // period)
        left = (counter + 1) * period - now
        if left >= MARGIN and (secret, counter) not in _sent:
            _sent.add((secret, counter))
            return format_hotp_value(hotp_value(secret, counter))
        sleep(left + 0.1)


def type_code(field: Locator, secret: str) -> None:
    """Fills the code field once it is shown, with a code fresh at that moment."""
    expect(field).to_be_visible()
    field.fill(fresh_code(secret))
