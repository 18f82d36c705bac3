"""Signed invitation links. The token carries the invitation's id and the time it was sent;
re-sending moves that time, so an older link no longer matches and stops working."""

import time

from django.conf import settings
from django.core import signing

SALT = "portal.invitation"


class InvitationLinkInvalid(Exception):
    """The link was forged, mangled or replaced by a newer one."""


class InvitationLinkExpired(Exception):
    """The link was genuine but is older than INVITATION_MAX_AGE_DAYS."""


def invitation_token(invitation) -> str:
    payload = {"id": str(invitation.public_id), "sent": round(invitation.sent_at.timestamp(), 3)}
    return signing.Signer(salt=SALT).sign_object(payload)


def read_invitation_token(token: str) -> dict:
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        sent = float(data["sent"])
        str(data["id"])
    except (signing.BadSignature, ValueError, TypeError, KeyError) as exc:
        raise InvitationLinkInvalid from exc
    if time.time() - sent > settings.INVITATION_MAX_AGE_DAYS * 86400:
        raise InvitationLinkExpired
    return data
