"""Forms of the data model links, translation tables and the template mapping editor. Formulas are
checked here when saved (check_formula; From iPaaS also the names they read, mapping_checks), and so
is a mapping's parent: a problem is shown next to its field, nothing is saved."""

from django import forms
from django.core.exceptions import ValidationError

from integrations.formulas import RowKind
from integrations.mappings import checks as mapping_checks
from integrations.mappings import fields as mapping_fields
from integrations.mappings import objects as object_services
from integrations.mappings import services as mapping_services
from integrations.mappings import tables as table_services
from integrations.mappings.models import FORMULA_MAX_LENGTH, TABLE_NAME, TABLE_NAME_HELP
from integrations.mappings.objects import MAX_ENDPOINTS
from integrations.models import (
    ROW_KINDS,
    CollisionHandling,
    Direction,
    HttpMethod,
    MappingCollection,
    SyncType,
    TemplateMapping,
    TranslationTable,
)
from integrations.openapi.services import MAX_NAME_LENGTH
from portal.services import ActionRefused

MAX_TABLE_TEXT = 200_000
# The ids of the editor's <datalist>s of fields (mappings/_field_lists.html) the row inputs offer.
TARGET_LIST = "mapping-target-fields"
SOURCE_LIST = "mapping-source-fields"


class CollectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MappingCollection) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


def collection_field(**kwargs) -> CollectionChoiceField:
    queryset = MappingCollection.objects.select_related("parent").order_by("position", "name")
    return CollectionChoiceField(queryset=queryset, label="Data model collection", **kwargs)


def collection_choices() -> list:
    """The collection field's choices, read in one query: a page with a link form per object and
    per scope passes them to every form (collection_choices=...) so its query count stays constant."""
    return list(collection_field().choices)


