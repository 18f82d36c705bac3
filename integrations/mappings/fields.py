"""The fields the mapping editor offers on each side of a template mapping, with their type and
whether they are required: what the row picker lists and what a static value is checked against.

The iPaaS.com side is the mapping's collection (the target To iPaaS, the source From iPaaS). The
third party's side is known only through the OpenAPI definitions an import stored on the
foreign data objects linked to that collection (ForeignDataObject.schemas): the schemas its
operations send or receive, with their nested objects one level down as paths (billing.city).
Without such definitions that side lists nothing and any path can be typed, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from integrations.models import DataModelField, Direction, ForeignDataObject, ObjectState, TemplateMapping

# Choices listed per side: a large document's object can have thousands of fields.
MAX_CHOICES = 400
ARRAY_OF = "array of "


@dataclass(frozen=True)
class FieldChoice:
    path: str
    type: str  # "text", "integer"... for the data model; the OpenAPI label ("string (date-time)") otherwise
    type_label: str
    required: bool

    @property
    def description(self) -> str:
        return f"{self.type_label}{' · required' if self.required else ''}"


@dataclass(frozen=True)
class FieldPicker:
    """One side's fields; `origin` says where they come from ("" when none are known)."""

    choices: tuple[FieldChoice, ...] = ()
    origin: str = ""
    truncated: bool = False

    def get(self, path: str) -> FieldChoice | None:
        path = path.strip()
        return next((choice for choice in self.choices if choice.path == path), None)


@dataclass(frozen=True)
class MappingPickers:
    targets: FieldPicker
    sources: FieldPicker


def data_model_picker(collection_name: str, fields: Iterable[DataModelField]) -> FieldPicker:
    choices = tuple(
        FieldChoice(path=field.name, type=field.type, type_label=field.get_type_display(), required=field.required)
        for field in fields
    )
    return FieldPicker(choices, origin=f"the fields of {collection_name} in the iPaaS.com data model")


def third_party_picker(mapping: TemplateMapping) -> FieldPicker:
    """The fields of the OpenAPI definitions of the objects linked to the mapping's collection
    (those that support the mapping's direction, else any); one query."""
    objects = list(
        ForeignDataObject.objects.filter(
            integration_id=mapping.version.integration_id,
            state=ObjectState.ACCEPTED,
            link__collection_id=mapping.collection_id,
        )
        .select_related("link")
        .order_by("name")
    )
    supporting = [obj for obj in objects if dict(obj.link.directions).get(Direction(mapping.direction))]
    objects = [obj for obj in (supporting or objects) if obj.schemas]
    if not objects:
        return FieldPicker()
    choices: dict[str, FieldChoice] = {}
    for obj in objects:
        _add_schema_fields(choices, obj.schemas)
    names = ", ".join(obj.name for obj in objects)
    listed = tuple(choices.values())
    return FieldPicker(
        listed[:MAX_CHOICES], origin=f"the OpenAPI definitions of {names}", truncated=len(listed) > MAX_CHOICES
    )


def _add_schema_fields(choices: dict[str, FieldChoice], schemas: list[dict]) -> None:
    nested = {schema["name"]: schema for schema in schemas if schema.get("nested")}
    for schema in schemas:
        if schema.get("nested"):
            continue
        for field in schema.get("fields", ()):
            _add(choices, field["name"], field["type"], field["required"])
            inner = nested.get(field["type"])  # an object (not a list of them): its fields are paths
            for sub in inner.get("fields", ()) if inner else ():
                _add(choices, f"{field['name']}.{sub['name']}", sub["type"], field["required"] and sub["required"])


def _add(choices: dict[str, FieldChoice], path: str, type_: str, required: bool) -> None:
    if path not in choices and len(choices) <= MAX_CHOICES:
        choices[path] = FieldChoice(path=path, type=type_, type_label=type_, required=required)


def pickers_for(mapping: TemplateMapping, fields: Iterable[DataModelField]) -> MappingPickers:
    """Both sides of the mapping: the data model's `fields` (read by the caller) and the third
    party's definitions (one query)."""
    ours = data_model_picker(mapping.collection.name, fields)
    theirs = third_party_picker(mapping)
    if mapping.direction == Direction.TO_IPAAS:
        return MappingPickers(targets=ours, sources=theirs)
    return MappingPickers(targets=theirs, sources=ours)
