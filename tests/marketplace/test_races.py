"""Two requests at once: one subscription, one review, one decision (threads on PostgreSQL)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from marketplace.models import Dispute, Review, Subscription
from marketplace.reviews import services as reviews
from portal.models import AuditEvent
from portal.services import ActionRefused
from tests.marketplace.customers import membership, subscribe

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="concurrent transactions and row locks need PostgreSQL (set DATABASE_URL)",
)


def at_once(action, count: int = 2) -> list[str]:
    barrier, outcomes = threading.Barrier(count), []

    def run():
        barrier.wait()
        try:
            action()
            outcomes.append("done")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db
def test_the_database_allows_one_active_subscription_per_organization_and_integration(certified, carol):
    first = subscribe(certified, carol)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(
            organization=first.organization, integration=certified, price_up_front=0, price_per_month=0
        )


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_subscribe_clicks_at_once_make_one_subscription(certified, carol):
    assert at_once(lambda: subscribe(certified, carol)) == ["done", "refused"]
    assert Subscription.objects.count() == 1
    assert AuditEvent.objects.filter(kind="subscription.started").count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_first_reviews_at_once_make_one_review(certified, carol):
    subscribe(certified, carol)
    write = lambda: reviews.write_review(certified, membership=membership(carol), stars=4, text="Good")  # noqa: E731
    assert at_once(write) in (["done", "done"], ["done", "refused"])  # the second may see it and keep it
    assert Review.objects.count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_a_dispute_at_once_one_wins(certified, carol, alice, sam):
    subscribe(certified, carol)
    review = reviews.write_review(certified, membership=membership(carol), stars=1, text="Bad")
    dispute = reviews.dispute_review(review, membership=membership(alice), reasoning="Unfair")
    decide = lambda: reviews.decide_dispute(dispute, acting_user=sam, outcome="accepted", comment="Fair")  # noqa: E731
    assert at_once(decide) == ["done", "refused"]
    assert AuditEvent.objects.filter(kind="dispute.decided").count() == 1
    assert not Dispute.objects.get().is_pending
