"""The address of another page of one list, when a page shows several paginated lists."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context, param: str, number: int) -> str:
    """The current query string with `param` set to `number` (the other lists keep their page)."""
    params = context.request.GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"
