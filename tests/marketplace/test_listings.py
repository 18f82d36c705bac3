"""Listing rows follow the integrations, and the scoring app sets score and visibility through one action."""

import pytest

from integrations.models import Tier
from integrations.workspace.services import create_integration, update_integration
from marketplace.listings.models import Listing, Visibility
from marketplace.listings.services import set_score_and_visibility, set_scores_and_visibility
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.factories import ApplicationFactory
from tests.marketplace.conftest import listed


def test_an_integration_created_in_the_portal_is_listed_without_a_score(
    alice, northwind, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(name="Shopify")
    with django_capture_on_commit_callbacks(execute=True):
        integration = create_integration(
            northwind, acting_user=alice, application=application, name="Shopify Sync", scopes=["order/created"]
        )
    listing = Listing.objects.get(integration=integration)
    assert listing.visibility == Visibility.LISTED and listing.score is None
    assert "Shopify Sync Shopify" in listing.document.search_title
    assert "order/created" in listing.document.search_terms and "order created" in listing.document.search_terms


def test_the_scoring_app_hides_and_delists_with_an_audit_row_for_each_change(magento):
    integration = listed(magento, name="Shaky")
    set_score_and_visibility(integration, score=55, visibility=Visibility.HIDDEN, cause="score 55 is below 60")
    set_score_and_visibility(integration, score=55, visibility=Visibility.HIDDEN, cause="the same run, again")
    listing = Listing.objects.get(integration=integration)
    assert (listing.score, listing.visibility) == (55, Visibility.HIDDEN)
    events = AuditEvent.objects.filter(kind="listing.visibility_changed")
    assert [(e.target, e.within, e.from_state, e.to_state, e.comment) for e in events] == [
        (listing, integration, "Listed", "Hidden from search", "score 55 is below 60")
    ]
    assert events[0].sentence == "The portal moved the marketplace listing from Listed to Hidden from search for Shaky"


def test_declarations_edited_in_the_portal_are_found_after_the_edit(
    alice, northwind, django_capture_on_commit_callbacks
):
    integration = listed(ApplicationFactory(name="Shopify"), owner=northwind)
    with django_capture_on_commit_callbacks(execute=True):
        update_integration(
            integration,
            acting_user=alice,
            acting_organization=northwind,
            description="Syncs gift cards",
            scopes=["refund/issued"],
        )
    listing = Listing.objects.get(integration=integration)
    assert "gift cards" in listing.document.search_body and "refund issued" in listing.document.search_terms


@pytest.mark.parametrize(("score", "visibility"), [(101, Visibility.LISTED), (-1, Visibility.LISTED), (80, "gone")])
def test_a_score_or_visibility_out_of_range_is_refused_and_changes_nothing(magento, score, visibility):
    integration = listed(magento, tier=Tier.CERTIFIED)
    with pytest.raises(ActionRefused):
        set_score_and_visibility(integration, score=score, visibility=visibility, cause="bad")
    listing = Listing.objects.get(integration=integration)
    assert (listing.score, listing.visibility) == (None, Visibility.LISTED)


def test_a_run_writes_only_the_listings_whose_score_or_visibility_changed(magento):
    same, rising, hidden = (listed(magento, name=name) for name in ("Same", "Rising", "Going"))
    set_scores_and_visibility({i.pk: (80, Visibility.LISTED, "first run") for i in (same, rising, hidden)})
    Listing.objects.update(scored_at=None)  # what the next run writes shows here
    answered = set_scores_and_visibility(
        {
            same.pk: (80, Visibility.LISTED, "unchanged"),
            rising.pk: (90, Visibility.LISTED, "better"),
            hidden.pk: (40, Visibility.HIDDEN, "score 40"),
        }
    )
    assert answered == {same.pk: Visibility.LISTED, rising.pk: Visibility.LISTED, hidden.pk: Visibility.HIDDEN}
    rows = {row.integration_id: row for row in Listing.objects.all()}
    assert rows[same.pk].scored_at is None and rows[same.pk].score == 80
    assert rows[rising.pk].scored_at is not None and rows[rising.pk].score == 90
    assert (rows[hidden.pk].score, rows[hidden.pk].visibility) == (40, Visibility.HIDDEN)
