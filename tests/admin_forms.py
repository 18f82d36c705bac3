"""What an admin change page posts when staff press Save: its form's and its inlines' current
values, read from the page's context, so a test changes only the values it is about."""

import datetime

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _posted(value):
    if value is True:
        return "on"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def form_data(page) -> dict:
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False and value != "":
                data[form.add_prefix(name)] = _posted(value)
    return data


def inline_prefix(data: dict, inline: str, obj) -> str:
    """The prefix of the inline form that holds obj, e.g. "memberships-1"."""
    for key, value in data.items():
        if key.startswith(f"{inline}-") and key.endswith("-id") and value == str(obj.pk):
            return key.removesuffix("-id")
    raise AssertionError(f"{obj} is not in the {inline} inline")


def delete_selected(client, model, objects, *, confirm: bool = True):
    """The changelist's "Delete selected": the confirmation page, or (confirm) the deletion."""
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    if confirm:
        data["post"] = "yes"
    return client.post(admin_url(model, "changelist"), data, follow=confirm)
