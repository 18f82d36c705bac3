"""Actions for an integration's OpenAPI document and the foreign data objects it proposes.

Uploading stores the file and an OpenAPIImport row, then hands the analysis to a Celery task
(integrations.tasks) once the transaction commits. The task calls `run_openapi_import`, which is
safe to run twice: only one run can finish an import. A refused document changes nothing but its
own row; a readable one (errors or not) refreshes the foreign data objects without ever deleting
one the integrator accepted. Objects declared by hand (integrations.mappings.objects) are the
integrator's alone: imports, drops and merges leave them as they are.
"""

import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from integrations import openapi
from integrations.models import (
    ForeignDataObject,
    ImportStatus,
    Integration,
    IntegrationKind,
    ObjectState,
    OpenAPIImport,
)
from integrations.tiers import engine as tiers
from integrations.workspace.freeze import refuse_if_declarations_frozen
from portal import jobs
from portal.models import User
from portal.services import ActionRefused, record

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 120
KEY_LENGTH = 200
# A merged object answers for every key it was merged from, so a re-import refreshes it whole.
KEY_SEPARATOR = "+"
_SUFFIXES = {".json": ".json", ".yaml": ".yaml", ".yml": ".yaml"}
UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)
CAUSE_IMPORTED = "OpenAPI document imported"
ABANDONED_REASON = (
    "The reading of this document stopped without finishing (the worker reading it was lost). Upload it again."
)
FAILED_REASON = (
    "The portal could not read this document because of an error on our side. "
    "It has been logged; please upload it again later."
)


# --- Uploading and importing ------------------------------------------------------------------


