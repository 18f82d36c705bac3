"""Demo data: BigCommerce by Northwind made One-Click. Its version 1.0.0 (fully mapped and tested
by the integrations demo) is certified through a certification request whose automated checks
really run and which the demo's Red Rook staff member approves; the demo MiSP then submits a
workflow template for it, which staff approve. Everything goes through the actions, and each step
runs only when its result is missing, so loading the demo again changes nothing."""

from django.db import transaction

from certification.requests import runner
from certification.requests import services as certification_services
from certification.requests.models import CertificationRequest, RequestStatus
from certification.workflow_templates import services
from certification.workflow_templates.definition import from_document
from certification.workflow_templates.models import WorkflowTemplate
from integrations.models import IntegrationVersion
from portal.models import Organization, User

SLUG = "bigcommerce-by-northwind"
BUILDER, OWNER = "alice@northwind.example.com", "northwind-integrations"
MISP_USER, MISP = "misty@summit.example.com", "summit-misp"
STAFF = "sam@redrook.example.com"

TEMPLATE = {
    "name": "Storefront sign-ups to the ERP",
    "description": "Every shopper who creates an account in the BigCommerce store reaches iPaaS.com within "
    "a minute, with the customer group as the iPaaS.com category, ready for the ERP to pick up.",
    "setup_notes": "Subscribe the store to store/customer/created in BigCommerce's webhook settings, then "
    "check the customer groups in the “BigCommerce customer groups” translation table match the store's.",
    "definition": {
        "trigger": {"type": "webhook", "scope": "store/customer/created"},
        "steps": [{"collection": "customer", "direction": "to_ipaas", "mapping": "BigCommerce Customer ADD TO IPAAS"}],
    },
}


def load_demo_data() -> list[tuple[str, str]]:
    people = {email: User.objects.filter(email=email).first() for email in (BUILDER, MISP_USER, STAFF)}
    owner, misp = (Organization.objects.filter(slug=slug).first() for slug in (OWNER, MISP))
    version = IntegrationVersion.objects.filter(integration__slug=SLUG, number="1.0.0").first()
    if None in (*people.values(), owner, misp, version):
        return []
    with transaction.atomic():
        _certify(version, people[BUILDER], owner, people[STAFF])
        version.refresh_from_db()
        _approve_template(version, people[MISP_USER], misp, people[STAFF])
    return []


def _certify(version: IntegrationVersion, builder: User, owner: Organization, staff: User) -> None:
    if CertificationRequest.objects.filter(version=version, status=RequestStatus.APPROVED).exists():
        return
    request_ = CertificationRequest.objects.filter(version=version).open().first()
    if request_ is None:
        request_ = certification_services.submit_certification_request(
            version, acting_user=builder, acting_organization=owner, message="Customers both ways, products out."
        )
    runner.run_certification_checks(request_.pk, request_.round)  # the task's work, in place
    request_.refresh_from_db()
    if request_.status == RequestStatus.SUBMITTED:
        certification_services.approve_certification_request(
            request_, acting_user=staff, comment="Mappings, tests and scopes checked."
        )


def _approve_template(version: IntegrationVersion, misp_user: User, misp: Organization, staff: User) -> None:
    if WorkflowTemplate.objects.approved().filter(version=version, name=TEMPLATE["name"]).exists():
        return
    template = WorkflowTemplate.objects.waiting().filter(version=version, name=TEMPLATE["name"]).first()
    if template is None:
        fields = services.TemplateFields(
            TEMPLATE["name"],
            TEMPLATE["description"],
            TEMPLATE["setup_notes"],
            from_document(TEMPLATE["definition"]),
        )
        template = services.submit_workflow_template(
            version, acting_user=misp_user, acting_organization=misp, fields=fields
        )
    services.approve_workflow_template(template, acting_user=staff, comment="Clear steps and setup notes.")
