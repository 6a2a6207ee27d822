"""A report in a notebook (HTML) keeps the hierarchy visible: names indented by depth."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from veteran_affairs.hierarchy import DivisionTree, Report, ServiceNetwork


class NameCells(HTMLParser):
    """The name column of a rendered report: each name with its cell's ``style``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._column = -1
        self._style: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._column = -1
        elif tag == "td":
            self._column += 1
            self._style = dict(attrs).get("style") if self._column == 1 else None

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self.rows.append((data, self._style))
            self._style = None


def name_cells(report: Report) -> dict[str, str]:
    parser = NameCells()
    parser.feed(report._repr_html_())
    return dict(parser.rows)


def indent(style: str) -> float:
    found = re.search(r"padding-left:([0-9.]+)em", style)
    assert found is not None, style
    return float(found.group(1))


@pytest.fixture(scope="module")
def guilin() -> Report:
    """Station coverage of 桂林市 (4503): the city, its counties, their townships."""
    return ServiceNetwork(DivisionTree.bundled("45").restrict("450300"), []).coverage()


def test_a_county_is_indented_under_its_city_and_a_township_under_its_county(
    guilin: Report,
) -> None:
    cells = name_cells(guilin)

    assert indent(cells["桂林市"]) < indent(cells["临桂区"]) < indent(cells["临桂镇"])
    assert "text-align:left;padding-left:0.5em" == cells["桂林市"]
    assert "text-align:left;padding-left:2em" == cells["临桂区"]
    assert '<td style="text-align:left;padding-left:2em">临桂区</td>' in guilin._repr_html_()


def test_every_name_is_indented_by_its_depth_without_leading_spaces(guilin: Report) -> None:
    cells = name_cells(guilin)
    shown = list(guilin.rows)[: len(cells)]

    assert [r.name for r in shown] == list(cells)
    assert [0.5 + 1.5 * r.depth for r in shown] == [indent(style) for style in cells.values()]


def test_a_subtree_starts_again_at_no_indent(guilin: Report) -> None:
    cells = name_cells(guilin.subtree("450312"))

    assert "text-align:left;padding-left:0.5em" == cells["临桂区"]
    assert 2.0 == indent(cells["临桂镇"])


def test_only_the_name_column_is_aligned_left(guilin: Report) -> None:
    html = guilin._repr_html_()

    assert '<th style="text-align:left">名称 name</th>' in html
    assert 1 == html.count("<th style=")
    assert html.count("<td style=") == html.count("<tr>") - 1  # one per body row