class SharedCollectionChoices:
    def __init__(self, *args, collection_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if collection_choices is not None:
            self.fields["collection"].choices = collection_choices


def _methods(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=HttpMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: this direction is not supported.",
    )


class ObjectLinkForm(SharedCollectionChoices, forms.Form):
    collection = collection_field()
    to_ipaas_methods = _methods("Methods used To iPaaS")
    from_ipaas_methods = _methods("Methods used From iPaaS")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("to_ipaas_methods") and not cleaned.get("from_ipaas_methods"):
            raise ValidationError("Tick the methods of at least one direction: To iPaaS, From iPaaS or both.")
        return cleaned


class ForeignObjectDeclarationForm(ObjectLinkForm):
    """A foreign data object declared by hand, linked in the same submit (object_services)."""

    name = forms.CharField(
        max_length=MAX_NAME_LENGTH,
        help_text="What the third party calls it, such as Customers.",
        error_messages={"required": "Give the object a name, such as Customers."},
    )
    endpoints = forms.CharField(
        label="Endpoints",
        required=False,
        strip=False,  # line numbers in the messages count the lines as typed, blank ones included
        max_length=MAX_ENDPOINTS * 60,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="Optional. The third party's endpoints for it, one per line: the method and the path "
        "(GET /customers/{id}), or only the path.",
    )
    field_order = ["name", "endpoints", "collection", "to_ipaas_methods", "from_ipaas_methods"]

    def clean_name(self):
        try:
            return object_services.clean_object_name(self.cleaned_data["name"])
        except ActionRefused as refused:
            raise ValidationError(str(refused)) from None

    def clean_endpoints(self):
        paths, problems = object_services.parse_endpoints(self.cleaned_data["endpoints"])
        if problems:
            raise ValidationError(problems)
        return paths


class ScopeLinkForm(SharedCollectionChoices, forms.Form):
    collection = collection_field()
    direction = forms.ChoiceField(choices=Direction.choices)


class TranslationTableForm(forms.Form):
    name = forms.CharField(max_length=60, help_text=TABLE_NAME_HELP)
    entries = forms.CharField(
        label="Translations",
        required=False,
        max_length=MAX_TABLE_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One per line: the value to translate, “=”, then what it becomes (US = United States). "
        "The first “=” on a line separates the two.",
    )
    notes = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    # Editing: the table's version when the form was loaded (the optimistic lock).
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not TABLE_NAME.match(name):
            raise ValidationError(TABLE_NAME_HELP)
        return name

    def clean_entries(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["entries"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise ValidationError(f"Line {number} has no “=” between the value and its translation.")
            rows.append((key.strip(), value.strip()))
        try:
            table_services.table_entries(rows)
        except ActionRefused as refused:
            raise ValidationError(str(refused)) from None
        return rows

    @staticmethod
    def initial_for(table: TranslationTable) -> dict:
        lines = "\n".join(f"{key} = {value}" for key, value in table.entries)
        return {
            "name": table.name,
            "entries": lines,
            "notes": table.notes,
            "loaded_version": table_services.table_version(table),
        }


def _formula_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=FORMULA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=help_text,
    )


class TemplateMappingForm(forms.ModelForm):
    """Name, data model, direction and behaviour of a template mapping. Left empty, the name is
    proposed from the application, the collection, the sync type and the direction. Editing, it
    carries the mapping revision it was loaded with (the optimistic lock); adding, none."""

    collection = collection_field()
    revision = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    mapping_filter = _formula_field("Mapping filter", "A formula: records for which it is false are skipped.")
    error_filter = _formula_field(
        "Error filter", "A formula: when it gives text (or true), the record fails with that message."
    )

    class Meta:
        model = TemplateMapping
        fields = [
            "name",
            "collection",
            "parent",
            "direction",
            "sync_type",
            "collision_handling",
            "mapping_filter",
            "error_filter",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, version, table_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.table_names = set(table_names)
        self.fields["name"].required = False
        self.fields["name"].help_text = (
            "“[APPLICATION] [DATA MODEL] [ADD/MODIFY/DELETE] [FROM/TO] IPAAS”. Leave it empty and the "
            "portal proposes it from your choices below; edit it as you like."
        )
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        self.fields["parent"].queryset = mapping_checks.parent_choices(version, self.instance)
        self.fields["parent"].help_text = (
            "Only for a child collection (a customer's addresses): the template mapping of its parent "
            "collection (Customer) in the same direction. A top-level collection's mapping has none."
        )
        self.fields["direction"].choices = Direction.choices
        self.fields["sync_type"].choices = SyncType.choices
        self.fields["collision_handling"].choices = CollisionHandling.choices

    def clean(self):
        cleaned = super().clean()
        collection, sync, direction = cleaned.get("collection"), cleaned.get("sync_type"), cleaned.get("direction")
        record = mapping_checks.source_record(collection, direction)
        for field in ("mapping_filter", "error_filter"):
            problems = mapping_checks.formula_problems(cleaned.get(field) or "", self.table_names, record)
            if problems:
                self.add_error(field, problems)
        if collection and direction:
            self._check_parent(collection, direction, cleaned.get("parent"))
        name = " ".join((cleaned.get("name") or "").split())
        if not name and collection and sync and direction:
            name = mapping_services.propose_mapping_name(
                self.version.integration.application.name, collection, sync, direction
            )
        if not name:
            self.add_error("name", "Give the mapping a name, or choose the collection, sync type and direction.")
        else:
            problem = mapping_services.mapping_name_problem(name, sync or "", direction or "")
            if problem:
                self.add_error("name", problem)
        cleaned["name"] = name
        if self.instance.pk and not cleaned.get("revision"):
            self.add_error(None, "This form lacks the template mapping's revision: reload the page.")
        return cleaned

    def _check_parent(self, collection, direction, parent) -> None:
        mapping = self.instance if self.instance.pk else None
        problem = mapping_checks.parent_problem(self.version, collection, direction, parent, mapping)
        if problem:
            self.add_error("parent", problem)
        if mapping is not None:
            problem = mapping_checks.children_problem(mapping, collection, direction)
            if problem:
                self.add_error(None, problem)

    def values(self) -> dict:
        return {key: self.cleaned_data[key] for key in mapping_services.MAPPING_FIELDS}


# The inputs that depend on a row's kind, and those each kind uses.
ROW_KIND_INPUTS = ("source", "formula", "value", "table", "default")
KIND_INPUTS = {
    RowKind.FIELD: ("source",),
    RowKind.FORMULA: ("formula",),
    RowKind.STATIC: ("value",),
    RowKind.TRANSLATION: ("source", "table", "default"),
}
# What a screen reader is told when a row's kind changes and its inputs are swapped: "Row 3 is
# now a dynamic formula: enter the formula."
KIND_ANNOUNCEMENTS = {
    RowKind.FIELD: "field to field: enter the source field",
    RowKind.FORMULA: "a dynamic formula: enter the formula",
    RowKind.STATIC: "a static value: enter the value",
    RowKind.TRANSLATION: "a translation: enter the source field, then choose the translation table",
}


class MappingRowForm(forms.Form):
    """One row: its target field and where the value comes from. `revision` is the row revision
    the form was loaded with (the optimistic lock); it is not used when adding a row."""

    target = forms.CharField(
        max_length=200,
        help_text="The field this row fills: choose one from the list (with its type, and whether it is "
        "required), or type a path such as Address.City.",
        widget=forms.TextInput(attrs={"list": TARGET_LIST, "autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(label="Kind", choices=ROW_KINDS)
    source = forms.CharField(
        max_length=200,
        required=False,
        help_text="Field to field and translation: the field the value comes from, from the list or typed as a path.",
        widget=forms.TextInput(attrs={"list": SOURCE_LIST, "autocomplete": "off", "spellcheck": "false"}),
    )
    formula = _formula_field("Dynamic formula", 'Such as "WEB" + SKU; see the formula help.')
    value = forms.CharField(label="Static value", max_length=FORMULA_MAX_LENGTH, required=False)
    table = forms.ModelChoiceField(label="Translation table", queryset=TranslationTable.objects.none(), required=False)
    default = forms.CharField(
        max_length=200,
        required=False,
        help_text="Translation: the value when the table has no entry. Empty: the record fails instead.",
    )
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, tables, mapping=None, **kwargs):
        """`mapping`: the template mapping the row belongs to; From iPaaS, the names the row reads
        are checked against its collection's fields (mapping_checks)."""
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        self.tables = list(tables)
        self.fields["table"].queryset = TranslationTable.objects.filter(pk__in=[t.pk for t in self.tables])
        self.fields["table"].choices = [("", "—")] + [(t.pk, t.name) for t in self.tables]

    def current_kind(self) -> RowKind | None:
        """The kind the form shows: posted, else initial; None when it is not a kind."""
        try:
            return RowKind(self["kind"].value() or RowKind.FIELD.value)
        except ValueError:
            return None

    def kind_inputs(self) -> list:
        """The inputs the current kind uses (every one when the kind is unknown)."""
        names = KIND_INPUTS.get(self.current_kind(), ROW_KIND_INPUTS)
        return [self[name] for name in ROW_KIND_INPUTS if name in names]

    def kind_announcement(self, row_name: str) -> str:
        """What the editor announces once this form's inputs are those of its kind ("" for no kind)."""
        kind = self.current_kind()
        return f"{row_name} is now {KIND_ANNOUNCEMENTS[kind]}." if kind else ""

    def other_inputs(self) -> list:
        """The inputs the current kind does not use: shown only without JavaScript."""
        names = KIND_INPUTS.get(self.current_kind(), ROW_KIND_INPUTS)
        return [self[name] for name in ROW_KIND_INPUTS if name not in names]

    @classmethod
    def initial_from_query(cls, query, prefix: str) -> dict:
        """What a row form had when its kind changed (the editor swaps its inputs; not validated)."""
        names = ("target", "kind", *ROW_KIND_INPUTS, "notes", "revision")
        return {name: query.get(f"{prefix}-{name}", "") for name in names}

    def clean_target(self):
        target = self.cleaned_data["target"].strip()
        if not all(part.strip() for part in target.split(".")):
            raise ValidationError("Write the target as a field name or a path such as Address.City.")
        return target

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        record = self._source_record() if kind in (RowKind.FIELD, RowKind.TRANSLATION, RowKind.FORMULA) else None
        if kind in (RowKind.FIELD, RowKind.TRANSLATION):
            source = cleaned.get("source", "").strip()
            problem = "Name the source field this row reads."
            if source:
                problem = mapping_checks.source_problem(source, record)
            if problem:
                self.add_error("source", problem)
        if kind == RowKind.FORMULA:
            formula = cleaned.get("formula") or ""
            if not formula.strip():
                self.add_error("formula", "Write the formula.")
            else:
                problems = mapping_checks.formula_problems(formula, [t.name for t in self.tables], record)
                if problems:
                    self.add_error("formula", problems)
        if kind == RowKind.STATIC and cleaned.get("target"):
            self._check_static_value(cleaned["target"], cleaned.get("value") or "")
        if kind == RowKind.TRANSLATION and not cleaned.get("table"):
            known = ", ".join(t.name for t in self.tables) or "none yet: define one first"
            self.add_error("table", f"Choose the translation table (tables: {known}).")
        return cleaned

    def _check_static_value(self, target: str, value: str) -> None:
        if self.mapping is None:
            return
        field = mapping_fields.pickers_for(self.mapping, self.mapping.collection.fields.all()).targets.get(target)
        if field is not None:
            problem = mapping_checks.static_value_problem(target, value, field.type, field.type_label)
            if problem:
                self.add_error("value", problem)

    def _source_record(self) -> "mapping_checks.SourceRecord | None":
        if self.mapping is None:
            return None
        return mapping_checks.source_record(self.mapping.collection, self.mapping.direction)

    def values(self) -> "mapping_services.RowValues":
        data = self.cleaned_data
        return mapping_services.RowValues(
            target=data["target"],
            kind=data["kind"],
            source=data.get("source", ""),
            formula=data.get("formula", ""),
            value=data.get("value", ""),
            table=data.get("table"),
            default=data.get("default") or None,
            notes=data.get("notes", ""),
        )

    @staticmethod
    def initial_for(row) -> dict:
        return {
            "target": row.target,
            "kind": row.kind,
            "source": row.source,
            "formula": row.formula,
            "value": row.value,
            "table": row.table_id,
            "default": row.default,
            "notes": row.notes,
            "revision": row.revision,
        }


class CloneForm(forms.Form):
    reverse = forms.BooleanField(required=False)


class PreviewForm(forms.Form):
    """A sample source record (and its parent's, for a child collection) to preview a mapping
    with; load_sample() decides whether the JSON can be used, with its own messages."""

    sample = forms.CharField(
        label="Sample source record (JSON)",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text='One record as the source system sends it, such as {"email": "ada@example.com"}.',
    )
    parent = forms.CharField(
        label="Parent record (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="For a child collection: the parent record, which formulas read as Parent.",
    )
