"""page_cache.kept: an answer that follows only public content is computed once a generation of
it, read back in one trip to the cache, and computed again as soon as the content changes."""

import pytest
from django.core.cache import cache

from portal import page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """Every trip to the cache for reading, by kind (a backend's get_many may call its own get:
    that is the same trip)."""
    counted, inside = [], []

    def counting(kind, method):
        def read(*args, **kwargs):
            if not inside:
                counted.append(kind)
            inside.append(kind)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return read

    monkeypatch.setattr(cache, "get", counting("get", cache.get))
    monkeypatch.setattr(cache, "get_many", counting("get_many", cache.get_many))
    return counted


def test_a_kept_answer_is_read_back_in_one_trip_and_computed_again_after_a_change(reads):
    computed = []

    def answer():
        computed.append(1)
        return {"count": len(computed)}

    assert page_cache.kept("alerts", "org-1", answer, 60) == {"count": 1}
    reads.clear()
    assert page_cache.kept("alerts", "org-1", answer, 60) == {"count": 1}
    assert reads == ["get_many"] and len(computed) == 1
    page_cache.content_changed()
    assert page_cache.kept("alerts", "org-1", answer, 60) == {"count": 2}
    assert page_cache.kept("alerts", "org-2", answer, 60) == {"count": 3}  # each question its own


def test_nothing_is_kept_when_the_seconds_are_zero(reads):
    assert page_cache.kept("alerts", "org-1", lambda: "fresh", 0) == "fresh"
    assert reads == []
