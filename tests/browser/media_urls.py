"""The portal's URLs plus uploaded files, for browser tests: the live server runs with DEBUG off,
where portal.urls serves no media (production leaves that to S3 or the web server)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from django.views.static import serve

from portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*portal_urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]
