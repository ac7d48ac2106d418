"""The privacy app's own tables, and the tables of the libraries the project installs (they have
no personal_data.py of their own): every model is declared somewhere."""

from datetime import datetime

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q

from core.data_protection import Person, holds, holds_none
from core.models import ContactPoint, Customer
from privacy.models import PrivacyRecord, SuppressedAddress

# The admin's change log names an edited row by its str() ("Anna de Vries"): those of the person's
# own rows lose their name, and any entry naming them elsewhere is redacted (`mentions`).


def _log_entries(person: Person):
    rows = Q(pk__in=[])
    for model, pks in ((Customer, person.customer_ids), (ContactPoint, person.contact_point_ids)):
        rows |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
    return LogEntry.objects.filter(rows)


def _erase_log_entries(person: Person) -> int:
    return _log_entries(person).update(object_repr="[erased]", change_message="")


def _purge_sign_in_attempts(model):
    def purge(cutoff: datetime) -> int:
        return model.objects.filter(attempt_time__lt=cutoff).delete()[0]

    return purge


holds(
    LogEntry,
    erase=_erase_log_entries,
    export=None,  # the operators' actions, not the person's data
    mentions=("object_repr", "change_message"),
    order=5,
)
holds_none(
    apps.get_model("auth", "User"),
    why="the agents' and operators' accounts, managed by the operator, not the people we message",
)
holds_none(Group, why="agents' roles")
holds_none(Permission, why="what roles may do")
holds_none(ContentType, why="Django's list of models")
holds_none(Session, why="a signed-in agent's session: a user id, nothing about travellers")
holds_none(
    SuppressedAddress,
    why="keyed hashes of erased addresses, so they are not messaged again; kept for good",
)
holds_none(PrivacyRecord, why="who erased or exported whom, as an id and keyed hashes")

if apps.is_installed("axes"):
    for name in ("AccessAttempt", "AccessFailureLog", "AccessLog"):
        model = apps.get_model("axes", name)
        holds_none(
            model,
            why="agents' sign-in attempts (username, IP address), kept a while to throttle",
            retention={"sign_in_attempts": _purge_sign_in_attempts(model)},
        )
    holds_none(
        apps.get_model("axes", "AccessAttemptExpiration"),
        why="when an agent's throttled sign-in attempts expire",
    )
