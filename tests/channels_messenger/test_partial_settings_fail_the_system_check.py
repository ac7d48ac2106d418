"""Some but not all Messenger settings is a start-up error that names what is missing."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from channels_messenger.checks import messenger_settings_complete

ALL = {
    "MESSENGER_PAGE_ID": "1000000000001",
    "MESSENGER_PAGE_ACCESS_TOKEN": "EAAPageToken",
    "MESSENGER_APP_SECRET": "secret",
    "MESSENGER_VERIFY_TOKEN": "verify-me",
}


def configure(settings, **values):
    for name in ALL:
        setattr(settings, name, values.get(name, ""))


def test_partial_settings_name_each_missing_variable(settings):
    configure(
        settings, MESSENGER_PAGE_ID="1000000000001", MESSENGER_PAGE_ACCESS_TOKEN="EAAPageToken"
    )

    errors = messenger_settings_complete()

    assert [e.id for e in errors] == ["thuisfront.E011"]
    assert "MESSENGER_APP_SECRET" in errors[0].msg and "MESSENGER_VERIFY_TOKEN" in errors[0].msg
    assert "MESSENGER_PAGE_ID" not in errors[0].msg


def test_django_refuses_to_start_with_partial_settings(settings):
    configure(settings, MESSENGER_APP_SECRET="secret")

    with pytest.raises(SystemCheckError, match="MESSENGER_PAGE_ACCESS_TOKEN"):
        call_command("check")


@pytest.mark.parametrize("values", [{}, ALL], ids=["none (sandbox)", "all"])
def test_none_or_all_is_fine(settings, values):
    configure(settings, **values)

    assert messenger_settings_complete() == []
