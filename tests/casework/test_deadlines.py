"""Scenario tables for the casework deadline mechanism (时限计算): clocks, rolls, versions, status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from veteran_affairs.casework.deadlines import (
    CIVIL_CODE_PERIODS,
    CalendarRequired,
    DayCount,
    DeadlineStatus,
    DueDate,
    LimitBook,
    RestDayRoll,
    TimeLimit,
    due,
)
from veteran_affairs.cycles.calendar import CalendarDataMissing, calendar_for
from veteran_affairs.errors import (
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
    ParameterNotInForce,
    VeteranAffairsError,
)
from veteran_affairs.parameters import Citation, Parameter, ParameterVersion

D = dt.date
BOOK = LimitBook.bundled()
NATIONAL = calendar_for()
GUANGXI = calendar_for("450312")

MONTHS_TOML = """
[[parameter]]
key = "test.placement"
label_zh = "测试：安排工作"
label_en = "test: a limit in months"
unit = "month"

  [[parameter.version]]
  value = 6
  citation = { document = "test document" }

[[parameter]]
key = "test.three_months"
label_zh = "测试：三个月"
label_en = "test: three months"
unit = "month"

  [[parameter.version]]
  value = 3
  citation = { document = "test document" }

[[parameter]]
key = "test.one_month"
label_zh = "测试：一个月"
label_en = "test: one month"
unit = "month"

  [[parameter.version]]
  value = 1
  citation = { document = "test document" }
