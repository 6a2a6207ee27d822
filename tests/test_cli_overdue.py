"""``veteran-affairs overdue``: the list of overdue casework to chase (督办清单).

A small store built by hand (Guangxi calendar, list day 2024-06-20): petitions one day past
and on their due date, one answered on time, one whose limit has no value (a 2022 direct
notice: NOT FOUND), one in another county, a stalled medical-insurance transfer whose
account was not opened, a legacy case with a milestone past its date, an open request.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DemoRun
from veteran_affairs import cli
from veteran_affairs.casework.discharge import InsuranceScheme, InsuranceTransfer
from veteran_affairs.casework.legacy import (
    LegacyCase,
    LegacyCategory,
    Milestone,
    OriginRegime,
)
from veteran_affairs.casework.petitions import (
    Petition,
    PetitionCategory,
    PetitionChannel,
    ReceiverKind,
)
from veteran_affairs.casework.requests import Contact, ContactChannel, Request
from veteran_affairs.cli._common import width
from veteran_affairs.cli._overdue import CaseworkKind, limit_book, overdue_list
from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.testing.store_contract import resident_id

ON = dt.date(2024, 6, 20)
LINGUI = DivisionCode("450312")
ZIYUAN = DivisionCode("450329")
HANDLING = "《信访条例》 国务院令第431号 第三十三条"
HANDLING_2022 = "《信访工作条例》 (article not confirmed)"
MEDICAL = "《中国人民解放军军人退役医疗保险暂行办法》 国办发〔1999〕100号 (article not confirmed)"
IDS = {n: resident_id(n) for n in range(1, 8)}


def _petition(
    n: int, accepted: dt.date, unit: DivisionCode = LINGUI, answered: dt.date | None = None
) -> Petition:
    petition = Petition.receive(
        petition_id=f"XF-{n}",
        petitioner=IDS[n],
        category=PetitionCategory.APPEAL,
        channel=PetitionChannel.LETTER,
        received_by=unit,
        receiver=ReceiverKind.PETITION_OFFICE,
        on=accepted,
        actor="clerk",
    ).accept(on=accepted, actor="clerk")
    if answered is not None:
        petition = petition.answer(on=answered, actor="clerk")
    return petition


def _petitions() -> list[Petition]:
    direct = Petition.receive(
        petition_id="XF-4",
        petitioner=IDS[4],
        category=PetitionCategory.APPEAL,
        channel=PetitionChannel.LETTER,
        received_by=LINGUI,
        receiver=ReceiverKind.OTHER_BODY,
        on=dt.date(2024, 6, 1),
        actor="clerk",
    )
    return [
        _petition(1, dt.date(2024, 4, 20)),  # due 2024-06-19: one day overdue
        _petition(2, dt.date(2024, 4, 21)),  # due 2024-06-20: the due day, in time
        _petition(3, dt.date(2024, 3, 1), answered=dt.date(2024, 4, 1)),  # answered on time
        direct,  # petition.direct_notice has no value from 2022-05-01
        _petition(5, dt.date(2024, 4, 1), unit=ZIYUAN),  # due 2024-05-31 in 资源县
    ]


def _transfer() -> InsuranceTransfer:
    transfer = InsuranceTransfer.start(
        veteran=IDS[6], scheme=InsuranceScheme.MEDICAL, on=dt.date(2024, 4, 1), destination=LINGUI
    )
    for day in (2, 8, 15, 6):
        month = 4 if day != 6 else 5
        transfer = transfer.advance(on=dt.date(2024, month, day))
    return transfer.stall(on=dt.date(2024, 5, 10), note="account not opened")


def _legacy() -> LegacyCase:
    case = LegacyCase.identify(
        case_id="LS-1",
        category=LegacyCategory.PLACEMENT,
        regime=OriginRegime.SOLDIER_PLACEMENT_2011,
        topic="placement not carried out",
        responsible_unit=LINGUI,
        owner="county bureau",
        on=dt.date(2024, 3, 1),
        actor="clerk",
        subjects=(IDS[7],),
    )
    return case.verify(on=dt.date(2024, 3, 5), actor="clerk").agree_plan(
        on=dt.date(2024, 3, 10),
        actor="clerk",
        milestones=(Milestone(key="m1", title="核对档案", target_on=dt.date(2024, 6, 10)),),
    )


def _request() -> Request:
    contact = Contact(
        channel=ContactChannel.PHONE, on=dt.date(2024, 6, 3), unit=LINGUI, person=IDS[5]
    )
    return Request.open(request_id="SQ-1", contact=contact, topic="subsidy", actor="clerk")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overdue") / "store.sqlite"
    SqliteStore(path).bulk_add([*_petitions(), _transfer(), _legacy(), _request()], actor="test")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["overdue", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


EXPECTED = [
    # (kind, key, unit, limit, due, days overdue, citation, person)
    ("transfers", f"{IDS[6].masked}/medical", "450312", "discharge.medical_account_opening",
     "2024-05-27", 24, MEDICAL, IDS[6].masked),
    ("legacy", "LS-1", "450312", "legacy.milestone.m1", "2024-06-10", 10,
     "the case's own plan (化解计划), not a statutory limit", IDS[7].masked),
    ("petitions", "XF-1", "450312", "petition.handling", "2024-06-19", 1, HANDLING_2022,
     IDS[1].masked),
    ("petitions", "XF-5", "450329", "petition.handling", "2024-05-31", 20, HANDLING_2022,
     IDS[5].masked),
]  # fmt: skip


def _shape(row: dict[str, object]) -> tuple[object, ...]:
    return tuple(
        row[k]
        for k in ("kind", "key", "unit", "limit", "due", "days_overdue", "citation", "person")
    )


# --- the pure list ------------------------------------------------------------------------


def test_the_list_holds_exactly_the_overdue_items_sorted_by_unit_then_due_date() -> None:
    found = overdue_list(
        on=ON,
        book=limit_book(),
        petitions=_petitions(),
        transfers=[_transfer()],
        legacy=[_legacy()],
        requests=[_request()],
    )

    assert EXPECTED == [_shape(row.to_json()) for row in found.rows]


def test_limits_without_a_value_are_counted_and_named_not_guessed() -> None:
    found = overdue_list(
        on=ON,
        book=limit_book(),
        petitions=_petitions(),
        legacy=[_legacy()],
        requests=[_request()],
    )

    expected = [
        f"1 item(s) not judged: limit {key} has no value (时限无值); supply it with --limits FILE"
        for key in ("legacy.review_interval", "petition.direct_notice", "request.answer")
    ]

    assert expected == found.notes()


ACCEPTED = dt.date(2024, 4, 20)  # 60 日 → due 2024-06-19 (a Wednesday)
BOUNDARY = [
    # (name, list day, expected days overdue or None for no row)
    ("the day before the due date", dt.date(2024, 6, 18), None),
    ("the due day itself is in time", dt.date(2024, 6, 19), None),
    ("the day after the due date is overdue", dt.date(2024, 6, 20), 1),
    ("a month later", dt.date(2024, 7, 19), 30),
    ("answered late: nothing left to chase", dt.date(2024, 8, 1), None),
]


@pytest.mark.parametrize(("name", "on", "expected"), BOUNDARY, ids=[b[0] for b in BOUNDARY])
def test_a_petition_is_overdue_from_the_day_after_its_due_date(
    name: str, on: dt.date, expected: int | None
) -> None:
    petition = _petition(1, ACCEPTED, answered=dt.date(2024, 7, 25))
    found = overdue_list(on=on, book=limit_book(), petitions=[petition])

    assert expected == (found.rows[0].days_overdue if found.rows else None)


def test_a_supplied_limit_judges_the_items_it_was_missing(tmp_path: Path) -> None:
    limits = tmp_path / "limits.toml"
    limits.write_text(
        '[[parameter]]\nkey = "request.answer"\nlabel_zh = "诉求答复时限"\n'
        'label_en = "days to answer a request"\nunit = "calendar-day"\n'
        '  [[parameter.version]]\n  effective_from = "2000-01-01"\n  value = 15\n'
        '  citation = { document = "本单位工作规则", article = "第五条" }\n',
        encoding="utf-8",
    )
    found = overdue_list(on=ON, book=limit_book([limits]), requests=[_request()])

    # registered 2024-06-03, 15 日 → 2024-06-18
    assert [("SQ-1", "2024-06-18", 2, "本单位工作规则 第五条")] == [
        (r.key, r.due.isoformat(), r.days_overdue, r.citation) for r in found.rows
    ]
    assert [] == found.notes()


@given(offset=st.integers(min_value=-400, max_value=400))
def test_rows_are_never_before_their_due_date_and_days_match(offset: int) -> None:
    on = ON + dt.timedelta(days=offset)
    found = overdue_list(on=on, book=limit_book(), petitions=_petitions(), transfers=[_transfer()])

    assert all(r.due < on and r.days_overdue == (on - r.due).days for r in found.rows)
    keys = [(r.unit.value, r.due) for r in found.rows]
    assert sorted(keys) == keys


# --- the command --------------------------------------------------------------------------


def test_text_lists_each_unit_with_its_items_and_fits_120_columns(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--store", str(store), "--on", ON.isoformat())
    lines = out.splitlines()

    assert 0 == status
    assert "Overdue casework on 2024-06-20 (督办清单): 4 item(s)" == lines[0]
    assert ["450312 临桂区", "450329 资源县"] == [line for line in lines if line.startswith("4503")]
    assert f"[1] {MEDICAL}" in lines
    assert any("limit petition.direct_notice has no value" in line for line in lines)
    assert max(width(line) for line in lines) <= 120


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (["--within", "450329"], ["XF-5"]),
        (["--within", "450312", "--kind", "petitions"], ["XF-1"]),
        (["--kind", "legacy", "--kind", "transfers"], [f"{IDS[6].masked}/medical", "LS-1"]),
    ],
)
def test_within_and_kind_choose_the_rows(
    args: list[str], keys: list[str], store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--store", str(store), "--on", ON.isoformat(), "--json", *args)

    assert (0, keys) == (status, [row["key"] for row in json.loads(out)["rows"]])


def test_json_holds_the_rows_and_what_was_not_judged(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "--store", str(store), "--on", ON.isoformat(), "--json")
    document = json.loads(out)

    assert 0 == status
    assert EXPECTED == [_shape(row) for row in document["rows"]]
    assert [
        ("legacy.review_interval", 1),
        ("petition.direct_notice", 1),
        ("request.answer", 1),
    ] == [(n["limit"], n["items"]) for n in document["not_judged"]]


def test_csv_to_a_file_has_a_bom_and_the_rows(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "overdue.csv"
    status, out, _ = _run(
        capsys, "--store", str(store), "--on", ON.isoformat(), "--out", str(target)
    )
    raw = target.read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))

    assert 0 == status
    assert raw.startswith(b"\xef\xbb\xbf")
    assert ["信访件", "XF-1", "450312", "临桂区", "petition.handling"] == rows[3][:5]
    assert ("2024-06-19", "1") == (rows[3][7], rows[3][8])
    assert "4 overdue item(s) written to" in out


def test_csv_on_standard_output_and_xlsx(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "--store", str(store), "--on", ON.isoformat(), "--out", "-")
    target = tmp_path / "overdue.xlsx"
    status_x, _, _ = _run(
        capsys, "--store", str(store), "--on", ON.isoformat(), "--out", str(target)
    )
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]

    assert (0, 0) == (status, status_x)
    assert 5 == len(list(csv.reader(io.StringIO(out))))
    assert "written to -" in err
    assert ("XF-5", dt.datetime(2024, 5, 31), 20) == (cells[4][1], cells[4][7], cells[4][8])


def test_no_full_identity_number_appears_in_any_output(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "overdue.xlsx"
    texts = []
    for extra in ([], ["--json"], ["--out", "-"], ["--out", str(target)]):
        _, out, err = _run(capsys, "--store", str(store), "--on", ON.isoformat(), *extra)
        texts.append(out + err)
    book = openpyxl.load_workbook(target)
    texts.extend(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row)
    everything = "\n".join(texts)

    assert [] == [n for n in IDS.values() if n.unmasked in everything]
    assert IDS[1].masked in everything


@pytest.mark.parametrize(
    "args",
    [
        ["--within", "459999"],
        ["--within", "not-a-code"],
        ["--kind", "baolian"],
        ["--on", "2024-13-01"],
    ],
)
def test_bad_arguments_exit_2(
    args: list[str], store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["overdue", "--store", str(store), *args])

    assert 2 == exit_.value.code


def test_a_missing_store_or_limits_file_exits_1(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_store, _, _ = _run(capsys, "--store", str(tmp_path / "none.sqlite"))
    missing_file, _, err = _run(capsys, "--store", str(store), "--limits", str(tmp_path / "x.toml"))

    assert (1, 1) == (missing_store, missing_file)
    assert "limits file" in err


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_store_lists_as_many_petitions_as_its_overdue_figure(
    demo_run: DemoRun, capsys: pytest.CaptureFixture[str]
) -> None:
    path, demo = demo_run.store, demo_run.out  # the run's demo (tests/conftest.py)
    figure = int(re.search(r"open, of which (\d+) overdue", demo).group(1))  # type: ignore[union-attr]
    status, out, _ = _run(capsys, "--store", str(path), "--on", "2021-01-06", "--json")
    with SqliteStore(path).unit_of_work(actor="test") as work:
        in_2020 = {
            p.petition_id for p in work.records(Petition).find() if p.received_on.year == 2020
        }
    listed = {
        r["key"] for r in json.loads(out)["rows"] if r["kind"] == CaseworkKind.PETITIONS.value
    }

    assert 0 == status
    assert figure == len(listed & in_2020)
