"""The rule engine: parameters in time, layering, the rule book, decisions."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from tests.rules.builders import resident_id
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Disability,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    Household,
    HukouType,
    Person,
    PersonnelType,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.rules import (
    RULES,
    Citation,
    Parameter,
    ParameterVersion,
    RuleBook,
    SourceGrade,
    bundled_jurisdictions,
)
from veteran_affairs.serialization import make_converter

D = dt.date
NATIONAL = RuleBook.load("national")
STANDARD = "disability_pension.annual_standard"


def veteran(grade: int = 1, sequence: int = 1) -> Veteran:
    body = f"450312197801{sequence % 28 + 1:02d}{sequence % 1000:03d}"
    return Veteran(
        person=Person(
            resident_id=resident_id(body),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
        ),
        service=ServiceRecord(
            enlisted_on=D(1998, 12, 1),
            discharged_on=D(2000, 12, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
        disability=Disability(
            grade=grade, nature=DisabilityNature.IN_COMBAT, assessed_on=D(2000, 6, 1)
        ),
        statuses=(
            EntitlementStatus(
                category=EntitlementCategory.DISABLED_SERVICEMEMBER, since=D(2000, 6, 1)
            ),
        ),
    )


# --- parameters ---------------------------------------------------------------------------


def test_the_bundled_jurisdictions_are_national_and_guangxi() -> None:
    assert ("guangxi", "national") == bundled_jurisdictions()


def test_guangxi_layers_its_file_on_the_national_parameters() -> None:
    guangxi = RuleBook.load("guangxi")

    assert "one_off_retirement_payment.local_supplement" in guangxi.parameters
    assert "one_off_retirement_payment.local_supplement" not in NATIONAL.parameters
    assert NATIONAL.parameters[STANDARD] == guangxi.parameters[STANDARD]


def test_an_unknown_jurisdiction_names_the_bundled_ones() -> None:
    with pytest.raises(errors.UnknownJurisdiction, match="guangxi, national"):
        RuleBook.load("atlantis")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2019, 7, 31), Decimal("75060")),
        (D(2019, 8, 1), Decimal("82570")),
        (D(2020, 7, 31), Decimal("82570")),
        (D(2020, 8, 1), Decimal("90830")),
        (D(2021, 7, 31), Decimal("90830")),
    ],
)
def test_lookup_takes_the_version_in_force(on: dt.date, expected: Decimal) -> None:
    value, version = NATIONAL.parameters[STANDARD].value_on(on, "illness", "1")

    assert expected == value
    assert version.effective_from <= on


def test_each_error_says_what_to_do() -> None:
    parameter = NATIONAL.parameters[STANDARD]

    with pytest.raises(errors.ParameterNotInForce, match="2015-10-01"):
        parameter.version_on(D(2015, 9, 30))
    with pytest.raises(errors.ParameterOutOfDate, match="--parameters FILE"):
        parameter.version_on(D(2026, 8, 1))
    with pytest.raises(errors.ParameterMissing, match="in-combat/2"):
        parameter.value_on(D(2019, 9, 1), "in-combat", "2")
    with pytest.raises(errors.ParameterMissing, match="supply"):
        NATIONAL.parameters["one_off_retirement_payment.annual_standard"].version_on(D(2020, 1, 1))
    with pytest.raises(errors.ParameterMissing, match="not confirmed"):
        NATIONAL.parameters["survivor_pension.annual_standard"].version_on(D(2020, 8, 1))


def test_parameter_errors_are_lookup_errors_that_name_the_parameter() -> None:
    with pytest.raises(LookupError) as info:
        NATIONAL.parameters[STANDARD].version_on(D(2027, 1, 1))

    assert isinstance(info.value, errors.ParameterError)
    assert STANDARD == info.value.key
    assert "2027-01-01" == info.value.on


def test_stale_values_are_used_only_when_asked() -> None:
    stale = NATIONAL.allowing_stale()

    decision = stale.evaluate("disability_pension", veteran(), on=D(2027, 1, 1))

    assert Decimal("135840") == decision.amount  # the 2025-08-01 standard, past 2026-07-31
    assert decision.stale
    with pytest.raises(errors.ParameterOutOfDate):
        NATIONAL.evaluate("disability_pension", veteran(), on=D(2027, 1, 1))


def test_a_stale_decision_names_each_stale_figure_in_explain_html_and_json() -> None:
    decision = NATIONAL.allowing_stale().evaluate("disability_pension", veteran(), on=D(2027, 1, 1))
    data = make_converter().unstructure(decision)

    assert [(STANDARD, ("in-combat", "1"))] == [
        (use.key, use.path) for use in decision.stale_parameters
    ]
    assert "STALE" in decision.explain()
    assert f"{STANDARD}[in-combat/1]" in decision.explain().splitlines()[1]
    assert "confirmed only through 2026-07-31" in decision.explain()
    assert "STALE" in decision._repr_html_()
    assert data["stale"] is True
    assert [True] == [use["stale"] for use in data["parameters"]]
    assert json.loads(json.dumps(data))["parameters"][0]["citation"]["grade"] == "GOV"


def test_a_confirmed_decision_is_not_stale_even_in_a_book_that_allows_stale_values() -> None:
    decision = NATIONAL.allowing_stale().evaluate(
        "disability_pension", veteran(), on=D(2026, 7, 31)
    )

    assert not decision.stale
    assert () == decision.stale_parameters
    assert "STALE" not in decision.explain()


def test_a_gap_bridged_with_stale_values_is_flagged() -> None:
    survivor_standard = NATIONAL.parameters["survivor_pension.annual_standard"]
    version = survivor_standard.version_on(D(2020, 8, 1), allow_stale=True)

    assert D(2019, 8, 1) == version.effective_from
    assert survivor_standard.is_stale(version, D(2020, 8, 1))
    assert not survivor_standard.is_stale(version, D(2020, 7, 31))


def test_every_bundled_figure_version_names_its_source_grade() -> None:
    for name in bundled_jurisdictions():
        for parameter in RuleBook.load(name).parameters:
            if parameter.unit in ("flag",):
                continue
            for version in parameter.versions:
                if version.citation.document.startswith(("《", "民发〔2011〕110号")):
                    continue  # statutes and the 2011 notice itself: no grade
                assert version.citation.grade is not None, (parameter.key, version)


def test_a_user_parameter_file_loads_with_the_book(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        """
[[parameter]]
key = "one_off_retirement_payment.annual_standard"
label_zh = "测试"
label_en = "test"
unit = "CNY per service year"

  [[parameter.version]]
  effective_from = "2011-11-01"
  citation = { document = "test input, not law", grade = "SECONDARY" }
  value = "4500"
