from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from portal.images import delete_files
from portal.middleware import start_session_clock
from portal.models import LogoMixin, Organization

# Sent by portal.services.update_organization_profile inside its transaction, with `organization`
# and `changed` (the names of the fields whose value changed), so the apps above the portal can
# react without the portal importing them (a provider's website is one of its integrations' rules).
organization_profile_changed = Signal()


@receiver(user_logged_in)
def start_absolute_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request)


@receiver(post_delete)
def delete_logo_files(sender, instance, **kwargs):
    """A deleted organization or application (in the admin, say) takes its logo files with it."""
    if isinstance(instance, LogoMixin) and instance.logo_names():
        names = instance.logo_names()
        transaction.on_commit(lambda: delete_files(names))


@receiver(post_save, sender=Organization)
def create_permission_group(sender, instance, created, raw=False, **kwargs):
    """Every way an organization is made (the action, the admin, the demo data) gives it its
    permission group at once, so reading grants never has to make one."""
    if created and not raw:
        instance.ensure_permission_group()
