"""The Certified row of DOMAIN.md's tier table, as rules of the tier engine (integrations.tiers.engine).

Every supported MappingCollection has directions and methods; every declared webhook scope is
handled (linked to a collection and direction, and seen in a verified inbox event); the version
has template mappings for every collection and direction its links name, covering the required
fields; mapping tests for each, all passing on the mapping as it is now; description, features
and workflow documentation; and a certification request approved.

The collections and directions ("pairs") come from the links: each direction with methods of an
accepted foreign data object's link, and each webhook scope's link. What the rules read is loaded
by one loader, for many versions at once, with a fixed number of queries (the dashboard evaluates
every integration on one page). The approval is the certification workflow's to provide: it puts
`certification_approved` in `Facts.extra`; until then the last rule fails, so no version reaches
Certified without it.

Foreign data objects, webhook scopes and their links belong to the integration, not to a version,
so once a newer version is started they change for it while a certified version keeps its
template mappings and tests. The certification workflow therefore keeps, at approval, what these
rules read of them (`declarations_document`) and hands it back for the approved version
(`use_frozen_declarations`): that version is judged on its declarations as certified, every other
version on the declarations as they are now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models.functions import Lower
from django.template.defaultfilters import pluralize
from django.urls import reverse_lazy

from integrations.mapping_tests.selectors import NEVER_RUN, latest_state, with_latest_result
from integrations.mappings.services import unmapped_required_fields
from integrations.models import (
    DataModelField,
    Direction,
    ForeignDataObject,
    InboxEvent,
    IntegrationKind,
    IntegrationVersion,
    MappingCollection,
    MappingTest,
    ObjectState,
    Outcome,
    TemplateMapping,
    TemplateMappingRow,
    Tier,
    WebhookScope,
)
from integrations.tiers import engine as tiers
from integrations.tiers.engine import Facts, RuleResult

KEY = "certified"
APPROVAL = "certification_approved"
DECLARATIONS = "frozen_declarations"  # Facts.extra: the declarations as certified (declarations_document)
NAMED = 5  # a message names this many items, then says how many more


@dataclass(frozen=True)
class FrozenCollection:
    pk: int
    name: str


@dataclass(frozen=True)
class FrozenLink:
    """A link as certified: what the rules read of a ForeignObjectLink or a ScopeLink."""

    collection: FrozenCollection
    to_ipaas_methods: tuple[str, ...] = ()
    from_ipaas_methods: tuple[str, ...] = ()
    direction: str = ""  # a scope's

    @property
    def directions(self) -> list[tuple[Direction, tuple[str, ...]]]:
        pairs = ((Direction.TO_IPAAS, self.to_ipaas_methods), (Direction.FROM_IPAAS, self.from_ipaas_methods))
        return [(direction, methods) for direction, methods in pairs if methods]


@dataclass(frozen=True)
class FrozenDeclaration:
    """A foreign data object or a webhook scope as certified, with its link (or None)."""

    name: str
    link: FrozenLink | None
    first_seen_at: None = None  # a frozen scope's seen state is in scopes_with_events


@dataclass
class CertifiedFacts:
    """What the Certified rules read about one version (and its integration)."""

    objects: list[ForeignDataObject | FrozenDeclaration]  # accepted ones, each with its link (or none)
    scopes: list[WebhookScope | FrozenDeclaration]  # each with its link (or none)
    scopes_with_events: set[str]  # lower-cased scope names of the verified events kept
    mappings: list[TemplateMapping]
    rows: dict[int, list[TemplateMappingRow]]  # by mapping
    required_fields: dict[int, list[DataModelField]]  # by collection
    tests: list[MappingTest]  # with latest_outcome and latest_revision
    frozen: bool = False  # objects and scopes are the ones certified, not today's

    def pairs(self) -> dict[tuple[int, str], str]:
        """Every (collection, direction) the links name, with its label ("Customer To iPaaS")."""
        found: dict[tuple[int, str], str] = {}

        def add(collection: MappingCollection, direction: str) -> None:
            found.setdefault((collection.pk, direction), f"{collection.name} {Direction(direction).label}")

        for obj in self.objects:
            link = _link(obj)
            for direction, _ in link.directions if link else ():
                add(link.collection, direction)
        for scope in self.scopes:
            if link := _link(scope):
                add(link.collection, link.direction)
        return found

    def is_seen(self, scope: WebhookScope) -> bool:
        return scope.first_seen_at is not None or scope.name.lower() in self.scopes_with_events


def _link(item):
    """The item's ForeignObjectLink or ScopeLink, None without one (select_related cached it)."""
    return getattr(item, "link", None)