""",
        encoding="utf-8",
    )

    book = RuleBook.load("guangxi", parameters=path)
    both = RuleBook.load("guangxi", parameters=[path, path])

    value, version = book.parameters["one_off_retirement_payment.annual_standard"].value_on(
        D(2020, 1, 1)
    )
    assert Decimal("4500") == value
    assert SourceGrade.SECONDARY == version.citation.grade
    assert (
        book.parameters["one_off_retirement_payment.annual_standard"]
        == both.parameters["one_off_retirement_payment.annual_standard"]
    )
    assert "guangxi" == book.jurisdiction


def test_a_bad_parameter_file_is_refused_naming_the_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[parameter]\nkey = 1", encoding="utf-8")
    graded = tmp_path / "graded.toml"
    graded.write_text(
        """
[[parameter]]
key = "x.y"
label_zh = "测试"
label_en = "test"
unit = "CNY"
  [[parameter.version]]
  effective_from = "2020-01-01"
  citation = { document = "test", grade = "OFFICIAL" }
  value = "1"
""",
        encoding="utf-8",
    )

    with pytest.raises(errors.InvalidValue, match=r"broken\.toml"):
        RuleBook.load("national", parameters=broken)
    with pytest.raises(errors.InvalidValue, match=r"graded\.toml.*grade"):
        RuleBook.load("national", parameters=graded)


def test_every_bundled_version_cites_its_source() -> None:
    for name in bundled_jurisdictions():
        for parameter in RuleBook.load(name).parameters:
            assert parameter.label_zh
            assert parameter.label_en
            for version in parameter.versions:
                assert version.citation.document


# --- user parameters ------------------------------------------------------------------------


def test_a_plain_value_applies_from_the_beginning_of_time() -> None:
    book = NATIONAL.with_parameters(
        {"one_off_retirement_payment.annual_standard": "5000"}  # a test input, not law
    )

    value, version = book.parameters["one_off_retirement_payment.annual_standard"].value_on(
        D(2001, 1, 1)
    )

    assert Decimal("5000") == value
    assert "user-supplied" in version.citation.document


def test_a_user_version_extends_the_history_without_the_confirmed_limit() -> None:
    rise = {
        "effective_from": "2026-08-01",
        "value": {"in-combat": {"1": "140000"}},  # a test input, not law
        "citation": {"document": "test notice"},
    }
    book = NATIONAL.with_parameters({STANDARD: rise})

    assert (
        Decimal("140000") == book.evaluate("disability_pension", veteran(), on=D(2028, 1, 1)).amount
    )
    assert (
        Decimal("135840")
        == book.evaluate("disability_pension", veteran(), on=D(2026, 7, 31)).amount
    )


def test_with_parameters_returns_a_new_book_and_leaves_the_old_one() -> None:
    book = NATIONAL.with_parameters({STANDARD: {"in-combat": {"1": "1"}}})

    assert Decimal("1") == book.evaluate("disability_pension", veteran(), on=D(2021, 1, 6)).amount
    assert (
        Decimal("96970")
        == NATIONAL.evaluate("disability_pension", veteran(), on=D(2021, 1, 6)).amount
    )


def test_user_parameters_from_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        """
[[parameter]]
key = "one_off_retirement_payment.annual_standard"
label_zh = "测试"
label_en = "test"
unit = "CNY per service year"
  [[parameter.version]]
  effective_from = "2020-01-01"
  value = "6000"
  citation = { document = "test notice (not law)" }
