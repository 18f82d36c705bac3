from django.urls import include, path

from certification.requests import views as requests

urlpatterns = [
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/certification/",
        requests.certification_request_create,
        name="certification_request_create",
    ),
    path(
        "integrations/<slug:slug>/certification/<uuid:request_id>/",
        requests.certification_request_detail,
        name="certification_request_detail",
    ),
    path(
        "integrations/<slug:slug>/certification/<uuid:request_id>/status/",
        requests.certification_request_status,
        name="certification_request_status",
    ),
    path(
        "integrations/<slug:slug>/certification/<uuid:request_id>/withdraw/",
        requests.certification_request_withdraw,
        name="certification_request_withdraw",
    ),
    path(
        "integrations/<slug:slug>/certification/<uuid:request_id>/resubmit/",
        requests.certification_request_resubmit,
        name="certification_request_resubmit",
    ),
    path("", include("certification.workflow_templates.urls")),
]
