"""The statutes, their dates and the 2011/2024 and 2019/2024 concordances (veteran_affairs.statutes).

Each bundled pair has a row below: the two articles as read in the two texts, and two short
terms both articles use (a figure or a name of the benefit), so a reader can check the row
against the texts. Where the texts are at hand (``../shared/law`` beside the repository, or
``$VA_LAW_DIR``), :func:`test_each_pair_is_found_in_both_texts` checks the terms there too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest

from veteran_affairs import statutes
from veteran_affairs.casework.discharge import REGIME_2011_FROM, REGIME_2024_FROM, Regime
from veteran_affairs.casework.legacy import OriginRegime
from veteran_affairs.errors import InvalidValue
from veteran_affairs.parameters import Citation
from veteran_affairs.rules import RULES, disability_pension, living_allowance, survivor_pension
from veteran_affairs.statutes import (
    PENSIONS,
    PENSIONS_2019,
    PENSIONS_2024,
    PLACEMENT,
    SOLDIER_PLACEMENT_2011,
    VETERAN_PLACEMENT_2024,
    FuneralAid,
    Statutes,
    UnknownStatute,
)

D = dt.date

# topic: (older article, newer article, terms both articles use)
PLACEMENT_PAIRS = {
    "placement.definition": ("第二条", "第二条", ("退出现役",)),
    "placement.in_force": ("第五十三条", "第九十三条", ("施行", "废止")),
    "placement.self_employment": (
        "第十八、十九条",
        "第二十、二十一条",
        ("自主就业", "一次性退役金"),
    ),
    "placement.one_off_payment": ("第二十条", "第二十一条", ("服现役年限", "一次性退役金")),
    "placement.one_off_bonus": ("第二十条", "第二十二条", ("增发", "一等功")),
    "placement.local_subsidy": ("第十九条", "第二十三条", ("经济补助",)),
    "placement.report": ("第十三条", "第五十一条", ("30日内", "报到")),
    "placement.report_or_forfeit": ("第十三、十七条", "第五十一条", ("报到", "放弃安置待遇")),
    "placement.arranged_conditions": ("第二十九条", "第二十五条", ("满12年", "5级至8级")),
    "placement.arranged_choice": ("第二十九条第三款", "第二十条第二款", ("安排工作", "自主就业")),
    "placement.arranged_forfeit": ("第四十条", "第三十四条", ("视为放弃安排工作待遇", "刑事责任")),
    "placement.arranged_deadline": ("第三十五条", "第三十一条第二款", ("6个月",)),
    "placement.arranged_waiting": ("第三十五条第二款", "第七十五条第一款", ("待安排工作期间",)),
    "placement.arranged_on_post": ("第三十六条", "第七十五条第二款", ("介绍信", "上岗")),
    "placement.arranged_delay_pay": ("第三十八条", "第七十五条第二款", ("80%", "生活费")),
    "placement.retirement": ("第四十一条", "第三十六条", ("55周岁", "满30年")),
    "placement.retirement_to_arranged": ("第四十一条第三款", "第二十五条第三款", ("5级至6级",)),
    "placement.support": ("第四十二条", "第三十八条第一款", ("1级至4级", "供养终身")),
    "placement.senior_support": ("第四十三条", "第三十八条第二款", ("1级至4级", "放弃退休安置")),
}
PENSION_PAIRS = {
    "pensions.definition": ("第二条", "第二条", ("烈士遗属", "残疾军人")),
    "pensions.survivor_conditions": ("第十六条", "第十九条", ("未满18周岁", "生前供养")),
    "pensions.survivor_standard": ("第十七条", "第十九条", ("定期抚恤金标准",)),
    "pensions.survivor_funeral_aid": ("第十九条", "第二十二条", ("6个月", "丧葬补助")),
    "pensions.disability_nature": ("第二十一条", "第二十五条", ("因病致残", "初级")),
    "pensions.disability_grades": ("第二十三条", "第二十七条", ("一级至十级", "一级至六级")),
    "pensions.disability_death": ("第二十八条", "第三十二条", ("12个月", "丧葬补助")),
    "pensions.nursing_allowance": ("第三十条", "第三十四条", ("护理费", "50%")),
    "pensions.family_allowance": ("第三十三条", "第四十二条", ("优待金",)),
    "pensions.sanctions": ("第五十条", "第五十九条", ("有期徒刑", "无期徒刑")),
}
PAIRS = {**PLACEMENT_PAIRS, **PENSION_PAIRS}
TEXTS = {
    "placement": (SOLDIER_PLACEMENT_2011, VETERAN_PLACEMENT_2024),
    "pensions": (PENSIONS_2019, PENSIONS_2024),
}


def test_every_bundled_pair_has_its_example_here() -> None:
    assert sorted(PAIRS) == sorted(p.topic for p in statutes.pairs())


@pytest.mark.parametrize("topic", sorted(PAIRS))
def test_each_pair_names_its_two_articles_and_texts(topic: str) -> None:
    old_article, new_article, _ = PAIRS[topic]
    row = statutes.pair(topic)
    old_text, new_text = TEXTS[row.series]

    assert (old_text.article(old_article), new_text.article(new_article)) == row.citations


def test_the_placement_regulations_and_their_days() -> None:
    assert [
        ("《退役士兵安置条例》(2011)", D(2011, 11, 1), D(2024, 8, 31), "第五十三条"),
        (
            "《退役军人安置条例》(2024)",
            D(2024, 9, 1),
            None,
            "第九十三条",
        ),
    ] == [(d.title, d.in_force, d.until, d.in_force_article) for d in PLACEMENT.documents]


def test_the_pensions_regulation_and_its_days() -> None:
    assert [
        ("《军人抚恤优待条例》(2019)", D(2019, 3, 2), D(2024, 9, 30)),
        (
            "《军人抚恤优待条例》(2024)",
            D(2024, 10, 1),
            None,
        ),
    ] == [(d.title, d.in_force, d.until) for d in PENSIONS.documents]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2011, 10, 31), None),
        (D(2011, 11, 1), "soldier-placement-2011"),
        (D(2024, 8, 31), "soldier-placement-2011"),
        (D(2024, 9, 1), "veteran-placement-2024"),
    ],
)
def test_the_placement_text_in_force_changes_on_its_first_day(
    day: dt.date, expected: str | None
) -> None:
    text = PLACEMENT.in_force(day)
    assert expected == (None if text is None else text.key)


def test_the_first_text_is_applied_to_earlier_days() -> None:
    assert (None, PENSIONS_2019) == (
        PENSIONS.in_force(D(2018, 1, 1)),
        PENSIONS.applied(D(2018, 1, 1)),
    )
    assert "第十六条" == statutes.pair("pensions.survivor_conditions").cite(D(2018, 1, 1)).article


def test_the_6_month_placement_deadline_is_cited_from_the_text_of_the_discharge() -> None:
    deadline = statutes.pair("placement.arranged_deadline")

    assert ("第三十五条", "第三十一条第二款") == (
        deadline.cite(D(2024, 8, 31)).article,
        deadline.cite(D(2024, 9, 1)).article,
    )


def test_one_article_may_match_several() -> None:
    # 2024 第七十五条第二款 holds both the 30-day limit (2011 第三十六条) and the pay while late
    # (2011 第三十八条).
    assert {"第三十六条", "第三十八条"} == {
        c.article for c in statutes.counterparts(VETERAN_PLACEMENT_2024.article("第七十五条第二款"))
    }


def test_an_article_without_a_pair_has_no_counterpart() -> None:
    # 2024 第三十五条 (who is not given a job) is new in 2024.
    assert () == statutes.counterparts(VETERAN_PLACEMENT_2024.article("第三十五条"))
    assert () == statutes.counterparts(Citation(document="《某条例》", article=None))


def test_a_paragraph_is_a_different_article_from_its_article() -> None:
    assert ("第三十一条第二款",) == tuple(
        c.article for c in statutes.counterparts(SOLDIER_PLACEMENT_2011.article("第三十五条"))
    )
    assert ("第七十五条第一款",) == tuple(
        c.article for c in statutes.counterparts(SOLDIER_PLACEMENT_2011.article("第三十五条第二款"))
    )


def test_documents_are_found_by_key_or_title() -> None:
    assert PENSIONS_2024 is statutes.document("《军人抚恤优待条例》(2024)")
    assert PENSIONS_2024 is statutes.document("pensions-2024")


@pytest.mark.parametrize(
    ("lookup", "kind"),
    [
        (lambda: statutes.document("《退伍义务兵安置条例》(1987)"), "document"),
        (lambda: statutes.pair("placement.no_such_rule"), "topic"),
        (lambda: statutes.series("martyrs"), "series"),
    ],
)
def test_an_unknown_name_raises_a_lookup_error_naming_it(lookup: Any, kind: str) -> None:
    with pytest.raises(UnknownStatute) as raised:
        lookup()

    assert isinstance(raised.value, LookupError)
    assert kind == raised.value.kind
    assert raised.value.name in str(raised.value)


def test_pair_article_in_a_text_outside_the_pair_raises() -> None:
    with pytest.raises(UnknownStatute):
        statutes.pair("placement.report").article_in(PENSIONS_2024)
    assert (
        "第五十一条" == statutes.pair("placement.report").article_in(VETERAN_PLACEMENT_2024).article
    )


# --- the regime dates live once ------------------------------------------------------------------


def test_casework_regimes_take_their_days_from_the_statutes() -> None:
    assert (REGIME_2011_FROM, REGIME_2024_FROM) == (
        SOLDIER_PLACEMENT_2011.in_force,
        VETERAN_PLACEMENT_2024.in_force,
    )
    assert (Regime.SOLDIERS_2011.first_day, Regime.SOLDIERS_2011.last_day) == (
        SOLDIER_PLACEMENT_2011.in_force,
        SOLDIER_PLACEMENT_2011.until,
    )
    assert OriginRegime.SOLDIER_PLACEMENT_2011.in_force == (
        SOLDIER_PLACEMENT_2011.in_force,
        SOLDIER_PLACEMENT_2011.until,
    )
    assert OriginRegime.VETERAN_PLACEMENT_2024.citation == VETERAN_PLACEMENT_2024.citation


def _statute_citations() -> list[tuple[str, Citation]]:
    found = []
    for name, rule in RULES.items():
        found += [(name, c) for c in rule.basis]
    for aid in (survivor_pension.FUNERAL_AID, living_allowance.FUNERAL_AID):
        found += [(aid.benefit, c) for c in aid.grants]
    return found


def test_every_rule_cites_a_bundled_text_with_its_day_in_force() -> None:
    titles = {d.title: d for s in (PLACEMENT, PENSIONS) for d in s.documents}
    wrong = [
        (name, str(c))
        for name, c in _statute_citations()
        if c.document in titles and c.effective != titles[c.document].in_force
    ]
    assert [] == wrong
    assert any(c.document in titles for _, c in _statute_citations())


# --- funeral aid (丧葬补助): one statement per rule ---------------------------------------------------


@pytest.mark.parametrize(
    ("aid", "died", "expected"),
    [
        (
            survivor_pension.FUNERAL_AID,
            D(2024, 9, 30),
            (6, "《军人抚恤优待条例》(2019)", "第十九条"),
        ),
        (
            survivor_pension.FUNERAL_AID,
            D(2024, 10, 1),
            (6, "《军人抚恤优待条例》(2024)", "第二十二条"),
        ),
        (
            disability_pension.FUNERAL_AID,
            D(2020, 10, 15),
            (12, "《军人抚恤优待条例》(2019)", "第二十八条"),
        ),
        (
            disability_pension.FUNERAL_AID,
            D(2024, 10, 1),
            (12, "《军人抚恤优待条例》(2024)", "第三十二条"),
        ),
        (
            living_allowance.FUNERAL_AID,
            D(2024, 10, 1),
            (6, "《军人抚恤优待条例》(2024)", "第六十二条第二款"),
        ),
    ],
)
def test_funeral_aid_months_and_article_by_the_day_of_death(
    aid: FuneralAid, died: dt.date, expected: tuple[int, str, str]
) -> None:
    citation = aid.citation(died)
    assert citation is not None
    assert expected == (aid.months, citation.document, citation.article)


def test_the_combat_allowance_has_no_funeral_aid_before_2024_10_01() -> None:
    aid = living_allowance.FUNERAL_AID
    assert (None, "combat_or_test_veteran") == (aid.citation(D(2024, 9, 30)), aid.component)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"months": 0}, "months"),
        ({"grants": ()}, "grants"),
        (
            {"grants": (PENSIONS_2024.article("第二十二条"), PENSIONS_2019.article("第十九条"))},
            "grants",
        ),
    ],
)
def test_a_funeral_aid_needs_months_and_dated_grants_oldest_first(
    fields: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "benefit": "survivor_pension",
        "months": 6,
        "grants": (PENSIONS_2024.article("第二十二条"),),
    }
    with pytest.raises(InvalidValue) as raised:
        FuneralAid(**{**values, **fields})
    assert field == raised.value.field


# --- the file is checked ----------------------------------------------------------------------------


def _file() -> dict[str, Any]:
    return {
        "schema": 1,
        "series": [{"key": "s", "name_zh": "系列", "name_en": "series"}],
        "document": [
            {
                "key": "a",
                "series": "s",
                "title": "《甲》",
                "name_zh": "甲",
                "name_en": "A",
                "in_force": D(2000, 1, 1),
                "in_force_article": "第九条",
                "source": "a.md",
            },
            {
                "key": "b",
                "series": "s",
                "title": "《乙》",
                "name_zh": "乙",
                "name_en": "B",
                "in_force": D(2010, 1, 1),
                "in_force_article": "第九条",
                "source": "b.md",
            },
        ],
        "pair": [
            {"topic": "t", "en": "x", "zh": "x", "articles": {"b": "第二条", "a": "第一条第二款"}},
        ],
    }


def test_a_well_formed_file_parses_and_orders_each_pair_by_date() -> None:
    parsed = Statutes.parse(_file())

    assert ["第一条第二款", "第二条"] == [c.article for c in parsed.pair("t").citations]
    assert D(2009, 12, 31) == parsed.document("a").until


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda f: f.update(schema=2), "schema"),
        (lambda f: f["document"][1].update(series="nope"), "document[1].series"),
        (lambda f: f["document"][1].update(key="a"), "document"),
        (lambda f: f["document"][0].pop("name_en"), "document[0].name_en"),
        (lambda f: f["document"][1].update(in_force="2010-01-01"), "document[1].in_force"),
        (lambda f: f["document"][1].update(in_force=D(2000, 1, 1)), "document[1].in_force"),
        (lambda f: f["pair"][0].update(articles={"a": "第一条"}), "pair[0].articles"),
        (
            lambda f: f["pair"][0].update(articles={"a": "第一条", "z": "第二条"}),
            "pair[0].articles",
        ),
        (lambda f: f["pair"][0]["articles"].update(b="Article 2"), "pair[0].articles.b"),
        (lambda f: f["pair"].append(dict(f["pair"][0])), "topic"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_field(change: Any, field: str) -> None:
    data = _file()
    change(data)

    with pytest.raises(InvalidValue) as raised:
        Statutes.parse(data, source="x.toml")

    assert raised.value.field.startswith("x.toml: ")
    assert field in raised.value.field


# --- against the texts, where they are at hand ---------------------------------------------------

_LAW_FILES = {
    "soldier-placement-2011": "退役士兵安置条例(2011-10-29).md",
    "veteran-placement-2024": "退役军人安置条例(2024-07-29).md",
    "pensions-2019": "军人抚恤优待条例(2019-03-02).md",
    "pensions-2024": "军人抚恤优待条例(2024-08-05).md",
}
_HEAD = re.compile(r"^(第[一二三四五六七八九十百零]+条)\s*(.*)$")
_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def _law_dir() -> Path | None:
    given = os.environ.get("VA_LAW_DIR")
    folder = Path(given) if given else Path(__file__).resolve().parents[2] / "shared" / "law"
    return folder if folder.is_dir() else None


def _articles(path: Path) -> dict[str, list[str]]:
    """Each article's paragraphs (款); numbered items stay in their paragraph."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        head = _HEAD.match(line)
        if head:
            current = found.setdefault(head.group(1), [head.group(2)])
        elif line.startswith("#"):
            current = None
        elif line and current is not None:
            if _ITEM.match(line):
                current[-1] += line
            else:
                current.append(line)
    return found


