"""The portal's time zone: times are shown, and days counted, where the portal is (PORTAL_TIME_ZONE)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from portal_app import i18n, local_time
from portal_app.settings import DEFAULT_TIME_ZONE, _time_zone

LATE_EVENING_UTC = datetime(2026, 12, 5, 23, 25, tzinfo=UTC)  # 01:25 on the 6th in Helsinki


@pytest.fixture
def zone(monkeypatch):
    def use(name: str) -> None:
        for module in (local_time, i18n):
            monkeypatch.setattr(module, "settings", replace(module.settings, time_zone=name))
    return use


def test_the_default_zone_is_helsinki_and_times_are_shown_there(zone):
    zone(DEFAULT_TIME_ZONE)
    assert i18n.format_when(LATE_EVENING_UTC, "fi") == "6.12.2026 1.25"
    assert i18n.format_when(LATE_EVENING_UTC, "en") == "12/6/2026, 1:25\u202fAM"
    assert local_time.local_day(LATE_EVENING_UTC) == date(2026, 12, 6)
    assert local_time.today(LATE_EVENING_UTC) == date(2026, 12, 6)  # not yet the 6th in UTC


def test_another_zone_moves_the_time_and_the_day(zone):
    zone("America/New_York")
    assert i18n.format_when(LATE_EVENING_UTC, "en") == "12/5/2026, 6:25\u202fPM"
    assert local_time.today(LATE_EVENING_UTC) == date(2026, 12, 5)
    zone("UTC")
    assert i18n.format_when(LATE_EVENING_UTC, "en") == "12/5/2026, 11:25\u202fPM"


def test_a_naive_moment_is_taken_as_utc_and_a_date_stays_as_it_is(zone):
    zone(DEFAULT_TIME_ZONE)
    assert local_time.local(LATE_EVENING_UTC.replace(tzinfo=None)) == LATE_EVENING_UTC
    assert i18n.format_when(date(2026, 12, 5), "en") == "12/5/2026"


def test_a_detail_pages_moment_has_the_whole_year_in_each_languages_way(zone):
    zone(DEFAULT_TIME_ZONE)
    assert i18n.format_moment(LATE_EVENING_UTC, "en") == "Dec 6, 2026, 1:25\u202fAM"
    assert i18n.format_moment(LATE_EVENING_UTC, "fi") == "6.12.2026 1.25"
    assert i18n.format_moment(LATE_EVENING_UTC, "de") == "06.12.2026, 01:25"
    assert i18n.format_moment(LATE_EVENING_UTC, "it") == "6 dic 2026, 01:25"
    assert i18n.format_moment(LATE_EVENING_UTC.replace(tzinfo=None), "en") == "Dec 6, 2026, 1:25\u202fAM"
    assert i18n.format_moment(None, "en") == ""
    zone("America/New_York")
    assert i18n.format_moment(LATE_EVENING_UTC, "en") == "Dec 5, 2026, 6:25\u202fPM"


def test_a_wrong_zone_name_stops_the_start_with_a_message():
    assert _time_zone("Europe/Berlin") == "Europe/Berlin"
    for wrong in ("Mars/Olympus", "../etc/passwd", "Europe/"):
        with pytest.raises(SystemExit, match="PORTAL_TIME_ZONE"):
            _time_zone(wrong)
