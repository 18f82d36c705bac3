"""Every integration of the acting organization that is behind on versions, a page at a time: the
dashboard panel names the first ALERTS_SHOWN and links here when there are more."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrations.access import workable_integrations
from integrations.workspace.views import integrator_required
from scoring.versions.selectors import behind_ids, loaded, version_relevance_deduction

BEHIND_PER_PAGE = 50


@require_GET
@integrator_required
def versions_behind_list(request):
    # Which ones are behind on ids alone; only the page's are loaded.
    behind = behind_ids(workable_integrations(request.organization))
    # get_page answers any page parameter: not a number means the first page, too far the last.
    page = Paginator(behind, BEHIND_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = loaded(list(page.object_list))
    context = {"page": page, "behind": page.object_list, "deduction": version_relevance_deduction() if behind else None}
    return render(request, "scoring/versions/versions_behind_list.html", context)
