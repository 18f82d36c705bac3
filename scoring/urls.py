from django.urls import path

from scoring.versions import views as versions
from scoring.warnings import views as warnings

urlpatterns = [
    path("scoring/versions-behind/", versions.versions_behind_list, name="versions_behind_list"),
    path("scoring/hide-warnings/", warnings.hide_warning_list, name="hide_warning_list"),
]
