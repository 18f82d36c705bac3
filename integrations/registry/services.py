"""Every change to the registry goes through one of these actions.

The order is always the same: check what the person may do, lock the row being changed inside a
transaction, change it, record an AuditEvent, and send email only once the transaction has
committed. Logos are written before the transaction and removed again if it fails
(portal.images.new_renditions); the files they replace are removed once it commits.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import (
    Application,
    ApplicationApiChange,
    ApplicationVersion,
    SubmissionStatus,
    VersionSubmission,
)
from integrations.registry import hooks, notifications
from integrations.registry.models import (
    API_CHANGE_LATEST_FUTURE_DAYS,
    API_CHANGE_LATEST_PAST_DAYS,
    FUTURE_RELEASE,
    latest_allowed_release_date,
)
from integrations.tiers import engine as tiers
from portal import images
from portal.models import Organization, User, save_with_unique_slug
from portal.services import ActionRefused, record

DUPLICATE_VERSION = "{application} already has a version labelled “{label}”."
PENDING_VERSION = "“{label}” was already submitted for {application} and is waiting for review."
DUPLICATE_APPLICATION = "{provider} already has an application called “{name}”."
# Each submission emails every staff member, so one person's queue is bounded.
MAX_PENDING_SUBMISSIONS_PER_PERSON = 10


def _logo_changes(instance, stored: dict, remove_logo: bool) -> list[str]:
    if stored:
        return images.replace_logo(instance, stored)
    if remove_logo and instance.logo_names():
        return images.replace_logo(instance, {})
    return []


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("provider").get(pk=application.pk)


def _recompute_provider_integrations(provider: Organization, *, cause: str) -> None:
    """The provider profile is a Compatible rule of every integration of its applications."""
    for application in provider.applications.filter(integrations__isnull=False).distinct():
        tiers.recompute_for_application(application, cause=cause)


def recompute_for_provider_profile(sender, *, organization: Organization, changed: frozenset[str], **kwargs) -> None:
    """Receives portal.signals.organization_profile_changed: the organization settings page (or
    the admin) can change a provider's company URL, a Compatible rule of its applications' integrations."""
    if organization.is_provider and "website" in changed:
        _recompute_provider_integrations(organization, cause=f"{organization.name}'s provider profile changed")


# --- Public profiles ---------------------------------------------------------------------


def update_public_profile(
    organization: Organization,
    *,
    acting_user: User,
    name: str,
    website: str,
    description: str,
    contact_email: str,
    services_offered: str = "",
    logo: images.CheckedImage | None = None,
    remove_logo: bool = False,
) -> Organization:
    """The profile a provider, integrator or MiSP shows on its public pages."""
    with (
        images.new_logo_files(logo, Organization) as stored,
        transaction.atomic(),
    ):
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        website_changed = organization.website != website
        organization.name = name
        organization.website = website
        organization.description = description
        organization.contact_email = contact_email
        organization.services_offered = services_offered
        fields = ["name", "website", "description", "contact_email", "services_offered"]
        fields += _logo_changes(organization, stored, remove_logo)
        organization.save(update_fields=fields)
        record(
            actor=acting_user,
            kind="public_profile.updated",
            organization=organization,
            target=organization,
            comment="logo replaced" if stored else ("logo removed" if "logo" in fields else ""),
        )
        if organization.is_provider and ("logo" in fields or website_changed):
            _recompute_provider_integrations(organization, cause=f"{organization.name}'s provider profile changed")
    return organization


# --- Applications ------------------------------------------------------------------------


def _refuse_duplicate_name(provider: Organization, name: str, *, exclude_pk: int | None = None) -> None:
    same = provider.applications.filter(name__iexact=name).exclude(pk=exclude_pk)
    if same.exists():
        raise ActionRefused(DUPLICATE_APPLICATION.format(provider=provider.name, name=name))


def create_application(
    provider: Organization,
    *,
    acting_user: User,
    name: str,
    website: str,
    category: str,
    description: str,
    is_published: bool,
    logo: images.CheckedImage | None = None,
) -> Application:
    if not provider.is_provider:
        raise ActionRefused(f"{provider.name} is not an application provider.")
    with (
        images.new_logo_files(logo, Application) as stored,
        transaction.atomic(),
    ):
        provider = Organization.objects.select_for_update().get(pk=provider.pk)
        _refuse_duplicate_name(provider, name)
        application = Application(
            provider=provider,
            name=name,
            website=website,
            category=category,
            description=description,
            is_published=is_published,
        )
        images.replace_logo(application, stored)
        save_with_unique_slug(application, name)
        record(
            actor=acting_user,
            kind="application.created",
            organization=provider,
            target=application,
            to_state="published" if is_published else "draft",
        )
    return application


def update_application(
    application: Application,
    *,
    acting_user: User,
    name: str,
    website: str,
    category: str,
    description: str,
    is_published: bool,
    logo: images.CheckedImage | None = None,
    remove_logo: bool = False,
) -> Application:
    with (
        images.new_logo_files(logo, Application) as stored,
        transaction.atomic(),
    ):
        application = _lock_application(application)
        _refuse_duplicate_name(application.provider, name, exclude_pk=application.pk)
        before = "published" if application.is_published else "draft"
        application.name = name
        application.website = website
        application.category = category
        application.description = description
        application.is_published = is_published
        application.updated_at = timezone.now()
        fields = ["name", "website", "category", "description", "is_published", "updated_at"]
        fields += _logo_changes(application, stored, remove_logo)
        application.save(update_fields=fields)
        if "logo" in fields:
            tiers.recompute_for_application(application, cause=f"{application.name}'s logo changed")
        record(
            actor=acting_user,
            kind="application.updated",
            organization=application.provider,
            target=application,
            from_state=before,
            to_state="published" if is_published else "draft",
        )
    return application


# --- Versions ----------------------------------------------------------------------------


def _refuse_future_release(release_date: datetime.date) -> None:
    if release_date > latest_allowed_release_date():
        raise ActionRefused(FUTURE_RELEASE)


def _refuse_duplicate_label(application: Application, label: str, *, exclude_pk: int | None = None) -> None:
    if application.versions.filter(label__iexact=label).exclude(pk=exclude_pk).exists():
        raise ActionRefused(DUPLICATE_VERSION.format(application=application.name, label=label))


def _save_version(version: ApplicationVersion, **kwargs) -> None:
    """Saves in a savepoint, so a duplicate that slipped past the check (the database constraint
    catches it) becomes a refusal without spoiling the outer transaction."""
    try:
        with transaction.atomic():
            version.save(**kwargs)
    except IntegrityError as exc:
        raise ActionRefused(
            DUPLICATE_VERSION.format(application=version.application.name, label=version.label)
        ) from exc


def add_application_version(
    application: Application, *, acting_user: User, label: str, release_date: datetime.date, notes: str = ""
) -> ApplicationVersion:
    _refuse_future_release(release_date)
    with transaction.atomic():
        application = _lock_application(application)
        _refuse_duplicate_label(application, label)
        version = ApplicationVersion(application=application, label=label, release_date=release_date, notes=notes)
        _save_version(version)
        record(
            actor=acting_user,
            kind="application_version.added",
            organization=application.provider,
            target=version,
            target_label=label,
            within=application,
            to_state=release_date.isoformat(),
        )
        tiers.recompute_for_application(application, cause=f"{application.name} {label} added")
        transaction.on_commit(lambda: hooks.version_added(version.pk))
    return version


def update_application_version(
    version: ApplicationVersion, *, acting_user: User, label: str, release_date: datetime.date, notes: str = ""
) -> ApplicationVersion:
    _refuse_future_release(release_date)
    with transaction.atomic():
        application = _lock_application(version.application)
        version = application.versions.get(pk=version.pk)
        _refuse_duplicate_label(application, label, exclude_pk=version.pk)
        before = f"{version.label} {version.release_date.isoformat()}"
        version.label, version.release_date, version.notes = label, release_date, notes
        _save_version(version, update_fields=["label", "release_date", "notes"])
        record(
            actor=acting_user,
            kind="application_version.updated",
            organization=application.provider,
            target=version,
            target_label=label,
            within=application,
            from_state=before,
            to_state=f"{label} {release_date.isoformat()}",
        )
        tiers.recompute_for_application(application, cause=f"{application.name} {label} edited")
    return version


def remove_application_version(version: ApplicationVersion, *, acting_user: User) -> None:
    with transaction.atomic():
        application = _lock_application(version.application)
        version = application.versions.get(pk=version.pk)
        record(
            actor=acting_user,
            kind="application_version.removed",
            organization=application.provider,
            target=version,
            target_label=version.label,
            within=application,
            from_state=version.release_date.isoformat(),
            to_state="removed",
        )
        version.delete()
        tiers.recompute_for_application(application, cause=f"{application.name} {version.label} removed")


# --- Version submissions -----------------------------------------------------------------


def submit_version(
    application: Application,
    *,
    user: User,
    organization: Organization | None,
    label: str,
    release_date: datetime.date,
    source_url: str,
    notes: str = "",
) -> VersionSubmission:
    """Anyone signed in may tell us of a version the list lacks; staff verify it first."""
    _refuse_future_release(release_date)
    waiting = VersionSubmission.objects.filter(submitted_by=user, status=SubmissionStatus.PENDING).count()
    if waiting >= MAX_PENDING_SUBMISSIONS_PER_PERSON:
        raise ActionRefused(
            f"You have {waiting} submissions waiting for review. Please wait until staff have decided some of them."
        )
    with transaction.atomic():
        application = _lock_application(application)
        _refuse_duplicate_label(application, label)
        if application.submissions.filter(status=SubmissionStatus.PENDING, label__iexact=label).exists():
            raise ActionRefused(PENDING_VERSION.format(application=application.name, label=label))
        submission = VersionSubmission.objects.create(
            application=application,
            label=label,
            release_date=release_date,
            source_url=source_url,
            notes=notes,
            submitted_by=user,
            submitted_for=organization,
        )
        record(
            actor=user,
            kind="version_submission.submitted",
            organization=organization,
            target=submission,
            target_label=label,
            within=application,
            to_state=SubmissionStatus.PENDING,
        )
        transaction.on_commit(lambda: notifications.send_submission_received(submission.pk))
    return submission


def _lock_submission(submission: VersionSubmission) -> VersionSubmission:
    return (
        VersionSubmission.objects.select_for_update(of=("self",))
        .select_related("application__provider")
        .get(pk=submission.pk)
    )


def _refuse_unless_may_become(submission: VersionSubmission, to: str) -> None:
    if not submission.may_become(to):
        raise ActionRefused(
            f"“{submission.label}” is already {submission.get_status_display().lower()}; it cannot change now."
        )


def _decide(submission: VersionSubmission, *, acting_user: User, to: str, comment: str) -> VersionSubmission:
    """Moves a locked, pending submission to its decision and records who decided."""
    before = submission.status
    submission.status = to
    submission.reviewed_by = acting_user
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "version"])
    record(
        actor=acting_user,
        kind=f"version_submission.{to}",
        organization=submission.application.provider,
        target=submission,
        target_label=submission.label,
        within=submission.application,
        from_state=before,
        to_state=to,
        comment=comment,
    )
    return submission


def verify_version_submission(
    submission: VersionSubmission, *, acting_user: User, comment: str = ""
) -> VersionSubmission:
    """Staff confirm the version exists: it joins the application's list, and the submitter and
    the provider's owners and admins are told. Two staff acting at once: the second is refused."""
    with transaction.atomic():
        application = _lock_application(submission.application)
        submission = _lock_submission(submission)
        _refuse_unless_may_become(submission, SubmissionStatus.VERIFIED)
        _refuse_future_release(submission.release_date)
        _refuse_duplicate_label(application, submission.label)
        # The submitter's notes were written to staff: they stay on the submission, off the public list.
        version = ApplicationVersion(
            application=application,
            label=submission.label,
            release_date=submission.release_date,
            source_url=submission.source_url,
        )
        _save_version(version)
        submission.version = version
        submission = _decide(submission, acting_user=acting_user, to=SubmissionStatus.VERIFIED, comment=comment)
        tiers.recompute_for_application(application, cause=f"{application.name} {submission.label} verified")
        transaction.on_commit(lambda: notifications.send_submission_decided(submission.pk))
        transaction.on_commit(lambda: notifications.send_version_added_to_provider(submission.pk))
        transaction.on_commit(lambda: hooks.version_added(version.pk))
    return submission


