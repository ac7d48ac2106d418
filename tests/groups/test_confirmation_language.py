import pytest

from tests.groups.conftest import forget_sent, received


@pytest.mark.django_db(transaction=True)
def test_an_english_message_gets_an_english_confirmation_for_a_dutch_traveller(phones, anna):
    forget_sent()

    phones.whatsapp(
        "+447700900456", f"Hi, I would like to follow my sister's trip please: {anna['code']}"
    )

    [confirmation] = received("+447700900456")
    assert confirmation.startswith(
        "You now follow Anna's trip: flight KL1001 from Amsterdam to London on "
    )
    assert confirmation.endswith("Send STOP to leave.")


@pytest.mark.django_db(transaction=True)
def test_the_code_alone_gets_the_travellers_language(phones, anna):
    forget_sent()

    phones.whatsapp("+447700900456", anna["code"])

    [confirmation] = received("+447700900456")
    assert confirmation.startswith("U volgt nu de reis van Anna:")
