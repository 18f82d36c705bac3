"""The browser tests' TOTP codes are never sent too late in their period nor twice."""

from allauth.mfa.totp.internal.auth import format_hotp_value, generate_totp_secret, hotp_value, validate_totp_code

from tests.browser.totp import MARGIN, fresh_code


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_code_late_in_its_period_waits_for_the_next_period():
    secret = generate_totp_secret()
    clock = FakeClock(30 * 1000 + 30 - MARGIN + 1)  # MARGIN - 1 seconds left
    code = fresh_code(secret, clock=clock, sleep=clock.sleep)
    assert clock.slept, "it did not wait"
    assert code == format_hotp_value(hotp_value(secret, 1001))


def test_a_code_early_in_its_period_is_given_at_once():
    secret = generate_totp_secret()
    clock = FakeClock(30 * 2000 + 2)
    assert fresh_code(secret, clock=clock, sleep=clock.sleep) == format_hotp_value(hotp_value(secret, 2000))
    assert clock.slept == []


def test_a_second_sign_in_in_the_same_period_waits_for_a_new_code():
    secret = generate_totp_secret()
    clock = FakeClock(30 * 3000 + 1)
    first = fresh_code(secret, clock=clock, sleep=clock.sleep)
    second = fresh_code(secret, clock=clock, sleep=clock.sleep)
    assert clock.now >= 30 * 3001
    assert second == format_hotp_value(hotp_value(secret, 3001)) != first


def test_the_code_given_now_is_one_the_server_accepts():
    secret = generate_totp_secret()
    assert validate_totp_code(secret, fresh_code(secret))
