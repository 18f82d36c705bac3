import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control

from portal.tenancy import resolve_acting_membership

SESSION_STARTED_KEY = "portal_session_started"
SESSION_SEEN_KEY = "portal_session_seen"
# Writing the idle clock at most once a minute keeps most requests from saving the session.
SEEN_RESOLUTION = 60


def start_session_clock(request) -> None:
    now = int(time.time())
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now


class ResponseHeadersMiddleware:
    """What no view should have to remember: a page built for a signed-in person is never kept
    by a browser's or a proxy's cache (public pages keep their own Cache-Control), and the
    browser features the portal never uses are turned off for it and anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


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


class ActingOrganizationMiddleware:
    """Sets request.organization and request.membership from the signed-in person's own
    memberships, on every request, so losing a membership takes effect at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships, request.membership = resolve_acting_membership(request)
        request.organization = request.membership.organization if request.membership else None
        return self.get_response(request)
