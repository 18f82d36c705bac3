from django.urls import path

from integrations import history
from integrations.associations import views as associations
from integrations.datamodel import views as data_model_views
from integrations.inbox import views as inbox
from integrations.mapping_tests import views as mapping_test_views
from integrations.mappings.views import deletion as mapping_deletion_views
from integrations.mappings.views import editor as editor_views
from integrations.mappings.views import formulas as formula_views
from integrations.mappings.views import links as links_views
from integrations.mappings.views import mappings as mapping_views
from integrations.mappings.views import preview as mapping_preview_views
from integrations.mappings.views import tables as tables_views
from integrations.openapi import views as openapi_views
from integrations.registry.views import applications, profiles, public, submissions
from integrations.workspace import views as integration_views

urlpatterns = [
    # Public: readable without signing in.
    path("applications/", public.provider_directory, name="provider_directory"),
    path("applications/<slug:slug>/", public.application_detail, name="application_detail"),
    path("providers/<slug:slug>/", public.provider_detail, name="provider_detail"),
    path("integrators/<slug:slug>/", public.integrator_profile, name="integrator_profile"),
    path("misps/<slug:slug>/", public.misp_profile, name="misp_profile"),
    path("data-model/", data_model_views.data_model_index, name="data_model_index"),
    path("help/formulas/", formula_views.formula_help, name="formula_help"),
    path("help/formulas/try/", formula_views.formula_try, name="formula_try"),
    path("data-model/<slug:key>/", data_model_views.data_model_collection, name="data_model_collection"),
    # The acting organization's own registry pages.
    path("organization/public-profile/", profiles.public_profile_edit, name="public_profile_edit"),
    path("provider/applications/", applications.provider_application_list, name="provider_application_list"),
    path("provider/applications/new/", applications.application_create, name="application_create"),
    path("applications/<slug:slug>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<slug:slug>/versions/new/", applications.version_create, name="version_create"),
    path("applications/<slug:slug>/versions/<uuid:public_id>/edit/", applications.version_edit, name="version_edit"),
    path(
        "applications/<slug:slug>/versions/<uuid:public_id>/remove/",
        applications.version_remove,
        name="version_remove",
    ),
    # The history of each object, for the organization that owns it (integrations.history).
    path("applications/<slug:slug>/history/", history.application_history, name="application_history"),
    path(
        "applications/<slug:slug>/versions/<uuid:public_id>/history/",
        history.version_history,
        name="version_history",
    ),
    path("integrations/<slug:slug>/history/", history.integration_history, name="integration_history"),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/history/",
        history.integration_version_history,
        name="integration_version_history",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/history/",
        history.mapping_collection_history,
        name="mapping_collection_history",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/tests/<uuid:test_id>/history/",
        history.mapping_test_history,
        name="mapping_test_history",
    ),
    path(
        "integrations/<slug:slug>/associations/<uuid:public_id>/history/",
        history.association_history,
        name="association_history",
    ),
    # Anyone signed in: versions an application's list lacks.
    path("applications/<slug:slug>/versions/submit/", submissions.version_submit, name="version_submit"),
    path("version-submissions/", submissions.submission_list, name="submission_list"),
    # Integrations: the acting organization's own and the ones it was granted.
    path("integrations/", integration_views.integration_dashboard, name="integration_dashboard"),
    path("integrations/new/", integration_views.integration_create, name="integration_create"),
    path("integrations/<slug:slug>/", integration_views.integration_detail, name="integration_detail"),
    path("integrations/<slug:slug>/edit/", integration_views.integration_edit, name="integration_edit"),
    path(
        "integrations/<slug:slug>/tier-history/",
        integration_views.integration_tier_history,
        name="integration_tier_history",
    ),
    path(
        "integrations/<slug:slug>/versions/new/",
        integration_views.integration_version_create,
        name="integration_version_create",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/edit/",
        integration_views.integration_version_edit,
        name="integration_version_edit",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/publish/",
        integration_views.integration_version_publish,
        name="integration_version_publish",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/start-new-version/",
        integration_views.integration_version_start,
        name="integration_version_start",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/designate-ready/",
        integration_views.integration_designate_ready,
        name="integration_designate_ready",
    ),
    # A Dynamic integration's OpenAPI document and the foreign data objects it proposes.
    path("integrations/<slug:slug>/openapi/", openapi_views.integration_openapi, name="integration_openapi"),
    path(
        "integrations/<slug:slug>/openapi/<uuid:public_id>/status/",
        openapi_views.integration_openapi_status,
        name="integration_openapi_status",
    ),
    path(
        "integrations/<slug:slug>/openapi/uploads/",
        openapi_views.integration_openapi_imports,
        name="integration_openapi_imports",
    ),
    path("integrations/<slug:slug>/objects/merge/", openapi_views.foreign_objects_merge, name="foreign_objects_merge"),
    path(
        "integrations/<slug:slug>/objects/<uuid:public_id>/",
        openapi_views.foreign_object_update,
        name="foreign_object_update",
    ),
    path(
        "integrations/<slug:slug>/objects/<uuid:public_id>/paths/",
        openapi_views.foreign_object_paths,
        name="foreign_object_paths",
    ),
    # The sandbox inbox: its page, its secret, and the signed endpoint (no session: the signature authenticates).
    path("integrations/<slug:slug>/inbox/", inbox.integration_inbox, name="integration_inbox"),
    path("integrations/<slug:slug>/inbox/create/", inbox.integration_inbox_create, name="integration_inbox_create"),
    path("integrations/<slug:slug>/inbox/secret/", inbox.integration_inbox_secret, name="integration_inbox_secret"),
    path("integrations/<slug:slug>/inbox/rotate/", inbox.integration_inbox_rotate, name="integration_inbox_rotate"),
    path("inbox/<uuid:token>/", inbox.inbox_receive, name="inbox_receive"),
    # Associations: other integrators ask to work on an integration; the owner decides.
    path("integrations/<slug:slug>/associate/", associations.association_request, name="association_request"),
    path(
        "integrations/<slug:slug>/associate/<uuid:public_id>/withdraw/",
        associations.association_withdraw,
        name="association_withdraw",
    ),
    path(
        "integrations/<slug:slug>/associations/",
        associations.integration_associations,
        name="integration_associations",
    ),
    path(
        "integrations/<slug:slug>/associations/<uuid:public_id>/",
        associations.association_decide,
        name="association_decide",
    ),
    # How the integration meets the common data model: links, translation tables, template mappings.
    path("integrations/<slug:slug>/collections/", links_views.integration_collections, name="integration_collections"),
    path(
        "integrations/<slug:slug>/collections/objects/<uuid:public_id>/",
        links_views.foreign_object_link,
        name="foreign_object_link",
    ),
    path(
        "integrations/<slug:slug>/collections/objects/declare/",
        links_views.foreign_object_declare,
        name="foreign_object_declare",
    ),
    path(
        "integrations/<slug:slug>/collections/objects/<uuid:public_id>/remove/",
        mapping_deletion_views.foreign_object_remove_confirm,
        name="foreign_object_remove_confirm",
    ),
    path(
        "integrations/<slug:slug>/collections/objects/<uuid:public_id>/remove/confirmed/",
        mapping_deletion_views.foreign_object_remove,
        name="foreign_object_remove",
    ),
    path(
        "integrations/<slug:slug>/collections/scopes/<int:scope_id>/",
        links_views.scope_link,
        name="scope_link",
    ),
    path(
        "integrations/<slug:slug>/translation-tables/",
        tables_views.translation_table_list,
        name="translation_table_list",
    ),
    path(
        "integrations/<slug:slug>/translation-tables/<uuid:public_id>/",
        tables_views.translation_table_edit,
        name="translation_table_edit",
    ),
    path(
        "integrations/<slug:slug>/translation-tables/<uuid:public_id>/delete/",
        mapping_deletion_views.translation_table_delete_confirm,
        name="translation_table_delete_confirm",
    ),
    path(
        "integrations/<slug:slug>/translation-tables/<uuid:public_id>/delete/confirmed/",
        mapping_deletion_views.translation_table_delete,
        name="translation_table_delete",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/",
        mapping_views.mapping_collection_list,
        name="mapping_collection_list",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/new/",
        mapping_views.mapping_collection_create,
        name="mapping_collection_create",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/",
        editor_views.mapping_collection_detail,
        name="mapping_collection_detail",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/edit/",
        mapping_views.mapping_collection_edit,
        name="mapping_collection_edit",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/delete/",
        mapping_deletion_views.mapping_collection_delete_confirm,
        name="mapping_collection_delete_confirm",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/delete/confirmed/",
        mapping_deletion_views.mapping_collection_delete,
        name="mapping_collection_delete",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/clone/",
        editor_views.mapping_collection_clone,
        name="mapping_collection_clone",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/rows/",
        editor_views.mapping_row_create,
        name="mapping_row_create",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/rows/fields/",
        editor_views.mapping_row_fields,
        name="mapping_row_fields",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/rows/<uuid:row_id>/",
        editor_views.mapping_row_update,
        name="mapping_row_update",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/rows/<uuid:row_id>/delete/",
        editor_views.mapping_row_delete,
        name="mapping_row_delete",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/preview/",
        mapping_preview_views.mapping_preview,
        name="mapping_preview",
    ),
    # Mapping tests: added on the template mapping editor, run per version.
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/tests/",
        mapping_test_views.mapping_test_create,
        name="mapping_test_create",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/tests/<uuid:test_id>/edit/",
        mapping_test_views.mapping_test_edit,
        name="mapping_test_edit",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/mappings/<uuid:mapping_id>/tests/<uuid:test_id>/delete/",
        mapping_test_views.mapping_test_delete,
        name="mapping_test_delete",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/tests/",
        mapping_test_views.mapping_test_runs,
        name="mapping_test_runs",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/tests/run/",
        mapping_test_views.mapping_test_run_start,
        name="mapping_test_run_start",
    ),
    path(
        "integrations/<slug:slug>/versions/<uuid:public_id>/tests/runs/<uuid:run_id>/status/",
        mapping_test_views.mapping_test_run_status,
        name="mapping_test_run_status",
    ),
]
