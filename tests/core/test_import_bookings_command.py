"""manage.py import_bookings FILE: a JSON array or NDJSON of bulk booking documents, stored in
batches with a progress bar; each refused booking is listed with its fields, the others are
stored, and the command exits 1 when any was refused."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from core import intake
from core.models import Booking, Passenger
from sandbox.models import SandboxMessage
from tests.api.helpers import bulk_document

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bookings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def documents(n: int, first: int = 0) -> list[dict]:
    return [bulk_document(f"IMP{first + i}", f"+316200{first + i:05d}") for i in range(n)]


def test_an_ndjson_file_is_stored_in_batches_with_a_progress_bar(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "BATCH_BOOKINGS", 7)
    path = tmp_path / "bookings.ndjson"
    path.write_text("\n".join(json.dumps(d) for d in documents(30)) + "\n\n")

    out, err = run(str(path))

    assert Booking.objects.count() == 30 == Passenger.objects.count()
    assert out.startswith("30 bookings read: 30 created, 0 replaced, 0 refused, 0 not stored")
    assert "30 passengers in" in out
    assert "100%" in err and "30/30" in err and "bookings" in err


@pytest.mark.django_db(transaction=True)
def test_new_bookings_are_confirmed_and_a_second_import_replaces_them(tmp_path):
    path = tmp_path / "bookings.json"
    path.write_text(json.dumps(documents(3)))

    run(str(path))
    out, _ = run(str(path), "--no-progress")

    assert out.startswith("3 bookings read: 0 created, 3 replaced")
    assert SandboxMessage.objects.count() == 3


def test_refused_bookings_are_listed_and_the_others_stored(tmp_path):
    rows = documents(3)
    rows.insert(1, {**bulk_document("BAD1", "0612345678")})
    rows.append({"reference": "BAD2", "passengers": []})
    path = tmp_path / "bookings.json"
    path.write_text(json.dumps(rows))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="2 bookings were not stored"):
        call_command("import_bookings", str(path), "--no-progress", stdout=out, stderr=err)

    assert set(Booking.objects.values_list("reference", flat=True)) == {"IMP0", "IMP1", "IMP2"}
    assert out.getvalue().startswith("5 bookings read: 3 created, 0 replaced, 2 refused")
    assert err.getvalue().splitlines() == [
        "booking 2 (BAD1): passengers[0].contacts[0].address: '0612345678' has no country "
        "code: give it in international form, e.g. +31612345678",
        "booking 5 (BAD2): passengers: List should have at least 1 item after validation, not 0",
    ]


def test_ndjson_refusals_name_their_line(tmp_path):
    path = tmp_path / "bookings.ndjson"
    path.write_text(json.dumps(documents(1)[0]) + "\n{oops\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_bookings", str(path), "--no-progress", stdout=io.StringIO(), stderr=err
        )

    assert Booking.objects.count() == 1
    assert err.getvalue().startswith("line 2 is not valid JSON (Expecting property name")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        ("[{", "starts as a JSON array but is not valid JSON"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(tmp_path, content, message):
    path = tmp_path / "bookings.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run(str(path))

    assert not Booking.objects.exists()
