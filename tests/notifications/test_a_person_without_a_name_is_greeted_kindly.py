"""Someone we know only by their number is greeted with a word, never a dash or a blank."""

import pytest

from core.models import Customer, Formality
from notifications import rendering
from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive


@pytest.mark.parametrize(
    ("language", "formality", "greeting"),
    [
        ("nl", Formality.FORMAL, "Beste reiziger,"),
        ("nl", Formality.INFORMAL, "Hoi daar,"),
        ("en", Formality.FORMAL, "Dear traveller,"),
        ("en", Formality.INFORMAL, "Hi there,"),
    ],
)
def test_greeting_without_a_name(language, formality, greeting):
    stranger = Customer(language=language, formality=formality)
    opening = {
        "nl": {"formal": "Beste", "informal": "Hoi"},
        "en": {"formal": "Dear", "informal": "Hi"},
    }
    assert f"{opening[language][formality]} {rendering.greeting_name(stranger)}," == greeting
    # A name we know, or the name they chat under, comes first.
    assert rendering.greeting_name(
        Customer(language=language, formality=formality, given_name="Anna", family_name="de Vries")
    ) in ("Anna", "Anna de Vries")
    assert rendering.greeting_name(stranger, "Joost") == "Joost"


@pytest.mark.django_db(transaction=True)
def test_stop_from_an_unknown_number_is_confirmed_without_a_dash():
    receive("STOP", address="+31655501234")

    [confirmation] = SandboxMessage.objects.filter(to="+31655501234")
    assert confirmation.text.startswith(
        "Dear traveller, you will no longer receive messages from us"
    )
    assert " -," not in confirmation.text