"""


@pytest.fixture(scope="module")
def months_book(tmp_path_factory: pytest.TempPathFactory) -> LimitBook:
    path = tmp_path_factory.mktemp("limits") / "months.toml"
    path.write_text(MONTHS_TOML, encoding="utf-8")
    return BOOK.layered(LimitBook.load(path))


# name, key, start, calendar, extra, expected due, expected nominal (before any roll)
DUE_DATES: list[tuple[str, str, dt.date, Any, int, dt.date, dt.date]] = [
    (
        "handling 60 日 ending on a working day",
        "petition.handling",
        D(2024, 3, 8),
        NATIONAL,
        0,
        D(2024, 5, 7),
        D(2024, 5, 7),
    ),
    (
        "routing 15 日 ending on a Sunday ends on the Monday",
        "petition.routing",
        D(2024, 6, 1),
        NATIONAL,
        0,
        D(2024, 6, 17),
        D(2024, 6, 16),
    ),
    (
        "15 日 ending inside the National Day holiday ends after it",
        "petition.transfer_notice",
        D(2024, 9, 17),
        NATIONAL,
        0,
        D(2024, 10, 8),
        D(2024, 10, 2),
    ),
    (
        "15 日 ending on an adjusted working Saturday stays there",
        "petition.routing",
        D(2024, 9, 27),
        NATIONAL,
        0,
        D(2024, 10, 12),
        D(2024, 10, 12),
    ),
    (
        "without a calendar a 日 limit is not moved",
        "petition.routing",
        D(2024, 6, 1),
        None,
        0,
        D(2024, 6, 16),
        D(2024, 6, 16),
    ),
    (
        "Guangxi: a last day on 三月三 moves past it",
        "petition.routing",
        D(2024, 3, 27),
        GUANGXI,
        0,
        D(2024, 4, 15),
        D(2024, 4, 11),
    ),
    (
        "national calendar: the same day is a working day",
        "petition.routing",
        D(2024, 3, 27),
        NATIONAL,
        0,
        D(2024, 4, 11),
        D(2024, 4, 11),
    ),
    (
        "objection 5 工作日 across National Day counts the adjusted Sunday",
        "petition.objection",
        D(2024, 9, 27),
        NATIONAL,
        0,
        D(2024, 10, 10),
        D(2024, 10, 10),
    ),
    (
        "objection 5 工作日 from a Saturday",
        "petition.objection",
        D(2024, 6, 1),
        NATIONAL,
        0,
        D(2024, 6, 7),
        D(2024, 6, 7),
    ),
    (
        "简易办理 10 工作日 across the 2025 Labour Day holiday",
        "petition.simple_handling",
        D(2025, 4, 25),
        NATIONAL,
        0,
        D(2025, 5, 13),
        D(2025, 5, 13),
    ),
    (
        "a 2021 acceptance takes the 2005 60 日 and rolls off a Sunday",
        "petition.handling",
        D(2021, 9, 1),
        NATIONAL,
        0,
        D(2021, 11, 1),
        D(2021, 10, 31),
    ),
    (
        "an extension of 30 日 adds to the 60 日",
        "petition.handling",
        D(2024, 3, 8),
        NATIONAL,
        30,
        D(2024, 6, 6),
        D(2024, 6, 6),
    ),
    (
        "复查 request window 30 日",
        "petition.review_request",
        D(2024, 9, 17),
        NATIONAL,
        0,
        D(2024, 10, 17),
        D(2024, 10, 17),
    ),
    (
        "复核 decision 30 日 plus 5 hearing days",
        "petition.re_review_decision",
        D(2024, 5, 6),
        NATIONAL,
        5,
        D(2024, 6, 11),
        D(2024, 6, 10),
    ),
]


@pytest.mark.parametrize(
    ("name", "key", "start", "calendar", "extra", "expected", "nominal"),
    DUE_DATES,
    ids=[row[0] for row in DUE_DATES],
)
def test_due_date_scenarios(
    name: str,
    key: str,
    start: dt.date,
    calendar: Any,
    extra: int,
    expected: dt.date,
    nominal: dt.date,
) -> None:
    got = due(BOOK, key, start, calendar=calendar, extra=extra)
    assert (expected, nominal) == (got.due, got.nominal)
    assert (expected != nominal) == got.rolled


# name, key, start, expected due: 个月 on the corresponding day, clamped, then rolled
MONTH_DATES = [
    ("6 个月 from 31 August ends on 28 February", "test.placement", D(2024, 8, 31), D(2025, 2, 28)),
    ("1 个月 from 31 January in a leap year", "test.one_month", D(2024, 1, 31), D(2024, 2, 29)),
    ("1 个月 from 31 March ends on 30 April", "test.one_month", D(2025, 3, 31), D(2025, 4, 30)),
    (
        "3 个月 ending on a Sunday ends on Monday",
        "test.three_months",
        D(2024, 3, 16),
        D(2024, 6, 17),
    ),
    ("6 个月 ending in the National Day holiday", "test.placement", D(2024, 4, 1), D(2024, 10, 8)),
]


@pytest.mark.parametrize(
    ("name", "key", "start", "expected"), MONTH_DATES, ids=[row[0] for row in MONTH_DATES]
)
def test_month_limits_end_on_the_corresponding_day(
    months_book: LimitBook, name: str, key: str, start: dt.date, expected: dt.date
) -> None:
    assert expected == due(months_book, key, start, calendar=NATIONAL).due
    assert DayCount.MONTH is months_book.limit(key).count


def test_a_month_limit_without_a_calendar_keeps_the_rest_day(months_book: LimitBook) -> None:
    assert D(2024, 6, 16) == due(months_book, "test.three_months", D(2024, 3, 16)).due


# name, due date, on, done on, expected status
STATUSES = [
    ("not done, on the due date itself", D(2024, 6, 17), None, DeadlineStatus.PENDING),
    ("not done, the day after the due date", D(2024, 6, 18), None, DeadlineStatus.OVERDUE),
    ("done on the due date", D(2024, 6, 20), D(2024, 6, 17), DeadlineStatus.MET),
    ("done the day after the due date", D(2024, 6, 20), D(2024, 6, 18), DeadlineStatus.LATE),
    ("done early", D(2024, 6, 12), D(2024, 6, 10), DeadlineStatus.MET),
    ("done later than the day asked about", D(2024, 6, 18), D(2024, 6, 20), DeadlineStatus.OVERDUE),
    ("asked before the start", D(2024, 5, 30), None, DeadlineStatus.PENDING),
]


@pytest.mark.parametrize(
    ("name", "on", "done_on", "expected"), STATUSES, ids=[row[0] for row in STATUSES]
)
def test_status_scenarios(
    name: str, on: dt.date, done_on: dt.date | None, expected: DeadlineStatus
) -> None:
    routing = due(BOOK, "petition.routing", D(2024, 6, 1), calendar=NATIONAL)
    assert D(2024, 6, 17) == routing.due
    assert expected == routing.status(on=on, done_on=done_on)


def test_overdue_is_a_missed_limit_and_pending_is_not() -> None:
    assert [False, True, True, False] == [
        DeadlineStatus.PENDING.missed,
        DeadlineStatus.OVERDUE.missed,
        DeadlineStatus.LATE.missed,
        DeadlineStatus.MET.missed,
    ]
    assert ["未到期", "按期办结", "逾期未办", "逾期办结"] == [s.label_zh for s in DeadlineStatus]


def test_days_overdue_counts_calendar_days_past_the_due_date() -> None:
    routing = due(BOOK, "petition.routing", D(2024, 6, 1), calendar=NATIONAL)
    assert [0, 0, 1, 14] == [
        routing.days_overdue(d)
        for d in (D(2024, 6, 10), D(2024, 6, 17), D(2024, 6, 18), D(2024, 7, 1))
    ]


def test_the_version_in_force_on_the_start_day_is_used_and_cited() -> None:
    old = due(BOOK, "petition.handling", D(2022, 4, 30))
    new = due(BOOK, "petition.handling", D(2022, 5, 1))
    assert ("第三十三条", "国务院令第431号") == (old.citation.article, old.citation.number)
    assert (None, D(2022, 5, 1)) == (new.citation.article, new.citation.effective)
    assert "not settled" in (new.citation.note or "")


def test_on_chooses_another_version_than_the_start_day() -> None:
    got = due(BOOK, "petition.handling", D(2022, 4, 20), on=D(2022, 5, 2))
    assert (D(2022, 6, 19), D(2022, 5, 1)) == (got.due, got.citation.effective)


def test_roll_can_be_switched_off_per_call() -> None:
    got = due(BOOK, "petition.routing", D(2024, 6, 1), calendar=NATIONAL, roll=RestDayRoll.NONE)
    assert D(2024, 6, 16) == got.due


def test_with_clock_counts_a_day_limit_in_working_days() -> None:
    book = BOOK.with_clock("petition.routing", count=DayCount.WORKING_DAY)
    got = due(book, "petition.routing", D(2024, 9, 27), calendar=NATIONAL)
    # 15 working days: Sep 29 (worked Sunday), Sep 30, Oct 8-11, Sat Oct 12 (worked), Oct 14-18, 21-23
    assert (D(2024, 10, 23), DayCount.WORKING_DAY) == (got.due, got.count)
    assert DayCount.CALENDAR_DAY is BOOK.limit("petition.routing").count


def test_with_clock_switches_the_roll_off() -> None:
    book = BOOK.with_clock("petition.routing", roll=RestDayRoll.NONE)
    assert D(2024, 6, 16) == due(book, "petition.routing", D(2024, 6, 1), calendar=NATIONAL).due


def test_a_working_day_limit_without_a_calendar_raises() -> None:
    with pytest.raises(CalendarRequired, match=r"petition\.objection") as caught:
        due(BOOK, "petition.objection", D(2024, 6, 1))
    assert isinstance(caught.value, VeteranAffairsError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "key", ["petition.review_decision", "petition.direct_notice", "petition.improvement_feedback"]
)
def test_a_limit_not_found_for_2022_raises_naming_it(key: str) -> None:
    with pytest.raises(ParameterMissing) as caught:
        due(BOOK, key, D(2024, 6, 1))
    assert key == caught.value.key
    assert "2005" in str(caught.value)  # the supply hint says what the old text had


@pytest.mark.parametrize(
    "key", ["petition.review_decision", "petition.direct_notice", "petition.improvement_feedback"]
)
def test_a_limit_not_found_for_2022_still_counts_under_2005(key: str) -> None:
    got = due(BOOK, key, D(2022, 4, 1))
    assert ("REPOST", "国务院令第431号") == (
        got.citation.grade and got.citation.grade.value,
        got.citation.number,
    )


def test_the_objection_did_not_exist_before_2022() -> None:
    with pytest.raises(ParameterNotInForce):
        due(BOOK, "petition.objection", D(2022, 4, 29), calendar=NATIONAL)


def test_an_unknown_limit_raises_parameter_missing() -> None:
    with pytest.raises(ParameterMissing, match="no such time limit"):
        due(BOOK, "petition.nothing", D(2024, 6, 1))


def test_a_count_past_the_calendar_data_fails_loudly() -> None:
    with pytest.raises(CalendarDataMissing):
        due(BOOK, "petition.routing", D(2026, 12, 20), calendar=NATIONAL)


@pytest.mark.parametrize("extra", [-1, True, "5"])
def test_extra_must_be_a_whole_number(extra: Any) -> None:
    with pytest.raises(InvalidValue):
        due(BOOK, "petition.handling", D(2024, 6, 1), extra=extra)


# --- supplying and overriding values ----------------------------------------------------------


def test_a_plain_value_supplies_a_missing_limit_for_every_date() -> None:
    book = BOOK.with_values({"petition.review_decision": 30})
    got = due(book, "petition.review_decision", D(2024, 6, 3), calendar=NATIONAL)
    assert (D(2024, 7, 3), "user-supplied (使用者提供)") == (got.due, got.citation.document)


def test_a_dated_version_is_merged_into_the_history() -> None:
    book = BOOK.with_values(
        {
            "petition.review_decision": {
                "effective_from": "2022-05-01",
                "value": 20,
                "citation": {"document": "某省信访条例", "article": "第三十条"},
            }
        }
    )
    later = due(book, "petition.review_decision", D(2024, 6, 3))
    earlier = due(book, "petition.review_decision", D(2021, 6, 3))
    assert (20, "某省信访条例") == (later.amount, later.citation.document)
    assert (30, "《信访条例》") == (earlier.amount, earlier.citation.document)


def test_a_local_rule_overrides_a_bundled_limit_without_changing_the_bundle() -> None:
    book = BOOK.with_values({"petition.handling": "45"})
    assert 45 == due(book, "petition.handling", D(2024, 6, 3)).amount
    assert 60 == due(BOOK, "petition.handling", D(2024, 6, 3)).amount


def test_a_time_limit_can_be_added_as_a_whole() -> None:
    parameter = Parameter(
        key="local.visit_reply",
        label_zh="走访答复",
        label_en="reply to a visit",
        unit="working-day",
        versions=(
            ParameterVersion(
                effective_from=D(2023, 1, 1),
                value=Decimal(7),
                citation=Citation(document="local rule"),
            ),
        ),
    )
    limit = TimeLimit(key="local.visit_reply", count=DayCount.WORKING_DAY, parameter=parameter)
    book = BOOK.with_values({"local.visit_reply": limit})
    assert D(2024, 6, 12) == due(book, "local.visit_reply", D(2024, 6, 1), calendar=NATIONAL).due


@pytest.mark.parametrize("bad", [-1, "2.5", {"a": 1}])
def test_a_supplied_amount_must_be_a_whole_number(bad: Any) -> None:
    with pytest.raises(InvalidValue):
        BOOK.with_values({"petition.handling": bad})


def test_supplying_an_unknown_key_raises() -> None:
    with pytest.raises(ParameterMissing):
        BOOK.with_values({"petition.nothing": 5})


# --- files ----------------------------------------------------------------------------------


def test_bundled_book_has_every_petition_limit_with_its_clock() -> None:
    clocks = {limit.key: limit.count for limit in BOOK if limit.key.startswith("petition.")}
    assert {
        "petition.administrative_review_window": DayCount.CALENDAR_DAY,
        "petition.direct_notice": DayCount.CALENDAR_DAY,
        "petition.extension": DayCount.CALENDAR_DAY,
        "petition.handling": DayCount.CALENDAR_DAY,
        "petition.improvement_feedback": DayCount.CALENDAR_DAY,
        "petition.objection": DayCount.WORKING_DAY,
        "petition.re_review_decision": DayCount.CALENDAR_DAY,
        "petition.re_review_request": DayCount.CALENDAR_DAY,
        "petition.review_decision": DayCount.CALENDAR_DAY,
        "petition.review_request": DayCount.CALENDAR_DAY,
        "petition.routing": DayCount.CALENDAR_DAY,
        "petition.simple_handling": DayCount.WORKING_DAY,
        "petition.transfer_notice": DayCount.CALENDAR_DAY,
    } == clocks


def test_every_bundled_version_cites_a_document() -> None:
    for limit in BOOK:
        for version in limit.parameter.versions:
            assert version.citation.document, limit.key


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _limit_toml(key: str, unit: str = "calendar-day", value: str = "7", extra: str = "") -> str:
    return (
        f'[[parameter]]\nkey = "{key}"\nlabel_zh = "测试"\nlabel_en = "test"\nunit = "{unit}"\n'
        f"{extra}\n  [[parameter.version]]\n  value = {value}\n"
        '  citation = { document = "test" }\n'
    )


def test_load_reads_several_files_and_layers_on_the_bundle(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.toml", _limit_toml("local.a"))
    b = _write(tmp_path, "b.toml", _limit_toml("local.b", unit="working-day", value="3"))
    book = BOOK.layered(LimitBook.load([a, b]))
    assert {"local.a", "local.b", "petition.handling"} <= set(book.keys())
    assert D(2024, 6, 5) == due(book, "local.b", D(2024, 5, 31), calendar=NATIONAL).due


def test_a_roll_of_none_in_a_file_keeps_the_rest_day(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.toml", _limit_toml("local.a", value="15", extra='roll = "none"'))
    book = LimitBook.load(path)
    assert RestDayRoll.NONE is book.limit("local.a").roll
    assert D(2024, 6, 16) == due(book, "local.a", D(2024, 6, 1), calendar=NATIONAL).due


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("a unit that is not a clock", _limit_toml("local.a", unit="CNY/year")),
        ("an unknown roll", _limit_toml("local.a", extra='roll = "sometimes"')),
        ("a fraction of a day", _limit_toml("local.a", value='"1.5"')),
        ("a table", _limit_toml("local.a", value="{ x = 1 }")),
        ("a key twice", _limit_toml("local.a") + _limit_toml("local.a")),
        ("not TOML", "[[parameter]\n"),
    ],
)
def test_a_bad_file_is_refused(tmp_path: Path, name: str, body: str) -> None:
    path = _write(tmp_path, "bad.toml", body)
    with pytest.raises(InvalidValue):
        LimitBook.load(path)


def test_two_files_defining_one_key_are_refused(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.toml", _limit_toml("local.a"))
    b = _write(tmp_path, "b.toml", _limit_toml("local.a"))
    with pytest.raises(InvalidValue, match="already defined"):
        LimitBook.load([a, b])


# --- values ---------------------------------------------------------------------------------


def test_a_due_date_cannot_precede_its_start() -> None:
    with pytest.raises(InconsistentRecord):
        DueDate(
            key="x",
            start=D(2024, 6, 2),
            due=D(2024, 6, 1),
            count=DayCount.CALENDAR_DAY,
            amount=0,
            citation=Citation(document="d"),
        )


def test_a_time_limit_with_a_fractional_version_cannot_exist() -> None:
    parameter = Parameter(
        key="x",
        label_zh="x",
        label_en="x",
        unit="calendar-day",
        versions=(
            ParameterVersion(
                effective_from=D(2023, 1, 1),
                value=Decimal("1.5"),
                citation=Citation(document="d"),
            ),
        ),
    )
    with pytest.raises(InvalidValue):
        TimeLimit(key="x", count=DayCount.CALENDAR_DAY, parameter=parameter)


def test_labels_in_chinese() -> None:
    assert ["日", "工作日", "个月"] == [c.label_zh for c in DayCount]
    assert "顺延至节假日后第一个工作日" == RestDayRoll.CIVIL_CODE.label_zh


def test_the_counting_rules_cite_the_civil_code() -> None:
    assert ("《中华人民共和国民法典》", D(2021, 1, 1)) == (
        CIVIL_CODE_PERIODS.document,
        CIVIL_CODE_PERIODS.effective,
    )
