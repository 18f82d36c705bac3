"""Demo data: BigCommerce by Northwind 1.0.0 certified by Red Rook staff (the workflow templates
demo then makes it One-Click), and a version 1.1.0 started from it that no longer declares one
webhook scope, so its certification request waits in the staff queue with the automation's
reason; and NetSuite by Bluebird 1.0.0 certified by staff, which stays Certified. Everything goes
through the portal's actions; each step runs only when its result is missing, so loading the
demo again changes nothing."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from certification.models import CertificationRequest, RequestStatus
from certification.requests import runner, services
from integrations.demo import certified as integration_demo
from integrations.demo import netsuite as netsuite_demo
from integrations.mapping_tests import services as mapping_test_services
from integrations.models import Integration, IntegrationVersion, MappingTestRun, RunStatus
from integrations.workspace import services as workspace_services
from portal.demo import STAFF_GROUP
from portal.models import Organization, User

REVIEWER = "sam@redrook.example.com"
NEW_VERSION = "1.1.0"
DROPPED_SCOPE = "store/customer/updated"
STAFF_PERMISSIONS = (
    "view_certificationrequest",
    "change_certificationrequest",
    "view_workflowtemplate",
    "change_workflowtemplate",
)


def load_demo_data() -> list[tuple[str, str]]:
    integration = Integration.objects.filter(slug=integration_demo.SLUG).first()
    builder = User.objects.filter(email=integration_demo.BUILDER).first()
    reviewer = User.objects.filter(email=REVIEWER).first()
    owner = Organization.objects.filter(slug=integration_demo.OWNER).first()
    with transaction.atomic():
        _load_staff_permissions()
        _certify_netsuite(reviewer)
        if None in (integration, builder, reviewer, owner):
            return []
        certified = integration.versions.get(number="1.0.0")
        _certify(
            certified,
            builder,
            owner,
            reviewer,
            "Customers both ways and the catalog from iPaaS.com, with a test for every flow.",
        )
        new = _start_new_version(certified, builder, owner)
        _request(new, builder, owner)
    return []


def _load_staff_permissions() -> None:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="certification", codename__in=STAFF_PERMISSIONS)
    )


def _checked(request_: CertificationRequest) -> CertificationRequest:
    """The checks' task, done in place (the task queued after commit then finds them done)."""
    runner.run_certification_checks(request_.pk, request_.round)
    request_.refresh_from_db()
    return request_


def _certify_netsuite(reviewer: User | None) -> None:
    """The second integration: Certified by staff, and only Certified."""
    version = IntegrationVersion.objects.filter(integration__slug=netsuite_demo.SLUG, number="1.0.0").first()
    builder = User.objects.filter(email=netsuite_demo.BUILDER).first()
    owner = Organization.objects.filter(slug=netsuite_demo.OWNER).first()
    if None in (version, builder, owner, reviewer):
        return
    _certify(version, builder, owner, reviewer, "NetSuite customers to iPaaS.com, tested on a real-looking record.")


def _certify(version: IntegrationVersion, builder: User, owner: Organization, reviewer: User, message: str) -> None:
    if version.certification_requests.filter(status=RequestStatus.APPROVED).exists():
        return
    request_ = version.certification_requests.filter(status=RequestStatus.SUBMITTED).first()
    request_ = request_ or services.submit_certification_request(
        version, acting_user=builder, acting_organization=owner, message=message
    )
    services.approve_certification_request(
        _checked(request_), acting_user=reviewer, comment="Every check passed; the workflows are well documented."
    )


def _start_new_version(certified: IntegrationVersion, builder: User, owner: Organization) -> IntegrationVersion:
    integration = certified.integration
    new = integration.versions.filter(number=NEW_VERSION).first()
    if new is None:
        new = workspace_services.start_new_version(
            certified,
            number=NEW_VERSION,
            release_notes="Customer updates now arrive with the nightly sync instead of a webhook.",
            acting_user=builder,
        )
        kept = [scope.name for scope in integration.scopes.all() if scope.name != DROPPED_SCOPE]
        workspace_services.update_integration(integration, acting_user=builder, acting_organization=owner, scopes=kept)
    if not new.ready_designated_at:
        workspace_services.designate_ready(new, acting_user=builder, acting_organization=owner)
    if not MappingTestRun.objects.filter(version=new, status=RunStatus.DONE).exists():
        run = mapping_test_services.start_mapping_test_run(new, acting_user=builder)
        mapping_test_services.run_mapping_tests(run.pk)
    return new


def _request(version: IntegrationVersion, builder: User, owner: Organization) -> None:
    if version.certification_requests.exists():
        return
    request_ = services.submit_certification_request(
        version,
        acting_user=builder,
        acting_organization=owner,
        message="Customer updates now come with the nightly sync: the store/customer/updated webhook is gone.",
    )
    _checked(request_)