def reject_version_submission(submission: VersionSubmission, *, acting_user: User, comment: str) -> VersionSubmission:
    if not comment.strip():
        raise ActionRefused("Say why the submission is rejected; the submitter reads it.")
    with transaction.atomic():
        submission = _lock_submission(submission)
        _refuse_unless_may_become(submission, SubmissionStatus.REJECTED)
        submission = _decide(submission, acting_user=acting_user, to=SubmissionStatus.REJECTED, comment=comment)
        transaction.on_commit(lambda: notifications.send_submission_decided(submission.pk))
    return submission


# --- API changes -------------------------------------------------------------------------

API_CHANGE_NEEDS_A_SUMMARY = "Say what changes in the API; integrators read it to correct their integrations."


def _refuse_absurd_effective_date(effective_on: datetime.date) -> None:
    today = timezone.localdate()
    if effective_on < today - datetime.timedelta(days=API_CHANGE_LATEST_PAST_DAYS):
        raise ActionRefused(
            f"{effective_on:%d %b %Y} is more than a year ago: its correction deadline is long gone. Check the date."
        )
    if effective_on > today + datetime.timedelta(days=API_CHANGE_LATEST_FUTURE_DAYS):
        raise ActionRefused(f"{effective_on:%d %b %Y} is more than two years ahead. Check the date.")


def record_api_change(
    application: Application, *, acting_user: User, summary: str, effective_on: datetime.date
) -> ApplicationApiChange:
    """Staff record a change of the application's API and the date it takes effect; from then its
    integrations have the correction period to follow it (shown on their pages, counting down)."""
    summary = summary.strip()
    if not summary:
        raise ActionRefused(API_CHANGE_NEEDS_A_SUMMARY)
    _refuse_absurd_effective_date(effective_on)
    with transaction.atomic():
        application = _lock_application(application)
        change = ApplicationApiChange.objects.create(
            application=application, summary=summary, effective_on=effective_on, recorded_by=acting_user
        )
        record(
            actor=acting_user,
            kind="application_api_change.recorded",
            organization=application.provider,
            target=change,
            target_label=f"API change of {effective_on.isoformat()}",
            within=application,
            to_state=f"correct by {change.correct_by.isoformat()}",
            comment=summary[:500],
        )
    return change
