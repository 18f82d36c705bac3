import uuid

from django import template
from django.utils.html import format_html

from portal.form_tokens import FIELD, submitted_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """The hidden one-time token of a create form; a form shown again with its errors keeps the
    token it was sent with."""
    request = context.get("request")
    token = (submitted_token(request) if request is not None else None) or uuid.uuid4()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
