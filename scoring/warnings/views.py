"""Every integration of the acting organization whose hide warning stands, a page at a time: the
dashboard panel names the first ALERTS_SHOWN and links here when there are more."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrations.access import workable_integrations
from integrations.workspace.views import integrator_required
from scoring.warnings.selectors import hide_threshold, standing_warnings

WARNINGS_PER_PAGE = 50


@require_GET
@integrator_required
def hide_warning_list(request):
    warnings = standing_warnings(workable_integrations(request.organization))
    page = Paginator(warnings, WARNINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "warnings": page.object_list, "hide_threshold": hide_threshold() if warnings else None}
    return render(request, "scoring/warnings/hide_warning_list.html", context)