def _by_integration(facts: list[Facts], integration_ids: set[int]) -> dict:
    """Each integration's accepted objects, scopes (with their links) and the lower-cased scopes
    of its verified events: three queries at most (none for the scopes the facts carry)."""
    by_integration = defaultdict(lambda: ([], [], set()))
    objects = ForeignDataObject.objects.filter(integration_id__in=integration_ids, state=ObjectState.ACCEPTED)
    objects = objects.defer("paths", "schemas")  # an import's paths can be megabytes; the rules read names and links
    for obj in objects.select_related("link__collection").order_by("name", "pk"):
        by_integration[obj.integration_id][0].append(obj)
    given = {f.integration.pk: f.scopes for f in facts if f.scopes is not None}
    if len(given) < len(integration_ids):
        scopes = WebhookScope.objects.filter(integration_id__in=integration_ids - given.keys())
        for scope in scopes.select_related("link__collection").order_by("name", "pk"):
            by_integration[scope.integration_id][1].append(scope)
    for integration_id, known in given.items():
        by_integration[integration_id][1].extend(known)
    events = (
        InboxEvent.objects.filter(integration_id__in=integration_ids)
        .order_by()
        .annotate(lower_scope=Lower("scope"))
        .values_list("integration_id", "lower_scope")
        .distinct()
    )
    for integration_id, scope in events:
        by_integration[integration_id][2].add(scope)
    return by_integration


def _mapping_facts(version_ids: set[int]):
    """The versions' template mappings and mapping tests, each grouped by version once (so a
    version takes its own in one look-up, not a scan of them all), with the mappings' rows and
    the required fields of their collections: four queries at most."""
    mappings = list(
        TemplateMapping.objects.filter(version_id__in=version_ids).select_related("collection").order_by("name", "pk")
    )
    mappings_of, tests_of = defaultdict(list), defaultdict(list)
    rows, required = defaultdict(list), defaultdict(list)
    if not mappings:
        return mappings_of, tests_of, rows, required
    for mapping in mappings:
        mappings_of[mapping.version_id].append(mapping)
    for row in TemplateMappingRow.objects.filter(mapping__in=mappings).only(
        "mapping_id", "target", "source", "kind", "formula"
    ):
        rows[row.mapping_id].append(row)
    collection_ids = {m.collection_id for m in mappings}
    for field in DataModelField.objects.filter(collection_id__in=collection_ids, required=True):
        required[field.collection_id].append(field)
    # The sample and expected records can be large; the rules read names, revisions and results.
    tested = MappingTest.objects.filter(mapping__in=mappings).defer("sample", "parent", "expected", "description")
    version_of = {mapping.pk: mapping.version_id for mapping in mappings}
    for test in with_latest_result(tested).order_by("name", "pk"):
        tests_of[version_of[test.mapping_id]].append(test)
    return mappings_of, tests_of, rows, required


@tiers.register_loader(KEY)
def load_certified_facts(facts: list[Facts]) -> None:
    """Fills facts.extra[KEY] for every version given, with at most seven queries in all."""
    if not facts:
        return
    by_integration = _by_integration(facts, {f.integration.pk for f in facts})
    mappings_of, tests_of, rows, required = _mapping_facts({f.version.pk for f in facts})
    for fact in facts:
        own = mappings_of[fact.version.pk]
        fact_objects, fact_scopes, seen = by_integration[fact.integration.pk]
        fact.extra[KEY] = CertifiedFacts(
            objects=fact_objects,
            scopes=fact_scopes,
            scopes_with_events=seen,
            mappings=own,
            rows={m.pk: rows[m.pk] for m in own},
            required_fields=required,
            tests=tests_of[fact.version.pk],
        )


