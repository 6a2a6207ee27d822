"""The one-off payment counts service as dateutil's ``relativedelta`` would, on every date."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from veteran_affairs.rules.one_off_retirement_payment import _calendar_span

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates, dates)
@example(dt.date(2020, 8, 31), dt.date(2021, 2, 28))  # from the 31st to a shorter month's end
@example(dt.date(2020, 2, 29), dt.date(2021, 2, 28))  # from a leap day
@example(dt.date(2020, 1, 31), dt.date(2020, 3, 1))
@example(dt.date(2021, 3, 2), dt.date(2018, 9, 1))  # the end before the start
def test_the_span_is_the_relativedelta_of_the_dates(start: dt.date, end: dt.date) -> None:
    span = relativedelta(end, start)

    assert (span.years, span.months, span.days) == _calendar_span(start, end)