def upload_openapi_document(
    integration: Integration, *, acting_user: User | None, filename: str, content: bytes
) -> OpenAPIImport:
    """Store an uploaded document and queue its analysis. The bytes are already bounded by the form."""
    if integration.kind == IntegrationKind.SDK:
        raise ActionRefused("This is an SDK integration: it records its connector and needs no OpenAPI document.")
    if len(content) > openapi.MAX_BYTES:
        raise ActionRefused("This file is larger than 10 MB, the limit for an OpenAPI document.")
    if not content:
        raise ActionRefused("This file is empty.")
    display_name = PurePath(filename.replace("\\", "/")).name[:200] or "document"
    stored_name = secrets.token_hex(16) + _SUFFIXES.get(PurePath(display_name).suffix.lower(), ".txt")
    document = OpenAPIImport(
        integration=integration,
        filename=display_name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=acting_user,
    )
    document.document.save(stored_name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            integration = Integration.objects.lock(integration)
            refuse_if_declarations_frozen(integration)
            document.save()
            record(
                actor=acting_user,
                kind="openapi_import.uploaded",
                organization=integration.owner,
                target=document,
                target_label=display_name,
                within=integration,
                to_state=ImportStatus.QUEUED,
            )
            transaction.on_commit(lambda: _enqueue(document.pk))
    except BaseException:
        document.document.delete(save=False)
        raise
    return document


def _enqueue(import_pk: int) -> bool:
    from integrations import tasks  # the task module imports this one

    return jobs.send(tasks.import_openapi_document, import_pk)


def sweep_imports() -> None:
    """The job sweep's part for imports: a reading lost with its worker is failed (the document
    can be uploaded again); a queued one whose message may have been lost is queued again."""
    now = timezone.now()
    lost = OpenAPIImport.objects.filter(status=ImportStatus.RUNNING, started_at__lt=now - jobs.abandoned_after())
    for document in lost.order_by("pk")[:100]:
        _fail_import(document, reason=ABANDONED_REASON, comment="Its worker was lost before it finished.")
    waiting = OpenAPIImport.objects.filter(status=ImportStatus.QUEUED, created_at__lt=now - jobs.requeue_after())
    for pk in waiting.order_by("created_at").values_list("pk", flat=True)[:100]:
        if not _enqueue(pk):
            return  # the broker is away: the next sweep tries again


def run_openapi_import(import_pk: int) -> OpenAPIImport | None:
    """Analyse an uploaded document and apply what it proposes. Safe to run twice or at once:
    the first run to finish wins and later ones return without changing anything."""
    takeable = jobs.claimable(queued=ImportStatus.QUEUED, running=ImportStatus.RUNNING)
    claimed = OpenAPIImport.objects.filter(takeable, pk=import_pk).update(
        status=ImportStatus.RUNNING, progress=10, started_at=timezone.now()
    )
    if not claimed:
        return None
    document = OpenAPIImport.objects.get(pk=import_pk)
    try:
        raw = _read(document)
        _progress(document, 30)
        analysis = openapi.analyse(raw, document.filename)
        _progress(document, 80)
        return finish_openapi_import(document, analysis)
    except Exception:  # noqa: BLE001 - an import must end as FAILED, never stay RUNNING
        logger.exception("OpenAPI import %s failed", import_pk)
        comment = "An error on the portal's side stopped the import; it was logged."
        return _fail_import(document, reason=FAILED_REASON, comment=comment)


def _fail_import(document: OpenAPIImport, *, reason: str, comment: str) -> OpenAPIImport:
    """End an unfinished import as FAILED with an audit row, unless it finished (or was taken
    again by another worker) in the meantime: so only once, whoever gets here first."""
    with transaction.atomic():
        integration = Integration.objects.lock(document.integration)
        still = OpenAPIImport.objects.filter(pk=document.pk, status__in=UNFINISHED, started_at=document.started_at)
        now = timezone.now()
        if still.update(status=ImportStatus.FAILED, progress=100, refused_reason=reason, finished_at=now):
            record(
                actor=None,
                kind="openapi_import.failed",
                organization=integration.owner,
                target=document,
                target_label=document.filename,
                within=integration,
                to_state=ImportStatus.FAILED,
                comment=comment,
            )
    return OpenAPIImport.objects.get(pk=document.pk)


def _read(document: OpenAPIImport) -> bytes:
    with document.document.open("rb") as stored:
        return stored.read(openapi.MAX_BYTES + 1)


def _progress(document: OpenAPIImport, percent: int) -> None:
    OpenAPIImport.objects.filter(pk=document.pk, status=ImportStatus.RUNNING).update(progress=percent)


def finish_openapi_import(document: OpenAPIImport, analysis: openapi.Analysis) -> OpenAPIImport | None:
    """Store the analysis on its import; a readable document then refreshes the foreign data objects."""
    with transaction.atomic():
        integration = Integration.objects.lock(document.integration)
        document = OpenAPIImport.objects.select_for_update().get(pk=document.pk)
        if document.is_finished:
            return None
        document.analysis = analysis.to_dict()
        document.detected_version = analysis.version[:20]
        document.error_count = len(analysis.errors)
        document.progress = 100
        document.finished_at = timezone.now()
        if analysis.refused is not None:
            document.status = ImportStatus.REFUSED
            document.refused_reason = analysis.refused
        else:
            document.status = ImportStatus.DONE
            document.changes = _apply(integration, document, analysis)
        document.save()
        record(
            actor=None,
            kind="openapi_import.imported" if document.status == ImportStatus.DONE else "openapi_import.refused",
            organization=integration.owner,
            target=document,
            target_label=document.filename,
            within=integration,
            to_state=document.status,
            comment=(document.refused_reason or f"{document.error_count} error{pluralize(document.error_count)}")[:500],
        )
        if document.status == ImportStatus.DONE:
            tiers.recompute(integration, cause=CAUSE_IMPORTED)
    return document


def _apply(integration: Integration, document: OpenAPIImport, analysis: openapi.Analysis) -> dict | None:
    done = integration.openapi_imports.filter(status=ImportStatus.DONE).exclude(pk=document.pk)
    if done.filter(created_at__gt=document.created_at).exists():
        return None  # a newer upload already finished: it, not this one, describes the objects
    previous = done.order_by("-created_at", "-id").first()
    old = openapi.Analysis.from_dict(previous.analysis).proposals if previous and previous.analysis else ()
    refresh_foreign_objects(integration, analysis.proposals)
    return openapi.diff(old, analysis.proposals).to_dict()


def object_keys(obj: ForeignDataObject) -> list[str]:
    return obj.key.split(KEY_SEPARATOR)


def refresh_foreign_objects(integration: Integration, proposals: Sequence[openapi.Proposal]) -> None:
    """New proposals become PROPOSED objects; existing objects keep their state and name and get the
    document's paths and schemas; objects the document no longer has are deleted unless accepted.
    Objects declared by hand are not the document's: they are left alone (their keys, prefixed
    with a colon, can be no proposal's)."""
    by_key = {proposal.key[:KEY_LENGTH]: proposal for proposal in proposals}
    owned: set[str] = set()
    changed, removed = [], []
    for obj in integration.foreign_objects.filter(declared_by_hand=False):
        present = [by_key[key] for key in object_keys(obj) if key in by_key]
        owned.update(object_keys(obj))
        if present:
            fresh = (
                _combined_paths(_proposal_paths(p) for p in present),
                _combined_schemas(_proposal_schemas(p) for p in present),
                False,
            )
        elif obj.state == ObjectState.ACCEPTED:
            fresh = (obj.paths, obj.schemas, True)
        else:
            removed.append(obj.pk)
            continue
        # A re-import mostly finds the objects as they were: only the others are written.
        if fresh != (obj.paths, obj.schemas, obj.missing_from_document):
            obj.paths, obj.schemas, obj.missing_from_document = fresh
            changed.append(obj)
    ForeignDataObject.objects.bulk_update(changed, ["paths", "schemas", "missing_from_document"], batch_size=100)
    ForeignDataObject.objects.filter(pk__in=removed).delete()
    ForeignDataObject.objects.bulk_create(
        [
            ForeignDataObject(
                integration=integration,
                key=key,
                name=proposal.name[:MAX_NAME_LENGTH],
                paths=_proposal_paths(proposal),
                schemas=_proposal_schemas(proposal),
            )
            for key, proposal in by_key.items()
            if key not in owned
        ]
    )


def _proposal_paths(proposal: openapi.Proposal) -> list[dict]:
    return [{"path": entry.path, "methods": list(entry.methods)} for entry in proposal.paths]


def _proposal_schemas(proposal: openapi.Proposal) -> list[dict]:
    return [openapi.plain(schema, as_json=True) for schema in proposal.schemas]


def _combined_paths(path_lists: Iterable[list[dict]]) -> list[dict]:
    """Each path once, with the methods of every list that has it."""
    methods: dict[str, list[str]] = {}
    for entries in path_lists:
        for entry in entries:
            known = methods.setdefault(entry["path"], [])
            known.extend(verb for verb in entry.get("methods", []) if verb not in known)
    return [{"path": path, "methods": verbs} for path, verbs in methods.items()]


def _combined_schemas(schema_lists: Iterable[list[dict]]) -> list[dict]:
    seen, schemas = set(), []
    for entries in schema_lists:
        for schema in entries:
            identity = (schema.get("name"), schema.get("location"))
            if identity not in seen:
                seen.add(identity)
                schemas.append(schema)
    return schemas


# --- The integrator's decisions on foreign data objects ------------------------------------


def _lock_declarations(integration: Integration) -> Integration:
    """The integration locked, once its foreign data objects may change (not frozen)."""
    integration = Integration.objects.lock(integration)
    refuse_if_declarations_frozen(integration)
    return integration


def _lock_object(obj: ForeignDataObject) -> ForeignDataObject:
    return ForeignDataObject.objects.select_for_update().get(pk=obj.pk)


def _decide(obj: ForeignDataObject, *, acting_user: User, to: str, kind: str) -> ForeignDataObject:
    with transaction.atomic():
        integration = Integration.objects.lock(obj.integration)
        refuse_if_declarations_frozen(integration)
        obj = _lock_object(obj)
        before = obj.state
        if obj.declared_by_hand and to != ObjectState.ACCEPTED:
            raise ActionRefused(f"{obj.name} was declared by hand: remove it on the data model links page instead.")
        if before != to:
            obj.state = to
            obj.save(update_fields=["state"])
            record(
                actor=acting_user,
                kind=kind,
                organization=integration.owner,
                target=obj,
                target_label=obj.name,
                within=integration,
                from_state=before,
                to_state=to,
            )
            tiers.recompute(integration, cause=f"Foreign data object {obj.name} {ObjectState(to).label.lower()}")
    return obj


def accept_foreign_object(obj: ForeignDataObject, *, acting_user: User) -> ForeignDataObject:
    return _decide(obj, acting_user=acting_user, to=ObjectState.ACCEPTED, kind="foreign_object.accepted")


def drop_foreign_object(obj: ForeignDataObject, *, acting_user: User) -> ForeignDataObject:
    """Dropped objects stay listed (and are refreshed by re-imports) so they can be accepted again."""
    return _decide(obj, acting_user=acting_user, to=ObjectState.DROPPED, kind="foreign_object.dropped")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ActionRefused("Give the object a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise ActionRefused(f"A name has at most {MAX_NAME_LENGTH} characters.")
    return name


def rename_foreign_object(obj: ForeignDataObject, *, acting_user: User, name: str) -> ForeignDataObject:
    name = _clean_name(name)
    with transaction.atomic():
        integration = Integration.objects.lock(obj.integration)
        refuse_if_declarations_frozen(integration)
        obj = _lock_object(obj)
        before = obj.name
        if before != name:
            obj.name = name
            obj.save(update_fields=["name"])
            record(
                actor=acting_user,
                kind="foreign_object.renamed",
                organization=integration.owner,
                target=obj,
                target_label=name,
                within=integration,
                from_state=before,
                to_state=name,
            )
    return obj


def merge_foreign_objects(
    integration: Integration, *, acting_user: User, public_ids: Sequence[uuid.UUID], name: str = ""
) -> ForeignDataObject:
    """Combine several objects into the first chosen one; the others are deleted.

    The result is accepted if any part was, so nothing the integrator accepted is lost."""
    wanted = list(dict.fromkeys(public_ids))
    if len(wanted) < 2:
        raise ActionRefused("Choose at least two objects to merge.")
    with transaction.atomic():
        integration = _lock_declarations(integration)
        found = {
            obj.public_id: obj for obj in integration.foreign_objects.select_for_update().filter(public_id__in=wanted)
        }
        if len(found) != len(wanted):
            raise ActionRefused("Some of the chosen objects are not objects of this integration.")
        parts = [found[public_id] for public_id in wanted]
        declared = [part.name for part in parts if part.declared_by_hand]
        if declared:
            raise ActionRefused(f"{', '.join(declared)} declared by hand cannot be merged with the document's objects.")
        target, others = parts[0], parts[1:]
        keys = list(dict.fromkeys(key for part in parts for key in object_keys(part)))
        merged_key = KEY_SEPARATOR.join(keys)
        if len(merged_key) > KEY_LENGTH:
            raise ActionRefused("These objects cannot become one: merge fewer of them at a time.")
        target.name = _clean_name(name) if name.strip() else target.name
        target.paths = _combined_paths(part.paths for part in parts)
        target.schemas = _combined_schemas(part.schemas for part in parts)
        target.missing_from_document = all(part.missing_from_document for part in parts)
        if any(part.state == ObjectState.ACCEPTED for part in parts):
            target.state = ObjectState.ACCEPTED
        ForeignDataObject.objects.filter(pk__in=[part.pk for part in others]).delete()
        target.key = merged_key
        target.save(update_fields=["name", "paths", "schemas", "missing_from_document", "state", "key"])
        record(
            actor=acting_user,
            kind="foreign_object.merged",
            organization=integration.owner,
            target=target,
            target_label=target.name,
            within=integration,
            comment="Merged " + ", ".join(part.name for part in parts),
        )
        tiers.recompute(integration, cause=f"Foreign data objects merged into {target.name}")
    return target


def current_import(integration: Integration) -> OpenAPIImport | None:
    """The document the tiers read: the newest import that finished as DONE."""
    return integration.openapi_imports.filter(status=ImportStatus.DONE).order_by("-created_at", "-id").first()
