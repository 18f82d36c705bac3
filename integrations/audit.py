"""The kinds of audit events the integrations app records, with the words its history pages show.

Registered with the portal's list (portal.audit) by IntegrationsConfig.ready. Each kind's target
is the object named first in its code; `within` is the object whose history shows it too.
"""

from portal.audit import register_kinds

SENTENCES = {
    # registry/: public profiles, applications (within: none), versions and submissions (within:
    # the application)
    "public_profile.updated": "{actor} edited the public profile of {target}",
    "application.created": "{actor} created the application {target} ({to_state})",
    "application.updated": "{actor} edited the application {target}",
    "application_version.added": "{actor} added the version {target} to {within}",
    "application_version.updated": "{actor} edited the version {target} of {within}",
    "application_version.removed": "{actor} removed the version {target} from {within}",
    "version_submission.submitted": "{actor} submitted for review the version {target} of {within}",
    "version_submission.verified": "{actor} verified the submitted version {target} of {within}",
    "version_submission.rejected": "{actor} rejected the submitted version {target} of {within}",
    "application_api_change.recorded": "{actor} recorded the {target} ({to_state}) of {within}",
    # workspace/ and tiers/: integrations, and their versions (within: the integration)
    "integration.created": "{actor} created the integration {target}",
    "integration.updated": "{actor} edited the declarations of {target}",
    "integration.tier_changed": "{target} went from the tier {from_state} to {to_state}",
    "integration_version.created": "{actor} created version {target} of {within}",
    "integration_version.updated": "{actor} edited version {target} of {within}",
    "integration_version.started": "{actor} started version {target} (from {from_state}) of {within}",
    "integration_version.published": "{actor} published version {target} of {within}",
    "integration_version.designated_ready": "{actor} designated as ready version {target} of {within}",
    # associations/ (target: the association, named by the asking organization; within: the integration)
    "association.requested": "{actor} asked for {target} to work on {within}",
    "association.accepted": "{actor} accepted {target} to work on {within}",
    "association.declined": "{actor} declined the request of {target} to work on {within}",
    "association.ended": "{actor} ended the association of {target} with {within}",
    "association.withdrawn": "{actor} withdrew the request of {target} to work on {within}",
    # inbox/ (target: the inbox; within: the integration)
    "inbox.created": "{actor} created the sandbox inbox of {within}",
    "inbox.secret_revealed": "{actor} revealed the signing secret of the sandbox inbox of {within}",
    "inbox.secret_rotated": "{actor} rotated the signing secret of the sandbox inbox of {within}",
    "inbox.event_verified": "A verified test event for {to_state} reached the sandbox inbox of {within}",
    # openapi/ (within: the integration)
    "openapi_import.uploaded": "{actor} uploaded the OpenAPI document {target} to {within}",
    "openapi_import.imported": "{actor} imported the OpenAPI document {target} into {within}",
    "openapi_import.refused": "{actor} refused the OpenAPI document {target} of {within}",
    "openapi_import.failed": "{actor} could not import the OpenAPI document {target} into {within}",
    "foreign_object.accepted": "{actor} accepted the data object {target} of {within}",
    "foreign_object.dropped": "{actor} dropped the data object {target} of {within}",
    "foreign_object.renamed": "{actor} renamed the data object {from_state} to {target} in {within}",
    "foreign_object.merged": "{actor} merged data objects into {target} in {within}",
    # mappings/: links, declared objects and translation tables (within: the integration)
    "foreign_object.linked": "{actor} linked the data object {target} to {to_state} in {within}",
    "foreign_object.declared": "{actor} declared the data object {target} in {within}",
    "foreign_object.removed": "{actor} removed the data object {target} from {within}",
    "webhook_scope.linked": "{actor} linked the webhook scope {target} to {to_state} in {within}",
    "translation_table.saved": "{actor} saved the translation table {target} of {within}",
    "translation_table.deleted": "{actor} deleted the translation table {target} of {within}",
    # mappings/: template mappings (within: the integration version) and their rows (within: the mapping)
    "template_mapping.created": "{actor} created the template mapping {target} in {within}",
    "template_mapping.updated": "{actor} edited the template mapping {target} of {within}",
    "template_mapping.cloned": "{actor} cloned a template mapping as {target} in {within}",
    "template_mapping.reverse_cloned": "{actor} reverse-cloned a template mapping as {target} in {within}",
    "template_mapping.deleted": "{actor} deleted the template mapping {target} from {within}",
    "mapping_row.added": "{actor} added the row {target} to {within}",
    "mapping_row.updated": "{actor} edited the row {target} of {within}",
    "mapping_row.deleted": "{actor} deleted the row {target} from {within}",
    # mapping_tests/: tests (within: the template mapping) and runs (within: the integration version)
    "mapping_test.created": "{actor} added the mapping test {target} to {within}",
    "mapping_test.updated": "{actor} edited the mapping test {target} of {within}",
    "mapping_test.deleted": "{actor} deleted the mapping test {target} from {within}",
    "mapping_test_run.started": "{actor} started a run of the mapping tests of {within}",
    "mapping_test_run.finished": "{actor} ran the mapping tests of {within}",
    "mapping_test_run.failed": "{actor} could not finish a run of the mapping tests of {within}",
    "mapping_test_run.abandoned": "{actor} ended an unfinished run of the mapping tests of {within}",
    # datamodel/: staff changes to the common data model (no organization)
    "data_model.changed": "{actor} changed {target} in the common data model",
    "data_model.removed": "{actor} removed {target} from the common data model",
}


def register() -> None:
    register_kinds(SENTENCES)
