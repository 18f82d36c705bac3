"""The registry's model rules: which version is the latest, and which labels may not repeat."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from integrations.models import (
    Application,
    ApplicationVersion,
    SubmissionStatus,
    VersionSubmission,
)
from tests.factories import ApplicationFactory, ApplicationVersionFactory, VersionSubmissionFactory

pytestmark = pytest.mark.django_db


def test_the_latest_version_is_the_one_with_the_newest_release_date(magento, magento_versions):
    assert magento.latest_version() == magento_versions["Open Source 2.5.x"]


def test_adding_an_older_version_later_does_not_make_it_the_latest(magento, magento_versions):
    ApplicationVersionFactory(application=magento, label="Open Source 2.2.x", release_date=datetime.date(2017, 9, 26))
    assert magento.latest_version().label == "Open Source 2.5.x"


def test_on_the_same_release_date_the_version_added_last_is_the_latest(magento):
    same_day = datetime.date(2024, 1, 10)
    ApplicationVersionFactory(application=magento, label="Customer API v3", release_date=same_day)
    second = ApplicationVersionFactory(application=magento, label="Transactions API v3", release_date=same_day)
    assert magento.latest_version() == second


def test_an_application_without_versions_has_no_latest_version(magento):
    assert magento.latest_version() is None
    annotated = Application.objects.with_latest_version().get(pk=magento.pk)
    assert (annotated.latest_label, annotated.latest_release_date, annotated.version_count) == (None, None, 0)


def test_the_annotation_agrees_with_the_model_rule(magento, magento_versions):
    annotated = Application.objects.with_latest_version().get(pk=magento.pk)
    assert annotated.latest_label == "Open Source 2.5.x"
    assert annotated.latest_release_date == datetime.date(2025, 10, 14)
    assert annotated.version_count == 3


def test_versions_are_listed_newest_first(magento, magento_versions):
    assert [v.label for v in magento.versions.all()] == ["Open Source 2.5.x", "Open Source 2.4.x", "Open Source 2.3.x"]


def test_the_database_refuses_a_duplicate_label_for_the_same_application_whatever_the_case(magento):
    ApplicationVersionFactory(application=magento, label="Customer API v3")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationVersion.objects.create(
            application=magento, label="customer api V3", release_date=datetime.date(2024, 1, 1)
        )


def test_the_same_label_may_belong_to_two_applications(magento, provider):
    other = ApplicationFactory(provider=provider, name="Adobe Commerce")
    ApplicationVersionFactory(application=magento, label="2.4.7")
    ApplicationVersionFactory(application=other, label="2.4.7")
    assert ApplicationVersion.objects.filter(label="2.4.7").count() == 2


def test_a_provider_cannot_have_two_applications_with_the_same_name(provider, other_provider):
    ApplicationFactory(provider=provider, name="Magento")
    ApplicationFactory(provider=other_provider, name="Magento")  # another provider may
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(provider=provider, name="MAGENTO")


def test_only_one_pending_submission_per_label_but_decided_ones_do_not_count(magento):
    VersionSubmissionFactory(application=magento, label="2.6.x", status=SubmissionStatus.REJECTED)
    VersionSubmissionFactory(application=magento, label="2.6.x")
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionSubmissionFactory(application=magento, label="2.6.X")


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (SubmissionStatus.PENDING, {SubmissionStatus.VERIFIED, SubmissionStatus.REJECTED}),
        (SubmissionStatus.VERIFIED, set()),
        (SubmissionStatus.REJECTED, set()),
    ],
)
def test_a_decided_submission_stays_decided(status, allowed):
    submission = VersionSubmission(status=status)
    assert {to for to in SubmissionStatus.values if submission.may_become(to)} == allowed


def test_drafts_are_visible_only_to_their_own_organization(magento, draft, provider, other_provider):
    assert set(Application.objects.visible_to(None)) == {magento}
    assert set(Application.objects.visible_to(other_provider)) == {magento}
    assert set(Application.objects.visible_to(provider)) == {magento, draft}


def test_initials_stand_in_for_a_missing_logo(provider):
    application = ApplicationFactory(provider=provider, name="Adobe Commerce")
    assert application.initials == "AC"
    assert ApplicationFactory(provider=provider, name="magento").initials == "M"
