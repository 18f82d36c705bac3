"""The sandbox inbox: its page (URL, secret, scopes, recent events, snippets) and the signed
machine endpoint third-party systems POST test events to."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from integrations.access import get_integration_for_owner, get_integration_for_work
from integrations.inbox import services as inbox_services
from integrations.inbox import snippets as inbox_snippets
from integrations.inbox.webhooks import MAX_BODY_BYTES, InboxRefused
from integrations.models import Inbox
from portal.tenancy import organization_required

BODY_SHOWN_CHARS = 2000


def _secret_key(integration) -> str:
    return f"inbox-secret:{integration.public_id}"


def inbox_url(inbox: Inbox) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("inbox_receive", args=[inbox.token])


def _shown_event(event) -> dict:
    body = json.dumps(event.body, indent=2, ensure_ascii=False)
    truncated = len(body) > BODY_SHOWN_CHARS
    return {"event": event, "body": body[:BODY_SHOWN_CHARS], "truncated": truncated}


@require_GET
@organization_required
def integration_inbox(request, slug):
    integration = get_integration_for_work(request, slug)
    opened = inbox_services.open_inbox(integration, acting_user=request.user)
    inbox = opened.inbox
    secret = opened.new_secret or request.session.pop(_secret_key(integration), None)
    scopes = list(integration.scopes.all())
    url = inbox_url(inbox)
    example = next((scope for scope in scopes if not scope.is_seen), scopes[0] if scopes else None)
    context = {
        "integration": integration,
        "inbox": inbox,
        "inbox_url": url,
        "secret": secret,
        "secret_last4": inbox.secret[-4:],
        "previous_secret_in_force": len(inbox.secrets_in_force()) > 1,
        "scopes": scopes,
        "example_scope": example,
        "events": [_shown_event(event) for event in integration.inbox_events.all()[: inbox_services.EVENTS_KEPT]],
        "is_owner": integration.owner_id == request.organization.pk,
    }
    if example:
        context["curl_snippet"] = inbox_snippets.curl_snippet(url, example.name, secret)
        context["python_snippet"] = inbox_snippets.python_snippet(url, example.name, secret)
    return render(request, "integrations/inbox/inbox_detail.html", context)


@require_POST
@organization_required
def integration_inbox_rotate(request, slug):
    integration = get_integration_for_owner(request, slug)
    request.session[_secret_key(integration)] = inbox_services.rotate_inbox_secret(
        integration, acting_user=request.user
    )
    messages.success(
        request,
        f"The inbox has a new signing secret. The previous one is still accepted for "
        f"{settings.INBOX_SECRET_GRACE_HOURS} hours.",
    )
    return redirect("integration_inbox", slug=integration.slug)


def _refusal(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


def _read_body(request) -> bytes:
    """At most MAX_BODY_BYTES, judged from Content-Length before reading and on what was read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise InboxRefused(400, "Content-Length is not a number") from exc
    if declared > MAX_BODY_BYTES:
        raise InboxRefused(413, f"body larger than {MAX_BODY_BYTES // 1024} KB")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise InboxRefused(413, f"body larger than {MAX_BODY_BYTES // 1024} KB")
    return body


@login_not_required
@csrf_exempt  # a machine endpoint with no session: the Standard Webhooks signature authenticates each request
def inbox_receive(request, token):
    if request.method != "POST":
        response = _refusal(405, "send test events with POST")
        response["Allow"] = "POST"
        return response
    inbox = Inbox.objects.select_related("integration__owner").filter(token=token).first()
    if inbox is None:
        return _refusal(404, "no such inbox")
    try:
        inbox_services.check_rate_limit(inbox)
        event = inbox_services.receive_test_event(inbox, _read_body(request), request.headers)
    except inbox_services.RateLimited as limited:
        response = _refusal(limited.status, limited.reason)
        response["Retry-After"] = str(limited.retry_after)
        return response
    except InboxRefused as refused:
        return _refusal(refused.status, refused.reason)
    return JsonResponse({"status": "verified", "scope": event.scope}, status=202)
