"""The kinds of audit events the certification app records, registered with the portal's list
(portal.audit) by CertificationConfig.ready. Both kinds of object are within the integration
version they are for, whose history shows them."""

from portal.audit import register_kinds

SENTENCES = {
    # target: the request
    "certification_request.submitted": "{actor} requested certification of {within}",
    "certification_request.changes_requested": "{actor} asked for changes to the certification request of {within}",
    "certification_request.approved": "{actor} approved the certification request of {within}",
    "certification_request.rejected": "{actor} rejected the certification request of {within}",
    "certification_request.withdrawn": "{actor} withdrew the certification request of {within}",
    # target: the workflow template, by its name
    "workflow_template.submitted": "{actor} submitted the workflow template {target} for {within}",
    "workflow_template.approved": "{actor} approved the workflow template {target} for {within}",
    "workflow_template.rejected": "{actor} rejected the workflow template {target} for {within}",
}


def register() -> None:
    register_kinds(SENTENCES)
