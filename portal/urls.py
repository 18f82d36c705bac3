from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.static import serve

from portal.views import health, history, home, invitations, members, organizations

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path("organizations/switch/", organizations.organization_switch, name="organization_switch"),
    path("organization/settings/", organizations.organization_settings, name="organization_settings"),
    path("organization/activity/", organizations.organization_activity, name="organization_activity"),
    path("organization/getting-started/", organizations.getting_started, name="getting_started"),
    path("organization/members/", members.member_list, name="member_list"),
    path("organization/members/invite/", members.member_invite, name="member_invite"),
    path("organization/members/<uuid:public_id>/role/", members.member_role, name="member_role"),
    path("organization/members/<uuid:public_id>/remove/", members.member_remove, name="member_remove"),
    path("organization/members/<uuid:public_id>/history/", history.member_history, name="member_history"),
    path("organization/leave/", members.organization_leave, name="organization_leave"),
    path("organization/invitations/<uuid:public_id>/resend/", members.invitation_resend, name="invitation_resend"),
    path("organization/invitations/<uuid:public_id>/revoke/", members.invitation_revoke, name="invitation_revoke"),
    path("organization/invitations/<uuid:public_id>/history/", history.invitation_history, name="invitation_history"),
    path("invitations/<str:token>/", invitations.invitation_detail, name="invitation_detail"),
    path("invitations/<str:token>/accept/", invitations.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/decline/", invitations.invitation_decline, name="invitation_decline"),
    # The domain apps, included by dotted string: portal imports none of them.
    path("", include("integrations.urls")),
    path("", include("certification.urls")),
    path("", include("marketplace.urls")),
    path("", include("scoring.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Uploaded logos under `make run`; in production S3 or the web server serves MEDIA_URL.
    urlpatterns += static(settings.MEDIA_URL, view=login_not_required(serve), document_root=settings.MEDIA_ROOT)
