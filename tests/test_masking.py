"""Masking: what errors, reprs and masked exports may show, and why no masked ID can be rebuilt.

The scheme is in ``docs/privacy.md``: ``ResidentId.masked`` hides the 8 birth-date digits, so
nothing shown beside a masked number may pin the birth date; every value an error quotes goes
through ``shown_value``.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.errors import (
    InconsistentRecord,
    InvalidDivisionCode,
    InvalidResidentId,
    InvalidValue,
    UnknownDivision,
    UnknownRule,
)
from veteran_affairs.identity import (
    SHOWN_LENGTH,
    DivisionCode,
    ResidentId,
    check_character,
    mask_id,
    shown_value,
)
from veteran_affairs.models import (
    DeathCategory,
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    Person,
    PersonnelType,
    Relation,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.repositories import PersonSummary
from veteran_affairs.rosters import RowError, roster_cells, roster_row
from veteran_affairs.testing.strategies import person_names, phones, resident_ids, veterans

D = dt.date
RID = "450312198001011230"
MASKED = "450312********1230"


# --- shown_value: one rule for every value an error quotes ----------------------------------

SHOWN = [
    # identity numbers, however typed
    (RID, MASKED),
    ("11010519491231002x", "110105********002x"),
    ("１１０１０５１９４９１２３１００２Ｘ", "１１０１０５********００２Ｘ"),
    ("450312 19800101 1230", "450312 ******** 1230"),
    ("450312800101123", "450312*****1123"),  # 15 digits, first generation
    (f"户籍地{RID}", f"户**{MASKED}"),
    # phones
    ("13812345678", "138****5678"),
    ("138-1234-5678", "138-****-5678"),
    ("0771-5551234", "077*-***1234"),
    # other long numbers keep their first two digits
    ("4503121", "45*****"),
    ("990000", "99****"),
    ("20210230", "20******"),
    # names: letters of any script but Latin keep their first character
    ("韦明", "韦*"),
    ("合成李秀英", "合****"),
    ("买买提·艾力", "买*****"),
    # what is no one's stays
    ("450312", "450312"),
    ("450312101", "450312101"),
    ("450312101203", "450312101203"),
    ("2021-13-01", "2021-13-01"),
    ("20210106", "20210106"),
    ("1234567.89", "1234567.89"),
    ("martyr/officer", "martyr/officer"),
    ("int", "int"),
    ("11", "11"),
    ("", ""),
    # a date beside an identity number keeps its year only
    (f"1980-01-02/{MASKED}", f"1980-**-**/{MASKED}"),
    (f"1980年1月2日 {RID}", f"1980年*月*日 {MASKED}"),
    (f"19800102/{RID}", f"1980****/{MASKED}"),
    (f"female/{MASKED}", f"female/{MASKED}"),
]


@pytest.mark.parametrize(("value", "expected"), SHOWN)
def test_an_error_value_is_shown_masked_where_it_may_be_personal(value: str, expected: str) -> None:
    assert expected == shown_value(value)


def test_a_long_value_is_cut() -> None:
    shown = shown_value("x" * 100)

    assert SHOWN_LENGTH == len(shown)
    assert shown.endswith("…")


@given(st.text())
def test_masking_twice_changes_nothing(text: str) -> None:
    once = shown_value(text)

    assert once == shown_value(once)


# Text around a planted value that does not run on into it (no digits, stars or letters).
_OTHER_TEXT = st.text(st.characters(blacklist_categories=("Nd", "L")), max_size=8).filter(
    lambda text: "*" not in text
)


@given(
    rid=resident_ids(),
    name=person_names(),
    phone=phones(),
    before=_OTHER_TEXT,
    after=_OTHER_TEXT,
)
def test_no_id_name_or_phone_planted_in_text_is_shown_whole(
    rid: ResidentId, name: str, phone: str, before: str, after: str
) -> None:
    for planted in (rid.unmasked, name, phone):
        shown = shown_value(f"{before}{planted}{after}")

        assert planted not in shown


@given(rid=resident_ids(), sep=st.sampled_from(["-", "/", "."]))
def test_a_birth_date_beside_a_masked_id_keeps_its_year_only(rid: ResidentId, sep: str) -> None:
    born = rid.birth_date
    day = f"{born.year}{sep}{born.month:02d}{sep}{born.day:02d}"

    shown = shown_value(f"{day} {rid.unmasked}")

    assert rid.masked in shown
    assert f"{born.year}{sep}**{sep}**" in shown


# --- why the year may be shown and the day may not: candidate numbers -------------------------


def _candidates(rid: ResidentId, days: list[dt.date]) -> list[str]:
    """The valid numbers that look like ``rid.masked`` and were born on one of ``days``."""
    text = rid.unmasked
    found = []
    for day in days:
        body = f"{text[:6]}{day:%Y%m%d}{text[14:17]}"
        if check_character(body) == text[17]:
            found.append(body + text[17])
    return found


def _year(year: int) -> list[dt.date]:
    first = D(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((D(year + 1, 1, 1) - first).days)]


@given(resident_ids())
def test_a_masked_id_with_its_birth_year_leaves_at_least_32_candidates(rid: ResidentId) -> None:
    found = _candidates(rid, _year(rid.birth_date.year))

    assert rid.unmasked in found
    assert len(found) >= 32


@given(rid=resident_ids(), shift=st.integers(0, 364))
def test_a_masked_id_with_an_age_on_a_date_leaves_at_least_29_candidates(
    rid: ResidentId, shift: int
) -> None:
    # an age on a date says the birthday lies in one 365-day window (a year less a day)
    start = rid.birth_date - dt.timedelta(days=shift)
    found = _candidates(rid, [start + dt.timedelta(days=n) for n in range(365)])

    assert rid.unmasked in found
    assert len(found) >= 29


@given(resident_ids())
def test_a_masked_id_with_its_birth_date_leaves_one_candidate(rid: ResidentId) -> None:
    # why no masked output shows the birth date beside the number
    assert [rid.unmasked] == _candidates(rid, [rid.birth_date])


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: DivisionCode(RID),
        lambda: DivisionCode("13812345678"),
        lambda: ResidentId(RID[:-1] + "1"),
        lambda: ResidentId(RID + "0"),
        lambda: check_character(RID[:16]),
        lambda: ResidentId.upgrade(RID),
    ],
)
def test_identifier_errors_quote_an_id_masked(make: Callable[[], object]) -> None:
    with pytest.raises((InvalidDivisionCode, InvalidResidentId)) as caught:
        make()

    assert RID[6:14] not in str(caught.value)
    assert "13812345678" not in str(caught.value)


def test_invalid_value_masks_whatever_the_caller_passes() -> None:
    error = InvalidValue("ethnicity", f"{RID}韦明", "longer than 32 characters", "过长")

    assert f"ethnicity='{MASKED}韦*': longer than 32 characters (过长)" == str(error)
    assert MASKED + "韦*" == error.value


def test_a_masked_error_survives_pickling_unchanged() -> None:
    error = InconsistentRecord("birth_date/resident_id", f"1980-01-02/{RID}", "differ", "不符")

    again = pickle.loads(pickle.dumps(error))

    assert str(error) == str(again)
    assert f"1980-**-**/{MASKED}" == again.value


def test_lookup_errors_mask_what_was_looked_for() -> None:
    assert RID not in str(UnknownDivision(RID))
    assert "韦明" not in str(UnknownRule("韦明"))
    assert "division 450399 is not" in str(UnknownDivision("450399"))


def test_a_row_error_masks_its_value_whoever_builds_it() -> None:
    error = RowError(row=3, column="户口性质", value="韦明", reason="unknown", reason_zh="无法识别")
    by_id = RowError(row=3, column="入伍时间", value=RID, reason="not a date", reason_zh="不是日期")

    assert "韦*" == error.value
    assert MASKED == by_id.value
    assert None is RowError(row=1, column=None, value=None, reason="r", reason_zh="").value


# --- reprs ----------------------------------------------------------------------------------------

_BIRTH_FORMS = ("1980-01-01", "19800101", "1980年1月1日", "1980")


def _person(**overrides: object) -> Person:
    fields: dict[str, object] = {
        "resident_id": ResidentId("450312198001010019"),
        "name": "韦建国",
        "hukou_division": DivisionCode("450312101203"),
        "hukou_type": HukouType.RURAL,
        "phone": "13812345678",
    }
    return Person(**{**fields, **overrides})  # type: ignore[arg-type]


def _combat_veteran() -> Veteran:
    return Veteran(
        person=_person(),
        service=ServiceRecord(
            enlisted_on=D(1998, 12, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharged_on=D(2000, 12, 1),
        ),
        statuses=(
            EntitlementStatus(category=EntitlementCategory.VETERAN, since=D(2000, 12, 1)),
            EntitlementStatus(
                category=EntitlementCategory.COMBAT_OR_TEST_VETERAN, since=D(2020, 1, 1)
            ),
        ),
    )


def test_a_person_repr_shows_no_birth_date() -> None:
    person = _person()

    assert (
        "Person(resident_id=ResidentId('450312********0019'), name='韦**', sex=MALE, "
        "hukou_division=450312101203)"
    ) == repr(person)


def test_a_veteran_repr_shows_categories_but_no_dates() -> None:
    shown = repr(_combat_veteran())

    assert shown.startswith("Veteran(person=Person(resident_id=ResidentId('450312********0019')")
    assert "categories=('veteran', 'combat-or-test-veteran')" in shown
    assert re.search(r"\d{4}-\d{2}-\d{2}|datetime", shown) is None


def test_a_survivor_repr_shows_no_dates() -> None:
    survivor = Survivor(
        person=_person(),
        relation=Relation.CHILD,
        death_category=DeathCategory.MARTYR,
        deceased_on=D(2000, 1, 1),
        deceased_id=ResidentId("450312195001010015"),
    )

    shown = repr(survivor)

    assert "deceased_id=ResidentId('450312********0015')" in shown
    assert re.search(r"\d{4}-\d{2}-\d{2}|datetime", shown) is None


def test_a_person_summary_repr_shows_no_birth_date() -> None:
    summary = PersonSummary(
        resident_id="450312198001010019",
        kind="veteran",
        name="韦建国",
        hukou_division="450312101203",
        birth_date=D(1980, 1, 1),
        died_on=None,
        version=1,
    )

    shown = repr(summary)

    assert "450312********0019" in shown
    assert not any(form in shown for form in _BIRTH_FORMS)


@given(veterans())
def test_no_veteran_repr_shows_a_date(veteran: Veteran) -> None:
    shown = repr(veteran)

    assert veteran.resident_id.unmasked not in shown
    assert re.search(r"\d{4}-\d{2}-\d{2}|datetime", shown) is None


# --- masked roster rows -------------------------------------------------------------------------


def _turned_60() -> Veteran:
    """A rural veteran whose allowance began on his 60th birthday (民发〔2011〕110号)."""
    return Veteran(
        person=_person(resident_id=ResidentId("450312195103150019")),
        service=ServiceRecord(
            enlisted_on=D(1969, 12, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharged_on=D(1973, 12, 1),
        ),
        statuses=(
            EntitlementStatus(category=EntitlementCategory.VETERAN, since=D(1973, 12, 1)),
            EntitlementStatus(
                category=EntitlementCategory.RURAL_VETERAN_OVER_60, since=D(2011, 3, 15)
            ),
        ),
    )


def test_a_masked_row_hides_the_birth_date_and_a_status_begun_on_a_birthday() -> None:
    veteran = _turned_60()

    cells = roster_cells(veteran)

    assert "450312********0019" in cells
    assert "1951" not in " ".join(cells)
    assert "2011-03-15" not in " ".join(cells)
    assert "****-**-**" in cells  # the birth date
    assert "1973-12-01、****-**-**" in cells  # 优抚认定时间: the second began on a birthday
    assert "1973-12-01" in cells  # other dates are kept


def test_a_personal_row_keeps_every_date() -> None:
    veteran = _turned_60()

    row = roster_row(veteran, personal=True)

    assert D(1951, 3, 15) in row
    assert "1973-12-01、2011-03-15" in row
    assert "450312195103150019" in row


@pytest.mark.parametrize(
    ("born", "day"),
    [
        (D(1952, 2, 29), D(2012, 3, 1)),  # a leap-day birthday, in a common year: 1 March
        (D(1952, 2, 29), D(2011, 2, 28)),
        (D(1952, 12, 31), D(2013, 1, 1)),  # the day after, in the next year
        (D(1958, 3, 15), D(2018, 3, 14)),  # the day before (a status ending at 18, say)
    ],
)
def test_a_date_within_a_day_of_a_birthday_is_hidden(born: dt.date, day: dt.date) -> None:
    rid = f"450312{born:%Y%m%d}001"
    veteran = Veteran(
        person=_person(resident_id=ResidentId(rid + check_character(rid))),
        service=ServiceRecord(
            enlisted_on=D(1975, 12, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharged_on=D(1979, 12, 1),
        ),
        statuses=(EntitlementStatus(category=EntitlementCategory.VETERAN, since=day),),
    )

    cells = roster_cells(veteran)

    assert day.isoformat() not in " ".join(cells)


def test_mask_id_hides_the_birth_date_digits() -> None:
    assert MASKED == mask_id(RID)
