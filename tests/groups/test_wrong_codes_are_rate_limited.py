import pytest

from tests.groups.conftest import forget_sent, received
from update_groups.models import GroupMembership

MALLORY = "+31633333333"
UNKNOWN = "We do not recognise this code. Please check the code you were given and send it again."


@pytest.mark.django_db(transaction=True)
def test_wrong_codes_get_one_answer_then_are_refused_for_an_hour(phones, anna, settings):
    settings.UPDATE_GROUP_WRONG_CODES_PER_HOUR = 3
    forget_sent()

    # Well-formed or not, a wrong code tells nothing about which codes exist.
    for guess in ("TFAAAAAAAAAA", "tfzzzzzzzzzz", "TF0000000000"):
        phones.whatsapp(MALLORY, f"code {guess}")
    phones.whatsapp(MALLORY, anna["code"])  # even the right code, once limited
    phones.whatsapp(MALLORY, anna["code"])

    assert received(MALLORY) == [UNKNOWN] * 3 + [
        "Too many incorrect codes were sent. Please try again in an hour."
    ]
    assert not GroupMembership.objects.exists()
