"""The person ``detail`` codec writes text identical to ``json.dumps`` of its arrays.

``person_detail`` formats the JSON text by hand (it is on the path of every bulk import);
this checks it against a plain ``json`` encoding of the arrays the codec documents, for any
veteran, survivor and serving member, and that the text reads back to an equal person.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.models import (
    Circumstances,
    ServiceRecord,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.repositories import _mappers
from veteran_affairs.repositories._mappers import (
    _STATUS_INSERT,
    DETAIL_ENUMS,
    _iso,
    _person_children,
    _person_record,
    _person_row,
    person_detail,
)
from veteran_affairs.testing.strategies import serving_members, survivors, veterans

_FACTS = [f.name for f in attrs.fields(Circumstances)]


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _enum(value: enum.Enum | None) -> Any:
    return None if value is None else value.value


def _service(s: ServiceRecord) -> list[Any]:
    return [
        s.enlisted_on.isoformat(),
        s.personnel_type.value,
        _day(s.discharged_on),
        _enum(s.nco_rank),
        _enum(s.discharge_mode),
        [[a.kind.value, a.awarded_on.isoformat(), a.wartime] for a in s.awards],
        s.combat_participant,
        s.test_participant,
    ]


def _circumstances(c: Circumstances) -> list[Any] | None:
    facts = [getattr(c, name) for name in _FACTS]
    return None if all(f is None for f in facts) else facts


def _reference(value: Veteran | Survivor | ServingMember) -> str:
    """The codec's arrays as documented in ``_mappers``, encoded by the json module."""
    doc: list[Any]
    if isinstance(value, ServingMember):
        doc = [1, _service(value.service), value.enlisted_from.value]
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    sanctions = [[s.kind.value, s.since.isoformat(), _day(s.until)] for s in value.sanctions]
    if isinstance(value, Veteran):
        d = value.disability
        disability = (
            None
            if d is None
            else [d.grade, d.nature.value, d.assessed_on.isoformat(), d.mental_disorder]
        )
        doc = [1, _service(value.service), disability, _circumstances(value.circumstances)]
        doc.append(sanctions)
    else:
        deceased = value.deceased_id
        doc = [
            1,
            value.relation.value,
            value.death_category.value,
            value.deceased_on.isoformat(),
            None if deceased is None else deceased.unmasked,
            _circumstances(value.circumstances),
            sanctions,
        ]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


persons = st.one_of(veterans(), survivors(), serving_members())


@given(persons)
def test_the_detail_text_is_what_json_writes_for_the_documented_arrays(
    value: Veteran | Survivor | ServingMember,
) -> None:
    text = person_detail(value)

    assert _reference(value) == text
    assert json.loads(text) == json.loads(_reference(value))


@given(persons)
def test_a_person_row_reads_back_to_an_equal_person(
    value: Veteran | Survivor | ServingMember,
) -> None:
    statuses = json.dumps(
        [
            [i, s.category.value, s.since.isoformat(), _day(s.until)]
            for i, s in enumerate(value.statuses)
        ]
    )

    assert value == _person_record((*_person_row(value), 1, statuses))


@given(persons)
def test_the_status_rows_are_the_statuses_in_order(
    value: Veteran | Survivor | ServingMember,
) -> None:
    key = value.person.resident_id.unmasked
    expected = [
        (key, i, s.category.value, s.since.isoformat(), _day(s.until))
        for i, s in enumerate(value.statuses)
    ]

    assert _person_children(value) == ([(_STATUS_INSERT, expected)] if expected else [])


@given(st.lists(st.dates(), max_size=50), st.integers(min_value=1, max_value=8))
def test_remembered_iso_dates_are_isoformat_and_the_table_stays_bounded(
    days: list[dt.date], most: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_mappers, "_ISO_DAYS", {})
        patch.setattr(_mappers, "_ISO_DAYS_MAX", most)
        for day in days + days:
            assert _iso(day) == day.isoformat()
            assert len(_mappers._ISO_DAYS) <= most


@pytest.mark.parametrize("cls", DETAIL_ENUMS)
def test_every_value_of_the_enums_in_the_detail_is_written_as_json_writes_it(
    cls: type[enum.Enum],
) -> None:
    for member in cls:
        assert json.dumps(member.value, ensure_ascii=False) == f'"{member.value}"'


def test_an_enum_value_that_would_need_escaping_is_refused_when_the_module_loads() -> None:
    from veteran_affairs.repositories._mappers import _plain_values

    Quoted = enum.Enum("Quoted", {"BAD": 'say "hi"'})

    with pytest.raises(AssertionError, match=r"Quoted\.BAD"):
        _plain_values(Quoted)
