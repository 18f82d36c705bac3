"""Signed invitation links: the token carries the invitation's id and its signing time."""

from django.conf import settings
from django.core import signing

SALT = "portal.invitation"


class InvitationLinkInvalid(Exception):
    """The link was forged or mangled."""


class InvitationLinkExpired(Exception):
    """The link was genuine but is older than INVITATION_MAX_AGE_DAYS."""


def invitation_token(invitation) -> str:
    signer = signing.TimestampSigner(salt=SALT)
    # Re-sending an invitation moves sent_at, so old links carry an older time and expire first.
    return signer.sign_object({"id": str(invitation.public_id), "sent": invitation.sent_at.timestamp()})


def read_invitation_token(token: str) -> dict:
    signer = signing.TimestampSigner(salt=SALT)
    try:
        return signer.unsign_object(token, max_age=settings.INVITATION_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise InvitationLinkExpired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvitationLinkInvalid from exc