def _certified(facts: Facts) -> CertifiedFacts:
    if KEY not in facts.extra:  # facts built by hand, without tiers.load_extra
        load_certified_facts([facts])
    known = facts.extra[KEY]
    document = facts.extra.get(DECLARATIONS)
    if document is not None and not known.frozen:  # loaders run in any order: applied on first read
        known = facts.extra[KEY] = _with_declarations(known, document)
    return known


# --- Declarations as certified ---------------------------------------------------------------


def _link_document(link) -> dict | None:
    if link is None:
        return None
    return {
        "collection": link.collection_id,
        "collection_name": link.collection.name,
        "to_ipaas": list(getattr(link, "to_ipaas_methods", [])),
        "from_ipaas": list(getattr(link, "from_ipaas_methods", [])),
        "direction": getattr(link, "direction", ""),
    }


def declarations_document(known: CertifiedFacts, *, openapi_valid: bool, openapi_imported: bool) -> dict:
    """What the rules read of the integration's declarations, as JSON to keep with an approval."""
    return {
        "objects": [{"name": obj.name, "link": _link_document(_link(obj))} for obj in known.objects],
        "scopes": [
            {"name": scope.name, "link": _link_document(_link(scope)), "seen": known.is_seen(scope)}
            for scope in known.scopes
        ],
        "openapi_valid": openapi_valid,
        "openapi_imported": openapi_imported,
    }


def take_declarations(version: IntegrationVersion) -> dict:
    """The version's declarations as they are now, for a version not approved yet (an approved
    one is judged on the document its approval kept, and is not approved twice)."""
    facts = tiers.load_facts(version)
    live = facts.extra[KEY]
    return declarations_document(live, openapi_valid=facts.current_import_valid, openapi_imported=facts.has_import)


def _frozen_link(document: dict | None) -> FrozenLink | None:
    if not document:
        return None
    return FrozenLink(
        collection=FrozenCollection(document["collection"], document["collection_name"]),
        to_ipaas_methods=tuple(document.get("to_ipaas", ())),
        from_ipaas_methods=tuple(document.get("from_ipaas", ())),
        direction=document.get("direction", ""),
    )


def _with_declarations(known: CertifiedFacts, document: dict) -> CertifiedFacts:
    scopes = document.get("scopes", [])
    return replace(
        known,
        objects=[FrozenDeclaration(o["name"], _frozen_link(o["link"])) for o in document.get("objects", [])],
        scopes=[FrozenDeclaration(s["name"], _frozen_link(s["link"])) for s in scopes],
        scopes_with_events={s["name"].lower() for s in scopes if s.get("seen")},
        frozen=True,
    )


def use_frozen_declarations(facts: Facts, document: dict) -> None:
    """Judges ``facts.version`` on the declarations kept at its approval (declarations_document)
    instead of today's: the objects, scopes and links of the Certified rules, and what the
    Compatible rules read of them (the scopes declared, the OpenAPI document's validity)."""
    if not document:  # approved before declarations were kept: judged on today's
        return
    facts.extra[DECLARATIONS] = document
    facts.scope_count = len(document.get("scopes", []))
    facts.current_import_valid = bool(document.get("openapi_valid"))
    facts.has_import = bool(document.get("openapi_imported"))


# --- Messages ------------------------------------------------------------------------------


def names(items: Iterable[str]) -> str:
    """“A”, “A and B”, “A, B and C”, then “A, B, C, D, E and 3 more”."""
    items = list(items)
    shown, rest = items[:NAMED], len(items) - NAMED
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _url(facts: Facts, name: str) -> str:
    # Lazy: a page that evaluates the rules of many integrations (the dashboard) shows no link.
    return reverse_lazy(name, args=[facts.integration.slug])