""",
        encoding="utf-8",
    )

    book = NATIONAL.with_parameters(path)

    value, _ = book.parameters["one_off_retirement_payment.annual_standard"].value_on(D(2020, 6, 1))
    assert Decimal("6000") == value


@pytest.mark.parametrize(
    "bad",
    [
        {"no.such.parameter": "1"},
        {STANDARD: 1.5},
        {STANDARD: {"effective_from": "2021-13-01", "value": "1"}},
    ],
)
def test_bad_user_parameters_raise_invalid_value(bad: dict[str, object]) -> None:
    with pytest.raises(errors.InvalidValue):
        NATIONAL.with_parameters(bad)


def test_versions_must_be_in_order() -> None:
    cite = Citation(document="x")
    with pytest.raises(errors.InvalidValue):
        Parameter(
            key="k",
            label_zh="k",
            label_en="k",
            unit="CNY",
            versions=(
                ParameterVersion(effective_from=D(2020, 1, 1), value=Decimal(1), citation=cite),
                ParameterVersion(effective_from=D(2019, 1, 1), value=Decimal(1), citation=cite),
            ),
        )


# --- the book -------------------------------------------------------------------------------


def test_unknown_rules_and_wrong_subjects_raise_typed_errors() -> None:
    household = Household(
        household_id="h1",
        hukou_division=DivisionCode("450312"),
        head=veteran().resident_id,
        members=(veteran().resident_id,),
    )

    with pytest.raises(errors.UnknownRule, match="disability_pension"):
        NATIONAL.evaluate("no_such_rule", veteran(), on=D(2021, 1, 6))
    with pytest.raises(errors.WrongSubject):
        NATIONAL.evaluate("disability_pension", household, on=D(2021, 1, 6))


def test_evaluate_all_runs_every_rule_for_the_subject_kind() -> None:
    names = {
        d.rule
        for d in RuleBook.load("national")
        .with_parameters({"one_off_retirement_payment.annual_standard": "5000"})
        .evaluate_all(veteran(), on=D(2020, 1, 6))
    }

    assert {name for name, rule in RULES.items() if rule.applies_to(veteran())} == names


def test_evaluate_many_streams() -> None:
    population = (veteran(sequence=i) for i in itertools.count())

    stream = NATIONAL.evaluate_many(population, ["disability_pension"], on=D(2021, 1, 6))
    first = list(itertools.islice(stream, 3))

    assert 3 == len(first)
    assert all(d.rule == "disability_pension" for d in first)


def test_compare_lists_what_changes_for_whom() -> None:
    people = [veteran(grade=1, sequence=1), veteran(grade=5, sequence=2)]
    raised = NATIONAL.with_parameters(
        {STANDARD: {"in-combat": {"1": "100000", "5": "49290"}}}  # a what-if, not law
    )

    changes = list(raised.compare(NATIONAL, people, on=D(2021, 1, 6), rules=["disability_pension"]))

    assert [(people[0].person.resident_id.masked, Decimal("3030"))] == [
        (c.subject, c.amount_delta) for c in changes
    ]
    assert [] == list(NATIONAL.compare(NATIONAL, people, on=D(2021, 1, 6)))


def test_decisions_keep_the_parameter_versions_they_used() -> None:
    decision = NATIONAL.evaluate("disability_pension", veteran(), on=D(2021, 1, 6))

    uses = [(u.key, u.path, u.value, u.effective_from) for u in decision.parameters]
    assert [(STANDARD, ("in-combat", "1"), Decimal("96970"), D(2020, 8, 1))] == uses


def test_a_correction_to_the_history_keeps_the_bundled_confirmed_limit() -> None:
    fix = {
        STANDARD: {
            "effective_from": "2016-10-01",
            "value": {"in-combat": {"1": "66230"}},
            "citation": {"document": "test input, not law"},
        }
    }

    book = NATIONAL.with_parameters(fix)

    assert D(2026, 7, 31) == book.parameters[STANDARD].confirmed_through
    with pytest.raises(errors.ParameterOutOfDate):
        book.evaluate("disability_pension", veteran(), on=D(2026, 8, 1))


def test_reprs_stay_short() -> None:
    decision = NATIONAL.evaluate("disability_pension", veteran(), on=D(2021, 1, 6))

    assert repr(NATIONAL).startswith("RuleBook(jurisdiction='national'")
    assert len(repr(NATIONAL)) < 120
    assert "eligible=True, amount=96970" in repr(decision)


def test_the_deciding_reason_is_the_first_condition_matching_the_outcome() -> None:
    paid = NATIONAL.evaluate("disability_pension", veteran(), on=D(2021, 1, 6))
    unassessed = NATIONAL.evaluate(
        "disability_pension", attrs.evolve(veteran(), disability=None), on=D(2021, 1, 6)
    )

    assert paid.eligible is True
    assert paid.deciding_reason is not None
    assert "disability.assessed" == paid.deciding_reason.code
    assert unassessed.deciding_reason is not None
    assert (False, "disability.assessed") == (
        unassessed.deciding_reason.held,
        unassessed.deciding_reason.code,
    )
