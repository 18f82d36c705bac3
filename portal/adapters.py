from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

PENDING_INVITATION_KEY = "pending_invitation"


class PortalAccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Someone who opened an invitation link and then signed up or signed in goes back to it.
        token = request.session.pop(PENDING_INVITATION_KEY, None)
        if token:
            return reverse("invitation_detail", args=[token])
        return super().get_login_redirect_url(request)