def _version_url(facts: Facts, name: str) -> str:
    return reverse_lazy(name, args=[facts.integration.slug, facts.version.public_id])


def _as_certified(known: CertifiedFacts) -> str:
    return " (as they were when this version was certified)" if known.frozen else ""


def _no_pairs(facts: Facts) -> RuleResult:
    return RuleResult(
        False,
        "Link the integration's foreign data objects to MappingCollections first: each collection and "
        "direction they support then needs its template mapping and mapping tests.",
        _url(facts, "integration_collections"),
    )


# --- Rules ---------------------------------------------------------------------------------


@tiers.register(
    "collections_have_directions", Tier.CERTIFIED, "Every supported MappingCollection has directions and methods"
)
def collections_have_directions(facts: Facts) -> RuleResult:
    known = _certified(facts)
    if not known.objects and facts.integration.kind == IntegrationKind.SDK:
        return RuleResult(
            False,
            "Declare the foreign data objects the connector exchanges, each linked to a MappingCollection "
            "with its directions and methods.",
            _url(facts, "integration_collections"),
        )
    if not known.objects:
        return RuleResult(
            False,
            "Accept the foreign data objects the integration supports (from its OpenAPI document), then link "
            "each to a MappingCollection with its directions and methods.",
            _url(facts, "integration_openapi"),
        )
    unlinked = [obj.name for obj in known.objects if _link(obj) is None]
    no_methods = [obj.name for obj in known.objects if _link(obj) is not None and not _link(obj).directions]
    if not unlinked and not no_methods:
        n = len(known.objects)
        return RuleResult(
            True,
            f"All {n} accepted foreign data object{pluralize(n)} {pluralize(n, 'is,are')} linked to "
            f"MappingCollections, with the methods of each direction{_as_certified(known)}.",
        )
    parts = []
    if unlinked:
        parts.append(f"link {names(unlinked)} to a MappingCollection, with the methods of each direction")
    if no_methods:
        parts.append(f"choose the methods of at least one direction for {names(no_methods)}")
    return RuleResult(False, _sentence(parts), _url(facts, "integration_collections"))


@tiers.register("scopes_handled", Tier.CERTIFIED, "Every declared webhook scope handled")
def scopes_handled(facts: Facts) -> RuleResult:
    known = _certified(facts)
    if not known.scopes:
        return RuleResult(
            False, "Declare the webhook scopes the integration supports.", _url(facts, "integration_edit")
        )
    unlinked = [scope.name for scope in known.scopes if _link(scope) is None]
    unseen = [scope.name for scope in known.scopes if not known.is_seen(scope)]
    if not unlinked and not unseen:
        n = len(known.scopes)
        return RuleResult(
            True,
            f"All {n} webhook scope{pluralize(n)} {pluralize(n, 'is,are')} linked to a MappingCollection and direction "
            f"and {pluralize(n, 'was,were')} seen in a verified test event{_as_certified(known)}.",
        )
    parts = []
    if unlinked:
        parts.append(f"link {names(unlinked)} to a MappingCollection and direction")
    if unseen:
        parts.append(f"send a signed test event for {names(unseen)} to the sandbox inbox")
    url = _url(facts, "integration_collections") if unlinked else _url(facts, "integration_inbox")
    return RuleResult(False, _sentence(parts), url)


@tiers.register(
    "template_mappings_cover_collections",
    Tier.CERTIFIED,
    "Template mappings for every collection and direction, required fields covered",
)
def template_mappings_cover_collections(facts: Facts) -> RuleResult:
    known = _certified(facts)
    pairs = known.pairs()
    if not pairs:
        return _no_pairs(facts)
    mapped = {(m.collection_id, m.direction) for m in known.mappings}
    missing = [label for pair, label in pairs.items() if pair not in mapped]
    uncovered = []
    for mapping in known.mappings:
        fields = known.required_fields.get(mapping.collection_id, [])
        unmapped = unmapped_required_fields(mapping, known.rows.get(mapping.pk, []), fields)
        if unmapped:
            uncovered.append(f"{names([f.name for f in unmapped])} in {mapping.name}")
    if not missing and not uncovered:
        return RuleResult(
            True,
            f"Version {facts.version.number} has template mappings for {names(pairs.values())}, "
            "with every required field mapped.",
        )
    parts = []
    if missing:
        parts.append(f"add a template mapping to version {facts.version.number} for {names(missing)}")
    if uncovered:
        parts.append(f"map the required fields {names(uncovered)}")
    return RuleResult(False, _sentence(parts), _version_url(facts, "mapping_collection_list"))


