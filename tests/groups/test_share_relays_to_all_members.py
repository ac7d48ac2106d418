import pytest

from sandbox.models import SandboxMessage
from tests.groups.conftest import ANNA, forget_sent, received

JOOST, TRUUS = "+31611111111", "demo-psid-truus"


@pytest.mark.django_db(transaction=True)
def test_text_and_photo_go_to_every_member_marked_as_from_the_traveller(phones, anna):
    phones.whatsapp(JOOST, anna["code"])
    phones.open_link(TRUUS, anna["code"])
    forget_sent()

    phones.whatsapp(ANNA, "Deel: we zijn veilig aangekomen!")
    phones.whatsapp(
        ANNA,
        "share: uitzicht",
        media={"url": "https://media.example/hotel.jpg", "content_type": "image/jpeg"},
    )

    for member in (JOOST, TRUUS):
        assert received(member) == [
            "Bericht van Anna: we zijn veilig aangekomen!",
            "Bericht van Anna: uitzicht",
        ]
    photo = SandboxMessage.objects.get(to=TRUUS, text="Bericht van Anna: uitzicht")
    assert photo.media_url == "https://media.example/hotel.jpg"
    assert received(ANNA) == ["Hoi Anna, je bericht is doorgestuurd naar 2 volger(s)."] * 2
