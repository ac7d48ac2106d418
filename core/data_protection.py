"""The personal-data seam: every model says whether it holds personal data and, if it does, how
one person's rows are erased and exported and how long they are kept.

Each app declares its own models in a module `personal_data.py` (the privacy app finds them with
Django's `autodiscover_modules`, as the admin finds `admin.py`):

    from core.data_protection import holds, holds_none

    holds(Document, erase=_erase, export=_export, mentions=("caption",),
          retention={"documents": _purge_documents})
    holds_none(Template, why="approved wording; names no one")

The seam lives in core so that every app can declare without importing the privacy app, and the
privacy app depends on the declarations, never the other way round. A model without a declaration
fails the privacy tests (tests/privacy/test_every_model_declares_its_personal_data.py).

Core also owns the suppression lookup: an address that was erased (or opted out before its person
was erased) is remembered by a keyed hash elsewhere (the privacy app registers the lookup), and a
contact point created for it again starts opted out as of that time.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model, Q

# What erased text is replaced with where someone else's row named the person.
REDACTED = "[erased]"


@dataclass(frozen=True)
class Person:
    """Everything that identifies one person, gathered before anything is erased.

    `customer_ids` may be empty: an address that is nobody's any more (or never was) still has
    rows that name it (status reports, the sandbox's outbox, inbound messages).
    """

    customer_ids: frozenset[int] = frozenset()
    contact_point_ids: frozenset[int] = frozenset()
    addresses: frozenset[tuple[str, str]] = frozenset()  # (channel, address)
    provider_user_ids: frozenset[str] = frozenset()
    full_names: frozenset[str] = frozenset()
    name_parts: frozenset[str] = frozenset()  # given and family names, each alone
    codes: frozenset[str] = frozenset()  # follow and opt-in codes of their passengers

    def addresses_on(self, channel: str) -> set[str]:
        return {a for c, a in self.addresses if c == channel}

    @property
    def needles(self) -> set[str]:
        """Strings that name this person wherever they stand (numbers, ids, full names)."""
        found = {a for _, a in self.addresses} | set(self.provider_user_ids) | set(self.codes)
        found |= {a.lstrip("+") for c, a in self.addresses if c == "whatsapp"}
        found |= set(self.full_names)
        return {n for n in found if len(n) >= 4}


# erase(person) -> rows changed; export(person) -> JSON-ready rows; purge(cutoff) -> rows changed
Eraser = Callable[[Person], int]
Exporter = Callable[[Person], list[dict]]
Purger = Callable[[datetime], int]


@dataclass(frozen=True)
class Declaration:
    model: type[Model]
    holds_personal_data: bool
    erase: Eraser | None = None
    export: Exporter | None = None
    # Free-text or JSON fields where other people's rows may name this person (a relative asking
    # "is Anna there yet?", a note): the person's names, numbers and ids are redacted there.
    mentions: tuple[str, ...] = ()
    # The path from this model to the Customer a row belongs to (e.g. "conversation__customer"),
    # or a function of customer ids giving a Q of their rows: in rows of the people `related`
    # returns, the person's given and family names are redacted too, not only their full name.
    owner: str | Callable[[set[int]], Q] = ""
    # Other people who may name this person by their first name alone (their update group).
    related: Callable[[Person], set[int]] | None = None
    # Consent history rows (what, when, how): listed together at the top of an export.
    consent: Exporter | None = None
    # Kind of data (a key of settings.PRIVACY_RETENTION_DAYS) -> purge everything before a cutoff.
    retention: Mapping[str, Purger] = field(default_factory=dict)
    # Erasers run in this order, lowest first (rows that point at a person before the person).
    order: int = 50
    why: str = ""  # for a model that holds none: why not


_declarations: dict[type[Model], Declaration] = {}


def _declare(declaration: Declaration) -> None:
    model = declaration.model
    if model in _declarations and _declarations[model] != declaration:
        raise ValueError(f"{model._meta.label} is declared twice")
    _declarations[model] = declaration


def holds(
    model: type[Model],
    *,
    erase: Eraser,
    export: Exporter | None,
    mentions: tuple[str, ...] = (),
    owner: str | Callable[[set[int]], Q] = "",
    related: Callable[[Person], set[int]] | None = None,
    consent: Exporter | None = None,
    retention: Mapping[str, Purger] | None = None,
    order: int = 50,
) -> None:
    """`model` holds personal data: `erase` removes or irreversibly anonymises one person's rows
    (and must be harmless when run again); `export` lists them (None: exported with another model,
    which the declaration's owner says in a comment)."""
    _declare(
        Declaration(
            model=model,
            holds_personal_data=True,
            erase=erase,
            export=export,
            mentions=mentions,
            owner=owner,
            related=related,
            consent=consent,
            retention=dict(retention or {}),
            order=order,
        )
    )


def holds_none(
    model: type[Model], *, why: str, retention: Mapping[str, Purger] | None = None
) -> None:
    """`model` holds nobody's personal data that erasure is about (say why); it may still be
    purged after a while (`retention`), e.g. agents' sign-in attempts."""
    if not why:
        raise ValueError(f"say why {model._meta.label} holds no personal data")
    _declare(
        Declaration(
            model=model, holds_personal_data=False, why=why, retention=dict(retention or {})
        )
    )


def declarations() -> list[Declaration]:
    """Every declaration, erasers in their order."""
    return sorted(_declarations.values(), key=lambda d: (d.order, d.model._meta.label))


def declaration_for(model: type[Model]) -> Declaration | None:
    return _declarations.get(model)


def undeclared(models: list[type[Model]]) -> list[type[Model]]:
    """Models with a table of their own that no app has declared (a proxy's rows are its base's)."""
    return [
        m for m in models if not m._meta.proxy and not m._meta.swapped and m not in _declarations
    ]


# --- Suppression ------------------------------------------------------------------------------

SuppressionLookup = Callable[[list[tuple[str, str]]], dict[tuple[str, str], datetime]]
_suppression_lookups: list[SuppressionLookup] = []


def suppression_lookup_register(lookup: SuppressionLookup) -> None:
    """lookup([(channel, address), ...]) -> {(channel, address): since when it may not be
    messaged} for those of them that may not; one call answers a whole batch of bookings."""
    if lookup not in _suppression_lookups:
        _suppression_lookups.append(lookup)


def addresses_suppressed_since(keys: list[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    found: dict[tuple[str, str], datetime] = {}
    for lookup in _suppression_lookups:
        for key, since in lookup(keys).items():
            found[key] = max(since, found.get(key, since))
    return found


def address_suppressed_since(*, channel: str, address: str) -> datetime | None:
    return addresses_suppressed_since([(channel, address)]).get((channel, address))
