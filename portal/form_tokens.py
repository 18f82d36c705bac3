"""One-time tokens on the forms that create something.

A create form carries a hidden `form_token` (`{% form_token %}`, portal_forms tags). The view,
wrapped in `@once_per_form_token`, claims the token in the transaction it creates in: the first
submission that creates something (answers with a redirect) keeps the claim and where it led;
the same form sent again, at once or later, is led there too instead of creating twice. A
second submission arriving while the first is still running waits on the token's unique index
until the first commits. A submission that created nothing (the form shown again with its
errors) gives the token back, so the corrected form can be sent.
"""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from portal.models import UsedFormToken

FIELD = "form_token"
KEPT_FOR = timedelta(days=2)
ALREADY_SENT = "This form was already sent: here is what it created."


def submitted_token(request) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def once_per_form_token(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = submitted_token(request)
        if token is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = UsedFormToken.objects.create(user=request.user, token=token)
            except IntegrityError:
                return _already_sent(request, token)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                claim.result_url = response["Location"][:500]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
        return response

    return wrapper


def _already_sent(request, token: uuid.UUID):
    claim = UsedFormToken.objects.filter(user=request.user, token=token).first()
    messages.info(request, ALREADY_SENT)
    return redirect(claim.result_url if claim and claim.result_url else request.path)


def forget_old_tokens() -> None:
    """The job sweep's part for tokens: nobody resubmits a form days later."""
    UsedFormToken.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