@tiers.register("mapping_tests_pass", Tier.CERTIFIED, "Mapping tests for every collection and direction, all passing")
def mapping_tests_pass(facts: Facts) -> RuleResult:
    known = _certified(facts)
    pairs = known.pairs()
    if not pairs:
        return _no_pairs(facts)
    mappings = {m.pk: m for m in known.mappings}
    tested = {(mappings[t.mapping_id].collection_id, mappings[t.mapping_id].direction) for t in known.tests}
    untested = [label for pair, label in pairs.items() if pair not in tested]
    by_state = defaultdict(list)
    for test in known.tests:
        mapping = mappings[test.mapping_id]
        by_state[latest_state(test, mapping.revision)].append(f"“{test.name}” ({mapping.name})")
    if not untested and set(by_state) <= {Outcome.PASS}:
        n = len(known.tests)
        return RuleResult(
            True,
            f"All {n} mapping test{pluralize(n)} of version {facts.version.number} {pluralize(n, 'passes,pass')} "
            "on the template mappings as they are now.",
        )
    parts = []
    if untested:
        parts.append(f"add a mapping test for {names(untested)}")
    failing = by_state.pop(Outcome.FAIL, []) + by_state.pop(Outcome.ERROR, [])
    never_run = by_state.pop(NEVER_RUN, [])
    by_state.pop(Outcome.PASS, None)
    changed = [test for state in by_state.values() for test in state]  # stale, or the test edited since
    if failing:
        parts.append(f"fix the template mapping or the expected output of {names(failing)}, which fail")
    if changed:
        parts.append(f"run again {names(changed)}, changed since their latest result")
    if never_run:
        parts.append(f"run {names(never_run)}, never run yet")
    url_name = "mapping_collection_list" if untested else "mapping_test_runs"
    return RuleResult(False, _sentence(parts), _version_url(facts, url_name))


@tiers.register("documentation_present", Tier.CERTIFIED, "Description, features and workflow documentation")
def documentation_present(facts: Facts) -> RuleResult:
    integration = facts.integration
    fields = (
        ("the description", integration.description),
        ("the features", integration.features),
        ("the workflow documentation", integration.workflow_documentation),
    )
    missing = [label for label, value in fields if not value.strip()]
    if not missing:
        return RuleResult(True, "The description, features and workflow documentation are written.")
    return RuleResult(False, _sentence([f"write {names(missing)}"]), _url(facts, "integration_edit"))


@tiers.register(APPROVAL, Tier.CERTIFIED, "A certification request approved")
def certification_approved(facts: Facts) -> RuleResult:
    approval = facts.extra.get(APPROVAL)
    if approval:
        message = approval if isinstance(approval, str) else "Red Rook staff approved a certification request."
        return RuleResult(True, message)
    return RuleResult(
        False,
        "Once every rule above passes, request certification of this version: Red Rook staff (or, for a "
        "new version of a certified integration, the Red Rook automation) approve the request.",
    )


def certification_checks_pass(version: IntegrationVersion, checklists: list[tiers.TierChecklist] | None = None) -> bool:
    """Every rule of the tiers below Certified and every Certified rule but the approval itself
    pass: what a certification request needs before staff decide on it."""
    for checklist in checklists if checklists is not None else tiers.evaluate(version):
        if checklist.tier < Tier.CERTIFIED and not checklist.passed:
            return False
        if checklist.tier == Tier.CERTIFIED:
            return all(result.passed for rule, result in checklist.results if rule.code != APPROVAL)
    return False
