"""The sandbox inbox: its page (URL, scopes, snippets, every delivery), the owner's actions on it
(create it, reveal or rotate the signing secret, both after re-authentication) and the signed
machine endpoint third-party systems POST test events to."""

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from integrations.access import get_integration_for_owner, get_integration_for_work
from integrations.inbox import deliveries
from integrations.inbox import services as inbox_services
from integrations.inbox import snippets as inbox_snippets
from integrations.inbox.forms import OUT_OF_DATE, RotateSecretForm
from integrations.inbox.webhooks import MAX_BODY_BYTES, InboxRefused
from integrations.models import Inbox, RefusalReason
from portal.services import ActionRefused
from portal.tenancy import organization_required

BODY_SHOWN_CHARS = 2000


def inbox_url(inbox: Inbox) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("inbox_receive", args=[inbox.token])


def _shown_body(delivery) -> str:
    """A complete JSON body indented for reading; anything else as it came."""
    if not delivery.body_truncated:
        try:
            return json.dumps(json.loads(delivery.body), indent=2, ensure_ascii=False)[:BODY_SHOWN_CHARS]
        except ValueError:
            pass
    return delivery.body[:BODY_SHOWN_CHARS]


def _render_inbox(request, integration, *, secret: str | None = None):
    """The inbox page; with ``secret``, the answer to a reveal or a rotation, which shows it in
    the page and in the snippets and is never stored by a browser or a proxy."""
    inbox = Inbox.objects.filter(integration=integration).first()
    scopes = list(integration.scopes.all())
    page = Paginator(integration.inbox_deliveries.select_related("event"), deliveries.DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "integration": integration,
        "inbox": inbox,
        "secret": secret,
        "scopes": scopes,
        "page": page,
        "deliveries": [(delivery, _shown_body(delivery)) for delivery in page],
        "refused_kept_days": deliveries.REFUSED_KEPT_DAYS,
        "is_owner": integration.owner_id == request.organization.pk,
        "rotate_form": RotateSecretForm(initial={"rotated_at": inbox.rotated_at.isoformat()}) if inbox else None,
    }
    if inbox:
        url = inbox_url(inbox)
        context |= {
            "inbox_url": url,
            "secret_last4": inbox.secret[-4:],
            "previous_secret_in_force": len(inbox.secrets_in_force()) > 1,
            "snippets": inbox_snippets.snippets_per_scope(url, [scope.name for scope in scopes], secret),
        }
    response = render(request, "integrations/inbox/inbox_detail.html", context)
    if secret:
        add_never_cache_headers(response)  # Cache-Control: no-store, among others
    return response


@require_GET
@organization_required
def integration_inbox(request, slug):
    """Only reads: the inbox is made by an action, and the secret is shown only by a POST."""
    integration = get_integration_for_work(request, slug)
    return _render_inbox(request, integration)


@require_POST
@organization_required
def integration_inbox_create(request, slug):
    integration = get_integration_for_owner(request, slug)
    inbox_services.create_inbox(integration, acting_user=request.user)
    messages.success(request, "The sandbox inbox is ready. Reveal its signing secret to set up the sender.")
    return redirect("integration_inbox", slug=integration.slug)


# The secret is the owner's, as access.get_integration_for_owner says of secrets: an associated
# integrator gets 403. Its grant can be ended at any time, but a secret once seen stays known
# until it is rotated, so the owner hands it on deliberately if at all. The access check runs
# before re-authentication, so another organization gets its 404 at once, not a password prompt.


@require_POST
@organization_required
def integration_inbox_secret(request, slug):
    integration = get_integration_for_owner(request, slug)
    return _reveal_secret(request, integration)


@reauthentication_required
def _reveal_secret(request, integration):
    try:
        secret = inbox_services.reveal_inbox_secret(integration, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("integration_inbox", slug=integration.slug)
    return _render_inbox(request, integration, secret=secret)


@require_POST
@organization_required
def integration_inbox_rotate(request, slug):
    integration = get_integration_for_owner(request, slug)
    return _rotate_secret(request, integration)


@reauthentication_required
def _rotate_secret(request, integration):
    form = RotateSecretForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused(OUT_OF_DATE)
        secret = inbox_services.rotate_inbox_secret(
            integration, acting_user=request.user, rotated_at=form.cleaned_data["rotated_at"]
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("integration_inbox", slug=integration.slug)
    messages.success(
        request,
        f"The inbox has a new signing secret. The previous one is still accepted for "
        f"{settings.INBOX_SECRET_GRACE_HOURS} hours.",
    )
    return _render_inbox(request, integration, secret=secret)


def _refusal(refused: InboxRefused) -> JsonResponse:
    response = JsonResponse({"error": refused.reason}, status=refused.status)
    if isinstance(refused, inbox_services.RateLimited):
        response["Retry-After"] = str(refused.retry_after)
    return response


def _announced_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError as exc:
        raise InboxRefused(400, "Content-Length is not a number") from exc


def _read_body(request) -> bytes:
    """At most MAX_BODY_BYTES + 1 (one more says it is too large), and nothing when
    Content-Length already says so."""
    if _announced_length(request) > MAX_BODY_BYTES:
        raise InboxRefused(413, f"body larger than {MAX_BODY_BYTES // 1024} KB", RefusalReason.TOO_LARGE)
    return request.read(MAX_BODY_BYTES + 1)


@login_not_required
@csrf_exempt  # a machine endpoint with no session: the Standard Webhooks signature authenticates each request
def inbox_receive(request, token):
    if request.method != "POST":
        response = JsonResponse({"error": "send test events with POST"}, status=405)
        response["Allow"] = "POST"
        return response
    inbox = Inbox.objects.select_related("integration__owner").filter(token=token).first()
    if inbox is None:
        return JsonResponse({"error": "no such inbox"}, status=404)
    body = b""
    try:
        inbox_services.check_rate_limit(inbox)
        body = _read_body(request)
        event = inbox_services.receive_test_event(inbox, body, request.headers)
    except InboxRefused as refused:
        size = len(body) if body else _announced_length_or_zero(request)
        deliveries.record_refusal(inbox, refused, headers=request.headers, body=body, size=size)
        return _refusal(refused)
    return JsonResponse({"status": "verified", "scope": event.scope}, status=202)


def _announced_length_or_zero(request) -> int:
    try:
        return _announced_length(request)
    except InboxRefused:
        return 0
