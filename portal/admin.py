"""Accounts and organizations in the admin. Memberships, invitations and organization profiles
change through portal.services, as in the portal (audit row, last-owner rule, emails), with
Red Rook staff as the actor; accounts, email addresses, two-factor devices, permission groups
and the audit trail are read-only here."""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html

from portal import mail, services
from portal.admin_site import ReadOnly, ThroughActions
from portal.models import (
    AuditEvent,
    EmailStatus,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    OutgoingEmail,
    Role,
    StaffDigest,
    User,
)
from portal.services import ActionRefused


class MembershipInline(admin.TabularInline):
    """An organization's members: staff change a role or remove a member (OrganizationAdmin.save_formset
    calls the actions); people join by invitation, so no member is added here."""

    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class UserMembershipInline(ReadOnly, admin.TabularInline):
    """A person's organizations; a role changes on the membership's own page."""

    model = Membership
    fields = ["organization", "role", "created_at"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


@admin.register(User)
class UserAdmin(ReadOnly, BaseUserAdmin):
    """An account is its person's: they change their name, addresses and password in the portal,
    where allauth verifies them. Staff accounts are made with `manage.py createsuperuser`."""

    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Personal info", {"fields": ["name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [UserMembershipInline]


# What update_organization_profile changes.
PROFILE_FIELDS = ["name", "is_provider", "is_integrator", "is_misp", "is_customer", "website"]


def _kinds(cleaned_data: dict) -> list[str]:
    return [kind for kind in OrganizationKind.values if cleaned_data[f"is_{kind}"]]


@admin.register(Organization)
class OrganizationAdmin(ThroughActions, admin.ModelAdmin):
    """Name, kinds and website change through update_organization_profile, members through
    change_member_role and remove_member. An organization is created by the person who becomes
    its owner, and never deleted here (its members, integrations and trail would go with it); the
    public profile is its owners' to write."""

    list_display = ["name", "slug", "is_provider", "is_integrator", "is_misp", "is_customer", "created_at"]
    list_filter = ["is_provider", "is_integrator", "is_misp", "is_customer", "created_at"]
    search_fields = ["name", "slug", "website", "memberships__user__email"]
    # The logo is not uploaded here: only the public profile page runs uploads through portal.images.
    readonly_fields = [
        "slug",
        "public_id",
        "created_at",
        "description",
        "contact_email",
        "services_offered",
        "logo_preview",
    ]
    fields = PROFILE_FIELDS + readonly_fields
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="logo")
    def logo_preview(self, obj):
        if not obj.logo:
            return "—"
        return format_html('<img src="{}" width="64" height="64" alt="{} logo">', obj.logo_small.url, obj.name)

    def save_model(self, request, obj, form, change):
        if not set(PROFILE_FIELDS) & set(form.changed_data):
            return  # only the members changed
        data = form.cleaned_data
        services.update_organization_profile(
            obj, acting_user=request.user, name=data["name"], kinds=_kinds(data), website=data["website"]
        )

    def save_formset(self, request, form, formset, change):
        changed = formset.save(commit=False)  # nothing is written: the actions write
        # Owners granted first, so one save can hand the owner role from one member to another.
        for membership in sorted(changed, key=lambda membership: membership.role != Role.OWNER):
            services.change_member_role(membership, acting_user=request.user, role=membership.role, as_staff=True)
        for membership in formset.deleted_objects:
            services.remove_member(membership, acting_user=request.user, as_staff=True)


