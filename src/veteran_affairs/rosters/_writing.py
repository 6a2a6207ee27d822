"""Cells of export rows shared by the kinds of roster (private engine of ``rosters``).

A single date is a ``datetime.date`` (a date cell in a workbook); a list of dates is text,
ISO dates joined with ``、`` — unless it has one entry, which is a date like any other;
identity numbers are text, in full or masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from veteran_affairs.identity import ResidentId
from veteran_affairs.rosters._casework_cells import TEXT_SEPARATOR
from veteran_affairs.rosters._cells import LIST_SEPARATOR

RowCell = str | dt.date | Decimal
"""A cell of an export row: text, a date, or an amount."""


def id_cell(rid: ResidentId, personal: bool) -> str:
    """An identity number in full (``personal``) or masked."""
    return rid.unmasked if personal else rid.masked


def ids_cell(rids: Iterable[ResidentId], personal: bool) -> str:
    """Identity numbers joined with ``、``, each in full or masked."""
    return LIST_SEPARATOR.join(id_cell(rid, personal) for rid in rids)


def dates_cell(days: Iterable[dt.date | None]) -> RowCell:
    """A list cell of dates: ``""`` for none, the date itself for one, else ISO dates joined
    with ``、`` (a ``None`` entry blank)."""
    listed = list(days)
    if not listed or all(day is None for day in listed):
        return ""
    if len(listed) == 1:
        (only,) = listed
        assert only is not None
        return only
    return LIST_SEPARATOR.join("" if day is None else day.isoformat() for day in listed)


def text_list_cell(entries: Iterable[str | None]) -> str:
    """A list cell of free text, one entry per line (:data:`TEXT_SEPARATOR`).

    A ``None`` entry among others is written ``-`` (which reads back as none): a blank line
    at either end would be lost when the cell is stripped.
    """
    listed = list(entries)
    if all(entry is None for entry in listed):
        return ""
    return TEXT_SEPARATOR.join("-" if entry is None else entry for entry in listed)
