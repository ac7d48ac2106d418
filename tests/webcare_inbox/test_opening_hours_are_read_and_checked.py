"""WEBCARE_OPENING_HOURS and WEBCARE_TYPICAL_WAIT_MINUTES: read as written,
refused with the variable named."""

import pytest

from tests import clock as suite_clock
from webcare_inbox.checks import webcare_hours_settings
from webcare_inbox.hours import OpeningHoursError, opening_hours_parse, wait_phrase


def test_days_ranges_and_lists_are_read_on_the_teams_clock():
    hours = opening_hours_parse("mo-fr 08:00-20:00; sa,su 10:00-16:00", "Europe/Amsterdam")
    saturday = next(k for k in range(1, 8) if suite_clock.day(k).weekday() == 5)
    monday = next(k for k in range(1, 8) if suite_clock.day(k).weekday() == 0)

    assert hours.is_open(suite_clock.local(8, 0, offset=monday))
    assert not hours.is_open(suite_clock.local(20, 0, offset=monday))
    assert not hours.is_open(suite_clock.local(9, 0, offset=saturday))
    assert hours.next_opening(suite_clock.local(9, 0, offset=saturday)) == suite_clock.local(
        10, 0, offset=saturday
    )
    # The same moment seen from London is still the Amsterdam wall clock that counts.
    assert hours.is_open(suite_clock.local(7, 30, offset=monday, tz=suite_clock.LONDON))


def test_always_open():
    hours = opening_hours_parse("24/7", "Europe/Amsterdam")
    assert hours.is_open(suite_clock.local(3, 0)) and hours.is_open(suite_clock.local(23, 59))


@pytest.mark.parametrize(
    "value,problem",
    [
        ("mo-fr 8-20", "should look like"),
        ("weekdays 08:00-20:00", "'weekdays' is not a day"),
        ("mo-xx 08:00-20:00", "'mo-xx' is not a day"),
        ("mo 20:00-08:00", "closes before it opens"),
        ("mo 08:00-25:00", "'25:00' is not a time of day"),
        ("", "no opening hours given"),
    ],
)
def test_what_cannot_be_read_is_named(value, problem):
    with pytest.raises(OpeningHoursError, match=problem):
        opening_hours_parse(value, "Europe/Amsterdam")


def test_the_system_check_names_the_variables(settings):
    settings.WEBCARE_OPENING_HOURS = "mo-fr 8-20"
    settings.WEBCARE_TIMEZONE = "Europe/Amsterdam"
    settings.WEBCARE_TYPICAL_WAIT_MINUTES = "a quarter"

    messages = [error.msg for error in webcare_hours_settings()]

    assert len(messages) == 2
    assert messages[0].startswith(
        "WEBCARE_OPENING_HOURS / WEBCARE_TIMEZONE cannot be read: 'mo-fr 8-20'"
    )
    assert (
        messages[1]
        == "WEBCARE_TYPICAL_WAIT_MINUTES='a quarter' is not a whole number of minutes above 0"
    )
    settings.WEBCARE_OPENING_HOURS, settings.WEBCARE_TIMEZONE = "24/7", "Mars/Olympus"
    settings.WEBCARE_TYPICAL_WAIT_MINUTES = "15"
    assert [e.msg for e in webcare_hours_settings()] == [
        "WEBCARE_OPENING_HOURS / WEBCARE_TIMEZONE cannot be read: "
        "WEBCARE_TIMEZONE 'Mars/Olympus' is not an IANA time zone"
    ]


@pytest.mark.parametrize(
    "minutes,nl,en",
    [(10, "10 minuten", "10 minutes"), (60, "1 uur", "1 hour"), (120, "2 uur", "2 hours")],
)
def test_waits_in_words(minutes, nl, en):
    assert (wait_phrase(minutes, "nl"), wait_phrase(minutes, "en")) == (nl, en)
