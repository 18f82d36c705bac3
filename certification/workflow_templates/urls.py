from django.urls import path

from certification.workflow_templates import views

urlpatterns = [
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/workflow-templates/new/",
        views.workflow_template_submit,
        name="workflow_template_submit",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/workflow-templates/carry-over/",
        views.workflow_template_carry_over,
        name="workflow_template_carry_over",
    ),
    path("integrations/<slug:slug>/workflow-templates/", views.workflow_template_list, name="workflow_template_list"),
    path(
        "integrations/<slug:slug>/workflow-templates/<uuid:template_id>/",
        views.workflow_template_detail,
        name="workflow_template_detail",
    ),
    path(
        "integrations/<slug:slug>/workflow-templates/<uuid:template_id>/definition.json",
        views.workflow_template_definition,
        name="workflow_template_definition",
    ),
]
