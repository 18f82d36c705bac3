"""Write or edit a review, the integrator's answer and dispute, and flags from anyone signed in."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marketplace.access import get_listing_for_view, get_review_for_integrator, get_review_for_view
from marketplace.reviews import services
from marketplace.reviews.forms import AnswerForm, DisputeForm, FlagForm, ReviewForm
from marketplace.reviews.models import Review
from portal.services import ActionRefused
from portal.tenancy import organization_required


def _act(request, form, action, success: str, template: str, context: dict, done_url):
    """Runs the action when the form is valid; a refusal shows next to the form, nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, success)
            return redirect(done_url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@organization_required
@require_http_methods(["GET", "POST"])
def review_write(request, slug):
    integration = get_listing_for_view(slug).integration
    if not services.has_paid(request.organization, integration):
        context = {"integration": integration, "refusal": "Only organizations that have subscribed can review it."}
        return render(request, "marketplace/reviews/write.html", context, status=403)
    review = Review.objects.filter(organization=request.organization, integration=integration).first()
    initial = {"stars": review.stars, "text": review.text} if review else None
    form = ReviewForm(_posted(request), initial=initial)

    def write(data):
        services.write_review(integration, membership=request.membership, stars=data["stars"], text=data["text"])

    context = {"integration": integration, "review": review}
    done = reverse("listing_detail", args=[integration.slug]) + "#reviews-heading"
    return _act(request, form, write, "Your review is saved.", "marketplace/reviews/write.html", context, done)


@organization_required
@require_http_methods(["GET", "POST"])
def review_answer(request, public_id):
    review = get_review_for_integrator(request, public_id)
    form = AnswerForm(_posted(request), initial={"text": review.answer} if review.answer else None)

    def answer(data):
        services.answer_review(review, membership=request.membership, text=data["text"])

    context = {"review": review}
    return _act(
        request, form, answer, "Your answer is published.", "marketplace/reviews/answer.html", context, _done(review)
    )


@organization_required
@require_http_methods(["GET", "POST"])
def review_dispute(request, public_id):
    review = get_review_for_integrator(request, public_id)
    form = DisputeForm(_posted(request))

    def dispute(data):
        services.dispute_review(review, membership=request.membership, reasoning=data["reasoning"])

    context = {"review": review}
    return _act(
        request,
        form,
        dispute,
        "Your dispute is with Red Rook staff.",
        "marketplace/reviews/dispute.html",
        context,
        _done(review),
    )


@require_http_methods(["GET", "POST"])
def review_flag(request, public_id):
    review = get_review_for_view(public_id)
    form = FlagForm(_posted(request))

    def flag(data):
        services.flag_review(review, user=request.user, reason=data["reason"])

    context = {"review": review}
    return _act(
        request,
        form,
        flag,
        "Thank you: Red Rook staff will look at this review.",
        "marketplace/reviews/flag.html",
        context,
        _done(review),
    )


def _done(review) -> str:
    return reverse("listing_detail", args=[review.integration.slug]) + f"#review-{review.public_id}"


def _posted(request):
    """The submitted data on a POST (even an empty one, so it is validated and answered), else None."""
    return request.POST if request.method == "POST" else None
