from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect


class PortalAdminSite(admin.AdminSite):
    """Red Rook staff only, and only with two-factor authentication turned on."""

    site_header = "iPaaS.com portal administration"
    site_title = "iPaaS.com admin"
    index_title = "Red Rook staff"

    def has_permission(self, request):
        return super().has_permission(request) and is_mfa_enabled(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not is_mfa_enabled(user):
            messages.warning(request, "Turn on two-factor authentication to use the admin.")
            return redirect("mfa_activate_totp")
        # allauth's login gives the admin the same rate limits and two-factor step as the portal.
        return secure_admin_login(super().login)(request, extra_context)
