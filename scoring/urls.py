from django.urls import path

from scoring.warnings import views as warnings

urlpatterns = [
    path("scoring/hide-warnings/", warnings.hide_warning_list, name="hide_warning_list"),
]