@admin.register(Membership)
class MembershipAdmin(ThroughActions, admin.ModelAdmin):
    """A role changes through change_member_role, a removal through remove_member: the last owner
    stays, and each change has its audit row. People join by invitation, not here."""

    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization__is_provider", "organization__is_integrator", "organization__is_customer"]
    search_fields = ["user__email", "user__name", "organization__name"]
    list_select_related = ["user", "organization"]
    fields = ["user", "organization", "role", "created_at"]
    readonly_fields = ["user", "organization", "created_at"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "role" in form.changed_data:
            services.change_member_role(obj, acting_user=request.user, role=obj.role, as_staff=True)

    def delete_model(self, request, obj):
        services.remove_member(obj, acting_user=request.user, as_staff=True)


@admin.register(Invitation)
class InvitationAdmin(ThroughActions, admin.ModelAdmin):
    """Staff invite through invite_member (an owner too, for an organization that has lost its
    owners), and re-send or revoke with the list's actions; a sent invitation is not edited, and
    not deleted, so its trail stays."""

    list_display = ["email", "organization", "role", "status", "invited_by", "sent_at"]
    list_filter = ["status", "role", "sent_at"]
    search_fields = ["email", "organization__name", "invited_by__email"]
    list_select_related = ["organization", "invited_by"]
    autocomplete_fields = ["organization"]
    actions = ["resend_selected", "revoke_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "email", "role"]
        return ["organization", "email", "role", "status", "invited_by", "sent_at", "responded_at", "accepted_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request) -> bool:
        """Re-sending and revoking need the model's change permission, though nobody edits an invitation."""
        return request.user.has_perm("portal.change_invitation")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        invitation = services.invite_member(
            data["organization"], acting_user=request.user, email=data["email"], role=data["role"], as_staff=True
        )
        obj.pk = invitation.pk
        obj.refresh_from_db()

    @admin.action(description="Re-send the selected invitations", permissions=["manage"])
    def resend_selected(self, request, queryset):
        self._each(request, queryset, services.resend_invitation, "re-sent")

    @admin.action(description="Revoke the selected invitations", permissions=["manage"])
    def revoke_selected(self, request, queryset):
        self._each(request, queryset, services.revoke_invitation, "revoked")

    def _each(self, request, queryset, action, done: str) -> None:
        count = 0
        for invitation in queryset.select_related("organization"):
            try:
                action(invitation, acting_user=request.user)
            except ActionRefused as refused:
                self.message_user(request, f"{invitation}: {refused}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} invitation{'s' if count != 1 else ''} {done}.")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin):
    """The audit trail is evidence: staff read it, nobody edits it."""

    list_display = ["created_at", "sentence", "kind", "from_state", "to_state", "organization_name"]
    # Filtering by target_type and target_id (or within_type and within_id) shows one object's history.
    list_filter = ["kind", "target_type", "created_at"]
    search_fields = ["target_label", "within_label", "actor_name", "actor__email", "organization_name", "comment"]
    date_hierarchy = "created_at"


@admin.register(StaffDigest)
class StaffDigestAdmin(ReadOnly, admin.ModelAdmin):
    """The days the staff queues' digest went out (portal.staff_digest): written by the daily task only."""

    list_display = ["day", "overdue_count", "recipient_count", "created_at"]
    date_hierarchy = "day"


# --- Registered by Django and allauth; read-only here -------------------------------------

admin.site.unregister(Group)
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


@admin.register(Group)
class GroupAdmin(ReadOnly, BaseGroupAdmin):
    """Each organization's group is its django-guardian principal: its grants change with the
    associations that make them, never by hand."""


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnly, BaseEmailAddressAdmin):
    """A verified address lets its holder accept the invitations sent to it, so only the link
    allauth mails verifies one; allauth's "mark as verified" action is not offered."""

    actions = None


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnly, BaseAuthenticatorAdmin):
    """Staff see which two-factor devices a person has, never the secrets in them."""

    fields = ["user", "type", "created_at", "last_used_at"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnly, admin.ModelAdmin):
    """The outbox: what was sent, what is waiting, and what the mail server kept refusing. Staff
    send a message again through portal.mail.send_again (an audit row, a fresh retry window)."""

    list_display = ["created_at", "subject", "recipients", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "created_at"]
    search_fields = ["subject", "recipients"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(description="Send again", permissions=["view"])
    def send_again(self, request, queryset):
        count = mail.send_again(queryset.exclude(status=EmailStatus.SENT), acting_user=request.user)
        skipped = queryset.count() - count
        text = f"{count} email{'s' if count != 1 else ''} will be sent again."
        if skipped:
            text += f" {skipped} already sent {'was' if skipped == 1 else 'were'} left alone."
        self.message_user(request, text, messages.SUCCESS if count else messages.WARNING)
