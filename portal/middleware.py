import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware

from portal.tenancy import resolve_acting_membership

SESSION_STARTED_KEY = "portal_session_started"
SESSION_SEEN_KEY = "portal_session_seen"
# Writing the idle clock at most once a minute keeps most requests from saving the session.
SEEN_RESOLUTION = 60


def start_session_clock(request) -> None:
    now = int(time.time())
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now


class SessionLifetimeMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT without a request, and in any case
    SESSION_ABSOLUTE_TIMEOUT after signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY, now)
            seen = request.session.get(SESSION_SEEN_KEY, now)
            if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, "Your session ended. Please sign in again.")
            else:
                request.session.setdefault(SESSION_STARTED_KEY, started)
                if now - seen >= SEEN_RESOLUTION or SESSION_SEEN_KEY not in request.session:
                    request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Deny by default. Public views are marked with @login_not_required; allauth's views do not
    carry that mark, so the ones a signed-out person needs are listed here by URL name."""

    PUBLIC_URL_NAMES = frozenset(
        {
            "account_login",
            "account_signup",
            "account_confirm_email",
            "account_email_verification_sent",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "account_inactive",
            "mfa_authenticate",
        }
    )

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in self.PUBLIC_URL_NAMES:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ActingOrganizationMiddleware:
    """Sets request.organization and request.membership from the signed-in person's own
    memberships, on every request, so losing a membership takes effect at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships, request.membership = resolve_acting_membership(request)
        request.organization = request.membership.organization if request.membership else None
        return self.get_response(request)
