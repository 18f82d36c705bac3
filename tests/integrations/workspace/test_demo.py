"""`make run`'s demo registry: the seed's examples, with logos, and loading it twice changes nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command

from integrations.models import (
    Application,
    ApplicationVersion,
    ForeignObjectLink,
    Inbox,
    InboxEvent,
    Integration,
    IntegrationVersion,
    MappingTest,
    MappingTestResult,
    MappingTestRun,
    OpenAPIImport,
    ScopeLink,
    TemplateMapping,
    TemplateMappingRow,
    TierChange,
    TranslationTable,
    VersionSubmission,
    WebhookScope,
)
from portal.models import AuditEvent, Organization

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "organizations": list(Organization.objects.order_by("slug").values()),
        "applications": list(Application.objects.order_by("slug").values()),
        "versions": list(ApplicationVersion.objects.order_by("pk").values()),
        "submissions": list(VersionSubmission.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
        "staff_groups": sorted(Group.objects.values_list("name", "user__email")),
        "staff_permissions": Group.objects.get(name="Red Rook staff").permissions.count(),
        "files": sorted(default_storage.listdir("organizations")[1] + default_storage.listdir("applications")[1]),
        "integrations": list(Integration.objects.order_by("slug").values()),
        "integration_rows": [
            model.objects.count() for model in (IntegrationVersion, OpenAPIImport, InboxEvent, TierChange, WebhookScope)
        ],
        "mapping_rows": [
            model.objects.count()
            for model in (
                Inbox,
                ForeignObjectLink,
                ScopeLink,
                TranslationTable,
                TemplateMapping,
                TemplateMappingRow,
                MappingTest,
                MappingTestRun,
                MappingTestResult,
            )
        ],
        "scopes_seen": list(WebhookScope.objects.order_by("pk").values_list("first_seen_at", flat=True)),
    }


def test_the_demo_registry_has_the_seeds_examples_with_the_newest_marked_latest():
    call_command("load_demo_data", stdout=io.StringIO())
    magento = Application.objects.get(provider__slug="adobe", name="Magento")
    assert [v.label for v in magento.versions.all()] == ["Open Source 2.5.x", "Open Source 2.4.x", "Open Source 2.3.x"]
    assert magento.latest_version().label == "Open Source 2.5.x"
    bigcommerce = Application.objects.get(provider__slug="bigcommerce", name="BigCommerce")
    assert set(bigcommerce.versions.values_list("label", flat=True)) == {
        "Customer API v2",
        "Customer API v3",
        "Transactions API v2",
    }
    for owner in [*Application.objects.all(), *Organization.objects.filter(slug__in=["adobe", "bigcommerce"])]:
        assert owner.logo and default_storage.exists(owner.logo.name), owner
        assert owner.description, owner
    assert all(application.is_published for application in Application.objects.all())
    assert VersionSubmission.objects.filter(status="pending").count() == 1


def test_loading_the_demo_data_twice_changes_nothing():
    call_command("load_demo_data", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == first


def test_the_demo_staff_member_can_work_the_submission_queue(django_capture_on_commit_callbacks):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.urls import reverse

    from portal.models import User
    from tests.conftest import client_for

    call_command("load_demo_data", stdout=io.StringIO())
    sam = User.objects.get(email="sam@redrook.example.com")
    assert not sam.is_superuser
    TOTP.activate(sam, generate_totp_secret())
    queue = reverse("admin:integrations_versionsubmission_changelist")
    client = client_for(sam)
    assert "Catalog API v3" in client.get(queue).content.decode()
    submission = VersionSubmission.objects.get(label="Catalog API v3")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(queue, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [submission.pk]})
    submission.refresh_from_db()
    assert submission.status == "verified"


def test_the_demo_has_integrations_at_compatible_and_at_ready_with_real_tiers():
    from integrations.models import Tier
    from integrations.tiers import engine as tiers

    call_command("load_demo_data", stdout=io.StringIO())
    magento = Integration.objects.get(slug="magento-by-northwind")
    shopify = Integration.objects.get(slug="shopify-by-bluebird")
    assert (magento.tier, shopify.tier) == (Tier.COMPATIBLE, Tier.READY)
    for integration in (magento, shopify):
        shown = tiers.shown_version(integration)
        assert tiers.reached_tier(tiers.evaluate(shown)) == integration.tier
        assert integration.tier_changes.get().cause == "demo data"
    current = magento.openapi_imports.get()
    assert current.is_valid_openapi2 and current.analysis["errors"] == []
    assert default_storage.exists(current.document.name)
    assert magento.foreign_objects.count() == 2


def test_the_demo_has_a_fully_mapped_and_tested_integration_that_waits_only_for_its_approval(settings):
    # This app's demo alone: the certification app's demo then approves it.
    settings.DEMO_DATA_LOADERS = [
        loader for loader in settings.DEMO_DATA_LOADERS if loader.startswith(("portal", "integrations"))
    ]
    from integrations.mapping_tests import selectors as mapping_test_selectors
    from integrations.models import Tier
    from integrations.tiers import certified as certified_rules
    from integrations.tiers import engine as tiers

    # The integrations app's demo alone: the certification app's loaders go on to certify it.
    settings.DEMO_DATA_LOADERS = [d for d in settings.DEMO_DATA_LOADERS if not d.startswith("certification.")]
    call_command("load_demo_data", stdout=io.StringIO())
    bigcommerce = Integration.objects.get(slug="bigcommerce-by-northwind")
    version = tiers.shown_version(bigcommerce)
    assert certified_rules.certification_checks_pass(version)
    assert (bigcommerce.tier, version.tier) == (Tier.READY, Tier.READY)  # no certification request approved
    # Every scope was seen in a verified event the inbox received, and is linked.
    for scope in bigcommerce.scopes.select_related("link"):
        assert scope.first_seen_at and scope.link
        assert bigcommerce.inbox_events.filter(scope=scope.name).exists()
    # Template mappings use every kind of row, translation tables included.
    rows = TemplateMappingRow.objects.filter(mapping__version=version)
    assert set(rows.values_list("kind", flat=True)) == {"field", "formula", "static", "translation"}
    assert rows.filter(kind="translation", table__integration=bigcommerce).exists()
    # The tests really ran: each latest result passes, on the mappings as they are now.
    tests = list(mapping_test_selectors.with_latest_result(MappingTest.objects.filter(mapping__version=version)))
    assert len(tests) >= 3
    assert {mapping_test_selectors.latest_state(t, t.mapping.revision) for t in tests} == {"pass"}
    assert MappingTestResult.objects.filter(run__version=version, output__isnull=False).count() == len(tests)


def test_the_demo_has_netsuite_by_bluebird_fully_mapped_apart_from_bigcommerce(settings):
    from integrations.models import ObjectState, Tier
    from integrations.tiers import certified as certified_rules
    from integrations.tiers import engine as tiers

    # The integrations' demo alone: the apps above it (certification, then the marketplace and
    # scoring that build on certified integrations) are left out.
    above = ("certification.", "marketplace.", "scoring.")
    settings.DEMO_DATA_LOADERS = [d for d in settings.DEMO_DATA_LOADERS if not d.startswith(above)]
    call_command("load_demo_data", stdout=io.StringIO())
    netsuite = Integration.objects.get(slug="netsuite-by-bluebird")
    assert (netsuite.owner.slug, netsuite.application.name) == ("bluebird-connect", "NetSuite")
    version = tiers.shown_version(netsuite)
    assert certified_rules.certification_checks_pass(version)
    assert netsuite.tier == Tier.READY
    assert netsuite.foreign_objects.get(key="orders").state == ObjectState.DROPPED  # dropped through the action
    assert AuditEvent.objects.filter(kind="foreign_object.dropped", target_label="Orders").exists()
    names = list(TemplateMapping.objects.filter(version=version).values_list("name", flat=True))
    assert names == ["NetSuite Customer ADD TO IPAAS"]


def test_the_demo_staff_member_keeps_the_data_model_and_inspects_mapping_work_in_the_admin():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.urls import reverse

    from integrations.models import MappingCollection, TemplateMapping
    from portal.models import User
    from tests.conftest import client_for

    call_command("load_demo_data", stdout=io.StringIO())
    sam = User.objects.get(email="sam@redrook.example.com")
    TOTP.activate(sam, generate_totp_secret())
    client = client_for(sam)
    customer = MappingCollection.objects.get(key="customer")
    assert client.get(reverse("admin:integrations_mappingcollection_change", args=[customer.pk])).status_code == 200
    for model in (
        "foreignobjectlink",
        "scopelink",
        "translationtable",
        "templatemapping",
        "mappingtest",
        "mappingtestrun",
    ):
        assert client.get(reverse(f"admin:integrations_{model}_changelist")).status_code == 200, model
    mapping = TemplateMapping.objects.filter(version__integration__slug="bigcommerce-by-northwind").first()
    page = client.get(reverse("admin:integrations_templatemapping_change", args=[mapping.pk]))
    assert page.status_code == 200 and mapping.name in page.content.decode()
