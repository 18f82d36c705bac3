from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from portal import staff_queues
from portal.services import ActionRefused


class PortalAdminSite(admin.AdminSite):
    """Red Rook staff only, and only with two-factor authentication turned on."""

    site_header = "iPaaS.com portal administration"
    site_title = "iPaaS.com admin"
    index_title = "Red Rook staff"
    # The home lists every model; without the sidebar a queue's list has the width of the screen.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return super().has_permission(request) and is_mfa_enabled(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not is_mfa_enabled(user):
            messages.warning(request, "Turn on two-factor authentication to use the admin.")
            return redirect("mfa_activate_totp")
        # allauth's login gives the admin the same rate limits and two-factor step as the portal.
        return secure_admin_login(super().login)(request, extra_context)

    def index(self, request, extra_context=None):
        """The home starts with what waits for staff: the queues the apps registered."""
        extra_context = {**(extra_context or {}), "staff_queues": staff_queues.count_waiting(request.user)}
        return super().index(request, extra_context)


# --- The two faces a model's admin may have: read-only, or through the actions ---------------


class ReadOnly:
    """Staff look, nobody adds, changes or deletes here: what the page shows changes only through
    the portal's own actions, or belongs to the person (an account, an email address)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ThroughActions:
    """A ModelAdmin whose writes call the portal's named actions, so a staff edit gets the same
    checks, audit row, recomputes and emails as the portal: subclasses override save_model (and
    save_formset for their inlines) and, where deleting is allowed, delete_model.

    When an action refuses (ActionRefused), the request's transaction rolls back, so nothing of the
    save is kept: the form comes back with what was typed and the refusal as its error; a refused
    delete comes back as an error message. "Delete selected" deletes one object at a time through
    delete_model and reports each refusal."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ActionRefused as refused:
            request.action_refused = str(refused)  # get_form makes the form invalid with it
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "action_refused", None)
        return form if refusal is None else _refused_form(form, refusal)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ActionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            opts, site = self.opts, self.admin_site.name
            url = reverse(f"{site}:{opts.app_label}_{opts.model_name}_change", args=[object_id], current_app=site)
            return HttpResponseRedirect(url)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:  # present only with the delete permission
            _, name, description = actions["delete_selected"]
            actions[name] = (ThroughActions.delete_selected_through_actions, name, description)
        return actions

    def delete_selected_through_actions(self, request, queryset):
        if not request.POST.get("post"):
            return delete_selected(self, request, queryset)  # Django's confirmation page
        if self.get_deleted_objects(queryset, request)[2]:  # what would go with them needs permissions
            raise PermissionDenied
        deleted = 0
        for obj in queryset:
            try:
                with transaction.atomic():
                    self.log_deletions(request, [obj])
                    self.delete_model(request, obj)
            except ActionRefused as refused:
                self.message_user(request, f"{obj}: {refused}", messages.ERROR)
            else:
                deleted += 1
        if deleted:
            self.message_user(request, f"Deleted {deleted} {model_ngettext(self.opts, deleted)}.", messages.SUCCESS)
        return None


class DecidedOnce:
    """A decision page (before ThroughActions in the bases) whose item was decided by someone else
    between showing the form and sending it: the late POST is told who decided it and when, and
    the page comes back read-only, instead of Django's 403 for a change no longer permitted.
    Subclasses say, in `decided(obj)`, who decided and when, or None while the item waits."""

    def decided(self, obj) -> str | None:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            decided = None if obj is None else self.decided(obj)
            if decided:
                self.message_user(request, f"Your decision was not applied: {decided}.", messages.ERROR)
                return HttpResponseRedirect(request.path)
        return super().changeform_view(request, object_id, form_url, extra_context)


class QueueList:
    """A ModelAdmin whose list is a staff queue. Its `status_label` column shows the status as
    the words of its choice, on one line that is never cut (static/css/admin.css)."""

    @admin.display(description="status", ordering="status")
    def status_label(self, obj) -> str:
        return format_html('<span class="status status-{}">{}</span>', obj.status, obj.get_status_display())


def _refused_form(form_class, message: str):
    class RefusedForm(form_class):
        def clean(self):
            super().clean()
            raise ValidationError(message)

    return RefusedForm