def _text_of(articles: dict[str, list[str]], cited: str) -> str:
    match = re.fullmatch(r"第(.+?)条(?:第(.+)款)?", cited)
    assert match is not None, cited
    numbers, paragraph = match.groups()
    parts = [articles[f"第{number}条"] for number in numbers.split("、")]
    if paragraph is None:
        return "".join("".join(p) for p in parts)
    index = "一二三四五六七八九十".index(paragraph)
    return "".join(p[index] for p in parts)


@pytest.mark.parametrize("topic", sorted(PAIRS))
def test_each_pair_is_found_in_both_texts(topic: str) -> None:
    folder = _law_dir()
    if folder is None:
        pytest.skip("the statute texts are not at hand (set VA_LAW_DIR)")
    row = statutes.pair(topic)
    for citation in row.citations:
        doc = statutes.document(citation.document)
        assert citation.article is not None
        text = _text_of(_articles(folder / _LAW_FILES[doc.key]), citation.article)
        for term in PAIRS[topic][2]:
            assert term in text, (topic, str(citation), term)


@pytest.mark.parametrize(
    "aid",
    [survivor_pension.FUNERAL_AID, disability_pension.FUNERAL_AID, living_allowance.FUNERAL_AID],
    ids=lambda aid: aid.benefit,
)
def test_each_funeral_aid_is_found_in_its_texts(aid: FuneralAid) -> None:
    folder = _law_dir()
    if folder is None:
        pytest.skip("the statute texts are not at hand (set VA_LAW_DIR)")
    for grant in aid.grants:
        doc = statutes.document(grant.document)
        assert grant.article is not None
        text = _text_of(_articles(folder / _LAW_FILES[doc.key]), grant.article)
        assert f"{aid.months}个月" in text, str(grant)
        assert "丧葬补助" in text, str(grant)
    if aid.since is not None:  # new in its text: no earlier text gives funeral aid for it
        for doc in (d for d in PENSIONS.documents if d.in_force < aid.since):
            articles = _articles(folder / _LAW_FILES[doc.key])
            assert [] == [
                number
                for number, paragraphs in articles.items()
                if "丧葬补助" in "".join(paragraphs) and "生活补助" in "".join(paragraphs)
            ]
