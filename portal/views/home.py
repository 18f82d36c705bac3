from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from portal.selectors import home_summary, invitations_for_user
from portal.staff_queues import count_waiting


@login_not_required
def home(request):
    context = {}
    if request.user.is_authenticated:
        context["invitations"] = invitations_for_user(request.user)
        context["summary"] = home_summary(request)
        if request.user.is_staff:
            context["staff_queues"] = count_waiting(request.user)
    return render(request, "portal/home.html", context)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
