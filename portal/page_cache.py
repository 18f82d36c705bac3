"""Public pages kept whole for visitors who are not signed in.

A marketplace's anonymous traffic asks the same few questions (the listing, a popular search, a
much-visited integration), and rendering one of those pages costs tens of milliseconds at real
scale where reading it back costs one cache round trip. A page is kept under the *generation* of
the public content: any save or delete of a model an app watches (`watch`) replaces the
generation, so a change shows at once, and `content_changed` is called by the writes that go
around the ORM's signals (bulk updates). PUBLIC_PAGE_CACHE_SECONDS bounds what such a write that
forgot to call it could leave stale.

Only what every visitor would be shown is kept: a request with a session or a messages cookie (a
signed-in user, a pending message) always renders, and a response that sets a cookie, needs a
CSRF cookie, or queued a message is never kept. The Content-Security-Policy nonce differs per
response, so the page is kept with the nonce it was rendered with, which each hit replaces by
its own."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

GENERATION_KEY = "public-pages:generation"
_watched_apps: set[str] = set()
_ignored: set[type] = set()


def watch(app_config: AppConfig, ignore: Iterable[type] = ()) -> None:
    """Every model of the app feeds public pages, except `ignore` (private records written often:
    audit events, deliveries, job progress), whose writes would only empty the cache for nothing."""
    _watched_apps.add(app_config.label)
    _ignored.update(ignore)


def content_changed(sender=None, **kwargs) -> None:
    """Public content changed: replaced now and again once the change is committed, so a page
    rendered from the old rows meanwhile cannot be kept past the commit."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _saved_or_deleted(sender, **kwargs) -> None:
    if sender._meta.app_label in _watched_apps and sender not in _ignored:
        content_changed()


post_save.connect(_saved_or_deleted, dispatch_uid="portal.page_cache.saved")
post_delete.connect(_saved_or_deleted, dispatch_uid="portal.page_cache.deleted")
m2m_changed.connect(_saved_or_deleted, dispatch_uid="portal.page_cache.m2m")


def current_generation() -> str | None:
    """The generation of public content now (None when the cache is away: compute afresh)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def kept(name: str, question: str, compute: Callable[[], Any], seconds: int):
    """What compute() answers to `question`, kept under the current generation: for what follows
    only from public content (the marketplace's filter counts, an organization's dashboard alerts),
    so that a change shows at once. Computed every time when the cache is away or seconds is 0.
    The answer is kept with the generation it was computed under, beside one key a question, so
    one read brings both (as cached_for_visitors does)."""
    if seconds <= 0:
        return compute()
    key = f"{name}:{hashlib.sha256(question.encode()).hexdigest()}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or current_generation()
    if generation is None:
        return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    answer = compute()
    cache.set(key, (generation, answer), seconds)
    return answer


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def cached_for_visitors(view):
    """Serve a public view's page from the cache to anonymous visitors (see the module's text)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _may_read(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
        page = found.get(key)
        if generation is not None and page is not None and page[0] == generation:
            return _replay(request, page)
        response = view(request, *args, **kwargs)
        if generation is not None and _may_keep(request, response):
            cache.set(key, _entry(generation, request, response), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapped


def _may_read(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "Authorization" not in request.headers
    )


def _page_key(request) -> str:
    question = "\n".join(
        [
            request.get_host(),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
        ]
    )
    return "public-pages:" + hashlib.sha256(question.encode()).hexdigest()


def _may_keep(request, response) -> bool:
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (messages is not None and getattr(messages, "added_new", False))
        and request.user.is_anonymous
    )


def _entry(generation: str, request, response) -> tuple:
    nonce = getattr(request, "_csp_nonce", None) or ""
    headers = [(name, value) for name, value in response.items()]
    return generation, nonce, headers, response.content


def _replay(request, kept: tuple) -> HttpResponse:
    _generation, nonce, headers, content = kept
    if nonce:
        content = content.replace(nonce.encode(), str(request.csp_nonce).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
