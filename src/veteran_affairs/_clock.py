"""Today, as validators need it: is a date in the past (or today)?

Facts such as birth, enlistment or a payment cannot lie in the future. ``date.today()`` costs
more than the rest of a typical check, and dates only move forward, so the latest date seen
to be today is remembered and earlier dates need no call.
"""

from __future__ import annotations

import datetime as dt

_known_past = dt.date(2000, 1, 1)


def not_in_future(day: dt.date) -> bool:
    """Whether ``day`` is today or earlier (local date of this machine)."""
    global _known_past
    if day <= _known_past:
        return True
    today = dt.date.today()
    _known_past = max(_known_past, today)
    return day <= today
