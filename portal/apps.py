from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig

from portal.navigation import LinkPlace, managers, members, register_link, staff


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Accounts and organizations"

    def ready(self) -> None:
        from portal import form_tokens, jobs, mail, signals  # noqa: F401

        jobs.register_sweeper(mail.send_due_emails)
        self._watch_public_content()
        jobs.register_sweeper(form_tokens.forget_old_tokens)

        # Numbered 100 apart so that the apps' links fall between the portal's where they belong.
        # The acting organization's own pages are in its menu, so the main bar fits on one line.
        register_link(LinkPlace.ORGANIZATION, "Getting started", "getting_started", order=400, shown=members)
        register_link(LinkPlace.ORGANIZATION, "Members", "member_list", order=500, shown=members)
        register_link(
            LinkPlace.ORGANIZATION, "Organization profile", "organization_settings", order=700, shown=managers
        )
        register_link(LinkPlace.ORGANIZATION, "Activity", "organization_activity", order=800, shown=managers)
        register_link(LinkPlace.MAIN, "Admin", "admin:index", order=900, shown=staff)

    def _watch_public_content(self) -> None:
        """Organizations' names and profiles are on public pages; accounts, audit and mail are not."""
        from portal import page_cache
        from portal.models import AuditEvent, Invitation, OutgoingEmail, StaffDigest, UsedFormToken, User

        private = [User, User.groups.through, User.user_permissions.through, StaffDigest, Invitation]
        page_cache.watch(self, ignore=[*private, AuditEvent, OutgoingEmail, UsedFormToken])


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
