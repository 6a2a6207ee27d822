"""``veteran-affairs divisions``: the bundled divisions as a five-level network (五级服务网络).

Units per level, township-level units by kind, counties and townships per city, and where the
data comes from. Each section is a function returning text, joined by :func:`divisions_report`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from veteran_affairs import divisions
from veteran_affairs.cli._common import count as _count
from veteran_affairs.cli._common import table as _table
from veteran_affairs.identity import DivisionLevel, TownshipKind
from veteran_affairs.models.network import Division

GUANGXI = "45"

# Figures reported by the seed article for Guangxi in 2020 (DOMAIN.md §1): centres and
# stations per level, region → village. Reported, never computed from the bundled data.
_SEED_YEAR = 2020
_SEED_PER_LEVEL = (1, 14, 111, 1_251, 16_247)
_SEED_TOTAL = 17_624

_LEVEL_UNITS = {
    DivisionLevel.PROVINCE: "自治区",
    DivisionLevel.CITY: "设区市",
    DivisionLevel.COUNTY: "县(市、区)",
    DivisionLevel.TOWNSHIP: "乡(镇)、街道",
    DivisionLevel.VILLAGE: "村(社区)",
}
_TOWNSHIP_BANDS = {
    TownshipKind.SUBDISTRICT: "001–099",
    TownshipKind.TOWN: "100–199",
    TownshipKind.TOWNSHIP: "200–399",
    TownshipKind.TOWNSHIP_LIKE: "400–599",
}
_TOWNSHIP_LABELS = {
    TownshipKind.SUBDISTRICT: "街道",
    TownshipKind.TOWN: "镇",
    TownshipKind.TOWNSHIP: "乡",
    TownshipKind.TOWNSHIP_LIKE: "类似乡级",
}


def _grouped(text: str) -> str:
    return _count(int(text)) if text.isdigit() else text


def _units(province: str, units: Sequence[Division] | None = None) -> list[Division]:
    """``units`` (a jurisdiction's tree), else the bundled units of ``province``."""
    return list(divisions.bundled(province=province) if units is None else units)


# --- report sections --------------------------------------------------------------------------


def level_table(province: str = GUANGXI, *, units: Sequence[Division] | None = None) -> str:
    """Units per level (行政层级) of one province in the bundled data, village level included.

    >>> print(level_table())
    Units per level in the bundled data (各级行政区划数), 广西壮族自治区 (45)
      level  层级  unit          English   units
      1      省级  自治区        province      1
      2      地级  设区市        city         14
      3      县级  县(市、区)    county      111
      4      乡级  乡(镇)、街道  township  1,284
      5      村级  村(社区)      village       –  not bundled
    """
    listed = _units(province, units)
    counts = Counter(d.level for d in listed)
    rows = []
    for level in DivisionLevel:
        bundled = counts.get(level, 0)
        shown = _count(bundled) if level is not DivisionLevel.VILLAGE else "–"
        note = "not bundled" if level is DivisionLevel.VILLAGE else ""
        rows.append(
            [str(int(level)), level.label_zh, _LEVEL_UNITS[level], level.name.lower(), shown, note]
        )
    title = (
        f"Units per level in the bundled data (各级行政区划数), "
        f"{listed[0].name if listed else divisions.name_of(province)} ({province})"
    )
    header = ["level", "层级", "unit", "English", "units", ""]
    return title + "\n" + _table(header, rows, right=frozenset({4}))


def township_kind_table(province: str = GUANGXI, *, units: Sequence[Division] | None = None) -> str:
    """Township-level units (乡级) of one province by kind, from the code's township band."""
    townships = [d for d in _units(province, units) if d.level is DivisionLevel.TOWNSHIP]
    kinds = Counter(d.code.township_kind for d in townships)
    rows = [
        [_TOWNSHIP_LABELS[kind], kind.value, _TOWNSHIP_BANDS[kind], _count(kinds.get(kind, 0))]
        for kind in TownshipKind
    ]
    unbanded = len(townships) - sum(kinds.get(kind, 0) for kind in TownshipKind)
    if unbanded:
        rows.append(["其他", "outside the bands", "600–999", _count(unbanded)])
    rows.append(["合计", "total", "", _count(len(townships))])
    title = "Township-level units by kind (乡级单位, by the code's township digits)"
    regular = len(townships) - kinds.get(TownshipKind.TOWNSHIP_LIKE, 0) - unbanded
    note = (
        f"  Without 类似乡级: {_count(regular)} 乡/镇/街道. 类似乡级 units (development zones,\n"
        "  farms) are outside the 应建尽建 denominator unless configured otherwise."
    )
    header = ["类别", "kind", "band", "units"]
    return title + "\n" + _table(header, rows, right=frozenset({3})) + "\n" + note


def city_table(province: str = GUANGXI, *, units: Sequence[Division] | None = None) -> str:
    """County-level and township-level units under each city (设区市) of one province."""
    units = _units(province, units)
    rows = []
    totals = Counter[DivisionLevel]()
    township_like = 0
    for city in (d for d in units if d.level is DivisionLevel.CITY):
        inside = [d for d in units if d is not city and city.code.contains(d.code)]
        counts = Counter(d.level for d in inside)
        like = sum(1 for d in inside if d.code.township_kind is TownshipKind.TOWNSHIP_LIKE)
        totals.update(counts)
        township_like += like
        rows.append(
            [
                city.code.short,
                city.name,
                _count(counts[DivisionLevel.COUNTY]),
                _count(counts[DivisionLevel.TOWNSHIP]),
                _count(like),
            ]
        )
    rows.append(
        [
            "合计",
            f"total ({len(rows)} cities)",
            _count(totals[DivisionLevel.COUNTY]),
            _count(totals[DivisionLevel.TOWNSHIP]),
            _count(township_like),
        ]
    )
    title = "Per city (设区市): county-level (县级) and township-level (乡级) units"
    header = ["code", "city", "counties", "townships", "of which 类似乡级"]
    return title + "\n" + _table(header, rows, right=frozenset({2, 3, 4}))


def seed_network_note() -> str:
    """The village-level gap and the seed article's reported network size (not computed)."""
    parts = " + ".join(_count(n) for n in _SEED_PER_LEVEL)
    return "\n".join(
        [
            "Village level (村级: 村委会 / 居委会): not bundled.",
            "  Village-level units come from user data (or a synthetic layer labelled as such).",
            f"Seed article figure, as reported (not computed), Guangxi {_SEED_YEAR}:",
            f"  {_count(_SEED_TOTAL)} service centres and stations (退役军人服务中心(站)) = {parts}",
            "  (region + cities + counties + townships + villages).",
        ]
    )


def _text(mapping: Mapping[str, object], *path: str) -> str:
    node: object = mapping
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return "?"
        node = node[key]
    return str(node)


def source_summary() -> str:
    """Where the bundled divisions come from, per the profiles' manifests (数据来源)."""
    meta = divisions.source()

    def about(key: str) -> str:
        return _text(meta, "source", key)

    packaged = f"{about('packaged_by')} ({about('packaged_license')})"
    lines = [
        "Data source (数据来源)",
        f"  {about('publisher')}",
        f"  {about('title')}",
        f"  edition {about('edition')}, cut-off {about('cutoff')}",
        f"  packaged by {packaged}, commit {about('packaged_commit')}",
    ]
    files = meta.get("files")
    if isinstance(files, Mapping):
        rows = [
            [
                str(name),
                _grouped(_text(meta, "files", name, "rows")),
                _text(meta, "files", name, "sha256")[:16] + "…",
            ]
            for name in files
        ]
        lines.append(_table(["file", "rows", "sha256"], rows, right=frozenset({1})))
    return "\n".join(lines)


def divisions_report(province: str = GUANGXI, *, units: Sequence[Division] | None = None) -> str:
    """The whole ``divisions`` output: every section above, in order.

    ``units`` are the jurisdiction's (its tree), else the bundled units of ``province``; the
    seed article's figures are Guangxi's, so they are shown for Guangxi only.
    """
    sections = [
        "The five-level network (五级服务网络) over the bundled divisions",
        level_table(province, units=units),
        township_kind_table(province, units=units),
        city_table(province, units=units),
        *([seed_network_note()] if province == GUANGXI else []),
        source_summary(),
    ]
    return "\n\n".join(sections) + "\n"
