"""Laws of the statutes and their concordance (veteran_affairs.statutes), over generated days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs import statutes
from veteran_affairs.casework.discharge import Regime, regime_for
from veteran_affairs.casework.legacy import OriginRegime, soldier_placement_regime
from veteran_affairs.rules import disability_pension, living_allowance, survivor_pension
from veteran_affairs.statutes import PENSIONS, PLACEMENT, Pair, Series

days = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
all_series = st.sampled_from((PLACEMENT, PENSIONS))
all_pairs = st.sampled_from(statutes.pairs())
funeral_aids = st.sampled_from(
    (survivor_pension.FUNERAL_AID, disability_pension.FUNERAL_AID, living_allowance.FUNERAL_AID)
)


def _position(series: Series, day: dt.date) -> int:
    text = series.in_force(day)
    return -1 if text is None else series.documents.index(text)


@given(all_series, days, days)
def test_the_text_in_force_never_goes_back_in_time(
    series: Series, first: dt.date, second: dt.date
) -> None:
    early, late = sorted((first, second))
    assert _position(series, early) <= _position(series, late)


@given(all_series, days)
def test_exactly_the_text_in_force_covers_the_day(series: Series, day: dt.date) -> None:
    covering = [d for d in series.documents if d.in_force_on(day)]
    text = series.in_force(day)
    assert ([] if text is None else [text]) == covering
    assert series.applied(day) == (text or series.documents[0])


@given(all_pairs, days)
def test_a_pair_cites_the_text_the_day_falls_under(row: Pair, day: dt.date) -> None:
    cited = row.cite(day)
    text = statutes.series(row.series).applied(day)
    assert (text.title, text.in_force) == (cited.document, cited.effective)
    assert cited in row.citations


@given(all_pairs)
def test_every_citation_of_a_pair_carries_its_text_and_day_in_force(row: Pair) -> None:
    texts = statutes.series(row.series).documents
    for citation in row.citations:
        text = statutes.document(citation.document)
        assert text in texts
        assert text.in_force == citation.effective
    assert len({c.document for c in row.citations}) == len(row.citations) >= 2
    assert list(row.citations) == sorted(row.citations, key=lambda c: c.effective or dt.date.min)


@given(all_pairs, st.data())
def test_article_to_pair_to_article_comes_back(row: Pair, data: st.DataObject) -> None:
    citation = data.draw(st.sampled_from(row.citations))
    assert row in statutes.pairs_of(citation)
    assert all(citation in p.citations for p in statutes.pairs_of(citation))
    for other in statutes.counterparts(citation):
        assert citation in statutes.counterparts(other)
    assert set(row.citations) - {citation} <= set(statutes.counterparts(citation))


@given(days)
def test_both_casework_regimes_follow_the_placement_text_in_force(day: dt.date) -> None:
    text = PLACEMENT.in_force(day)
    key = None if text is None else text.key
    assert {
        None: (Regime.BEFORE_2011, OriginRegime.BEFORE_2011),
        "soldier-placement-2011": (Regime.SOLDIERS_2011, OriginRegime.SOLDIER_PLACEMENT_2011),
        "veteran-placement-2024": (Regime.VETERANS_2024, OriginRegime.VETERAN_PLACEMENT_2024),
    }[key] == (regime_for(day), soldier_placement_regime(day))


@given(funeral_aids, days)
def test_funeral_aid_is_granted_by_the_text_of_the_day_of_death(
    aid: statutes.FuneralAid, died: dt.date
) -> None:
    citation = aid.citation(died)
    if aid.since is not None and died < aid.since:
        assert citation is None
    else:
        assert citation is not None
        assert statutes.document(citation.document) == PENSIONS.applied(died)
