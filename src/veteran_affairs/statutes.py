"""The statutes the rules cite (法规): their texts, the dates they are in force, and concordance.

One home for three legal facts that many modules use:

* **The texts and their dates.** A :class:`Document` is one text as the library cites it —
  《退役士兵安置条例》(2011), 《退役军人安置条例》(2024), 《军人抚恤优待条例》(2019) and (2024) —
  with the day it came into force and the article that says so. A :class:`Series` is a line of
  texts on one subject, each replacing the one before on its first day: :data:`PLACEMENT`
  (2011-11-01, then 2024-09-01, 《退役军人安置条例》 第九十三条) and :data:`PENSIONS` (2019-03-02,
  then 2024-10-01, 《军人抚恤优待条例》(2024) 第六十四条).
* **Citations.** :meth:`Document.article` writes a :class:`~veteran_affairs.parameters.Citation`
  with the document's title and in-force date, so no module spells either out again.
* **The concordance (新旧条文对照).** A :class:`Pair` names the articles of successive texts that
  state the same rule (the 6-month placement deadline is 2011 第三十五条 and 2024 第三十一条第二款).
  :meth:`Pair.cite` gives the article of the text a date falls under; :func:`counterparts`
  goes from an article of one text to its match in the other.

All of it is data: ``veteran_affairs/data/statutes.toml`` lists every document, its dates and
provenance, and every pair, each read in both bundled texts (the shared ``law/`` folder). A
provision found in one text only has no pair.

Which text a date falls under: :meth:`Series.in_force` is the text in force on the day (``None``
before the first); the rules apply the first bundled text to earlier dates too (each rule's
docstring says so), which is what :meth:`Series.applied` and :meth:`Pair.cite` return.

>>> import datetime as dt
>>> PLACEMENT.in_force(dt.date(2024, 8, 31)).title, PLACEMENT.in_force(dt.date(2024, 9, 1)).title
('《退役士兵安置条例》(2011)', '《退役军人安置条例》(2024)')
>>> print(pair("placement.arranged_deadline").cite(dt.date(2024, 9, 1)))
《退役军人安置条例》(2024) 第三十一条第二款 (in force 2024-09-01)
>>> [str(c) for c in counterparts(SOLDIER_PLACEMENT_2011.article("第三十五条"))]
['《退役军人安置条例》(2024) 第三十一条第二款 (in force 2024-09-01)']
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any

import attrs

from veteran_affairs.errors import InvalidValue, VeteranAffairsError
from veteran_affairs.parameters import Citation

__all__ = [
    "PENSIONS",
    "PENSIONS_2019",
    "PENSIONS_2024",
    "PLACEMENT",
    "SOLDIER_PLACEMENT_2011",
    "VETERAN_PLACEMENT_2024",
    "Document",
    "FuneralAid",
    "Pair",
    "Series",
    "Statutes",
    "UnknownStatute",
    "counterparts",
    "document",
    "pair",
    "pairs",
    "pairs_of",
    "series",
]


def __dir__() -> list[str]:
    return __all__


_DATA_FILE = "statutes.toml"
_SCHEMA = 1
_ARTICLE = re.compile(
    r"第[一二三四五六七八九十百零]+(、[一二三四五六七八九十百零]+)*条(第[一二三四五六七八九十]+款)?"
)


class UnknownStatute(VeteranAffairsError, LookupError):
    """A document, series or concordance topic the statutes file does not hold (未收录的法规).

    Attributes:
        kind: what was looked up (``"document"``, ``"series"``, ``"topic"``).
        name: the name asked for.
        known: the names that exist.
    """

    def __init__(self, kind: str, name: str, known: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.name = name
        self.known = known
        listed = f"; known: {', '.join(known)}" if known else ""
        super().__init__(f"no {kind} {name!r} in the bundled statutes (未收录){listed}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.kind, self.name, self.known))


# --- values ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Document:
    """One statute text as the library cites it (法规文本).

    Attributes:
        key: its short name in the data file (``"veteran-placement-2024"``).
        series: the key of its :class:`Series`.
        title: the ``Citation.document`` string (``"《退役军人安置条例》(2024)"``).
        name_zh: the name without year; name_en: an English name.
        promulgated: the day it was promulgated or revised (``None``: not known).
        in_force: the first day it applies; ``in_force_article`` says so.
        until: the last day in force (the day before the next text of its series), or
            ``None`` while in force.
        source: the bundled copy the articles were checked against.
        note: provenance remarks.
    """

    key: str
    series: str
    title: str
    name_zh: str
    name_en: str
    promulgated: dt.date | None
    in_force: dt.date
    in_force_article: str
    until: dt.date | None
    source: str
    note: str | None = None

    def article(self, article: str, *, note: str | None = None) -> Citation:
        """A citation of ``article`` of this text, with its in-force date.

        >>> print(PENSIONS_2024.article("第二十二条"))
        《军人抚恤优待条例》(2024) 第二十二条 (in force 2024-10-01)
        """
        return Citation(document=self.title, article=article, effective=self.in_force, note=note)

    @property
    def citation(self) -> Citation:
        """The article that puts this text in force."""
        return self.article(self.in_force_article)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the text's period in force.

        >>> SOLDIER_PLACEMENT_2011.in_force_on(dt.date(2024, 8, 31))
        True
        >>> SOLDIER_PLACEMENT_2011.in_force_on(dt.date(2024, 9, 1))
        False
        """
        return self.in_force <= day and (self.until is None or day <= self.until)


@attrs.frozen(kw_only=True)
class Series:
    """Successive texts on one subject, each replacing the one before (同一事项的历次文本).

    Attributes:
        key: ``"placement"`` or ``"pensions"``.
        name_zh, name_en: what the series is.
        documents: the texts, oldest first.
    """

    key: str
    name_zh: str
    name_en: str
    documents: tuple[Document, ...]

    def in_force(self, on: dt.date) -> Document | None:
        """The text in force on ``on``, or ``None`` before the first bundled one.

        >>> PENSIONS.in_force(dt.date(2019, 3, 1)) is None
        True
        >>> PENSIONS.in_force(dt.date(2024, 10, 1)).key
        'pensions-2024'
        """
        found = None
        for doc in self.documents:
            if doc.in_force <= on:
                found = doc
        return found

    def applied(self, on: dt.date) -> Document:
        """The text the rules apply on ``on``: the one in force, or the first for earlier days.

        >>> PENSIONS.applied(dt.date(2018, 1, 1)).key
        'pensions-2019'
        """
        return self.in_force(on) or self.documents[0]


@attrs.frozen(kw_only=True)
class Pair:
    """One row of the concordance: the articles of successive texts that state one rule.

    Attributes:
        topic: its key (``"placement.arranged_deadline"``).
        series: the key of the series whose texts it pairs.
        citations: the article in each text, oldest text first.
        en, zh: what the articles say, in a line.
        note: which paragraph, what changed.
    """

    topic: str
    series: str
    citations: tuple[Citation, ...]
    en: str
    zh: str
    note: str | None = None

    @property
    def old(self) -> Citation:
        """The article of the oldest text."""
        return self.citations[0]

    @property
    def new(self) -> Citation:
        """The article of the newest text."""
        return self.citations[-1]

    def cite(self, on: dt.date) -> Citation:
        """The article of the text in force on ``on`` (the oldest text for earlier days).

        >>> report = pair("placement.report")
        >>> report.cite(dt.date(2024, 8, 31)).article, report.cite(dt.date(2024, 9, 1)).article
        ('第十三条', '第五十一条')
        """
        chosen = self.citations[0]
        for citation in self.citations:
            assert citation.effective is not None  # every pair citation has its text's date
            if citation.effective <= on:
                chosen = citation
        return chosen

    def article_in(self, document: Document) -> Citation:
        """The article of ``document`` in this pair.

        Raises:
            UnknownStatute: the pair has no article of that document.
        """
        for citation in self.citations:
            if citation.document == document.title:
                return citation
        raise UnknownStatute("document", document.key, tuple(c.document for c in self.citations))


@attrs.frozen(kw_only=True)
class FuneralAid:
    """Months of a periodic payment paid on after the recipient's death (丧葬补助).

    A rule module states its own (``survivor_pension.FUNERAL_AID`` …); the rule names the
    amount in its reasons and the payment schedule
    (:func:`~veteran_affairs.cycles.payments.monthly_schedule`) pays it, both from this value.

    Attributes:
        benefit: the rule whose payment continues (``"survivor_pension"``).
        months: how many months of it are paid.
        grants: the article granting it in each text, oldest text first.
        since: the first day of death it applies to (``None``: every day the rule decides,
            the first text applying to earlier days as the rule says).
        component: only this component of the decision continues (``None``: the monthly payment).

    >>> aid = FuneralAid(benefit="survivor_pension", months=6,
    ...                  grants=pair("pensions.survivor_funeral_aid").citations)
    >>> aid.citation(dt.date(2024, 9, 30)).article, aid.citation(dt.date(2024, 10, 1)).article
    ('第十九条', '第二十二条')
    """

    benefit: str
    months: int = attrs.field()
    grants: tuple[Citation, ...] = attrs.field()
    since: dt.date | None = None
    component: str | None = None

    @months.validator
    def _check_months(self, _: object, value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InvalidValue("months", value, "a whole number of months, at least 1", "月数无效")

    @grants.validator
    def _check_grants(self, _: object, value: tuple[Citation, ...]) -> None:
        dates = [c.effective for c in value]
        if not value or None in dates or dates != sorted(d for d in dates if d is not None):
            raise InvalidValue(
                "grants",
                value,
                "one dated citation per text, oldest first",
                "须按施行日期列出依据条文",
            )

    def citation(self, died: dt.date) -> Citation | None:
        """The article granting the aid for a death on ``died``, or ``None`` if none does."""
        if self.since is not None and died < self.since:
            return None
        chosen = self.grants[0]
        for grant in self.grants:
            assert grant.effective is not None  # checked on construction
            if grant.effective <= died:
                chosen = grant
        return chosen


# --- the file ----------------------------------------------------------------------------------


def _text(table: Mapping[str, Any], name: str, where: str, *, optional: bool = False) -> Any:
    value = table.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidValue(f"{where}.{name}", value, "a non-empty text is required", "须为文本")
    return value


def _date(table: Mapping[str, Any], name: str, where: str, *, optional: bool = False) -> Any:
    value = table.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValue(f"{where}.{name}", value, "a TOML date is required", "须为日期")
    return value


def _article(value: object, where: str) -> str:
    if not isinstance(value, str) or not _ARTICLE.fullmatch(value):
        raise InvalidValue(
            where,
            value,
            "an article as cited, e.g. 第三十一条第二款",
            "条款格式应如「第三十一条第二款」",
        )
    return value


def _unique(rows: list[Any], field: str, where: str) -> None:
    seen: set[str] = set()
    for index, row in enumerate(rows):
        key = _text(row, field, f"{where}[{index}]")
        if key in seen:
            raise InvalidValue(f"{where}[{index}].{field}", key, "appears twice", "重复")
        seen.add(key)


def _series(raw: Mapping[str, Any], rows: list[Any], source: str) -> list[Document]:
    """The documents of one series, oldest first, each ending the day before the next."""
    key = raw["key"]
    members = [(f"{source}: document[{i}]", row) for i, row in enumerate(rows)]
    members = [(where, row) for where, row in members if _text(row, "series", where) == key]
    members.sort(key=lambda item: _date(item[1], "in_force", item[0]))
    built: list[Document] = []
    for position, (where, row) in enumerate(members):
        later = members[position + 1] if position + 1 < len(members) else None
        if later is not None and later[1]["in_force"] == row["in_force"]:
            raise InvalidValue(
                f"{later[0]}.in_force",
                row["in_force"],
                "two texts of a series start on one day",
                "同一系列施行日期重复",
            )
        built.append(
            Document(
                key=row["key"],
                series=key,
                title=row["title"],
                name_zh=_text(row, "name_zh", where),
                name_en=_text(row, "name_en", where),
                promulgated=_date(row, "promulgated", where, optional=True),
                in_force=row["in_force"],
                in_force_article=_article(row.get("in_force_article"), f"{where}.in_force_article"),
                until=None if later is None else later[1]["in_force"] - dt.timedelta(days=1),
                source=_text(row, "source", where),
                note=_text(row, "note", where, optional=True),
            )
        )
    if not built:
        raise InvalidValue(f"{source}: series {key}", key, "no document", "系列无文本")
    return built


def _pair(raw: Mapping[str, Any], documents: Mapping[str, Document], where: str) -> Pair:
    articles = raw.get("articles")
    if not isinstance(articles, Mapping) or len(articles) < 2:
        raise InvalidValue(
            f"{where}.articles",
            articles,
            "the article in at least two texts",
            "须列出两个以上文本的条文",
        )
    cited: list[Citation] = []
    owner: str | None = None
    for key, article in articles.items():
        text = documents.get(key)
        if text is None:
            raise InvalidValue(f"{where}.articles", key, "not a document of the file", "文本不存在")
        if owner not in (None, text.series):
            raise InvalidValue(f"{where}.articles", key, f"not of series {owner!r}", "须属同一系列")
        owner = text.series
        cited.append(text.article(_article(article, f"{where}.articles.{key}")))
    assert owner is not None
    return Pair(
        topic=raw["topic"],
        series=owner,
        citations=tuple(sorted(cited, key=lambda c: c.effective or dt.date.min)),
        en=_text(raw, "en", where),
        zh=_text(raw, "zh", where),
        note=_text(raw, "note", where, optional=True),
    )


@attrs.frozen
class Statutes:
    """Documents, series and concordance pairs read from one statutes file (法规数据).

    The bundled file is read once at import; the module-level functions (:func:`document`,
    :func:`pair` …) look it up. :meth:`parse` checks another file the same way.
    """

    documents: Mapping[str, Document]
    series: Mapping[str, Series]
    pairs: Mapping[str, Pair]
    _by_article: Mapping[tuple[str, str], tuple[Pair, ...]]

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, source: str = _DATA_FILE) -> Statutes:
        """Check and build a statutes file's content (as :mod:`tomllib` reads it).

        Raises:
            InvalidValue: a table or field is missing or malformed, a key repeats, a pair
                names a document outside its series or an ill-formed article; the error names
                the field (``statutes.toml: pair[3].articles.…``).
        """
        if data.get("schema") != _SCHEMA:
            raise InvalidValue(f"{source}: schema", data.get("schema"), f"expected {_SCHEMA}")
        raw_series = list(data.get("series", ()))
        raw_documents = list(data.get("document", ()))
        raw_pairs = list(data.get("pair", ()))
        _unique(raw_series, "key", f"{source}: series")
        _unique(raw_documents, "key", f"{source}: document")
        _unique(raw_documents, "title", f"{source}: document")
        _unique(raw_pairs, "topic", f"{source}: pair")
        known = {row["key"] for row in raw_series}
        for index, row in enumerate(raw_documents):
            where = f"{source}: document[{index}]"
            if _text(row, "series", where) not in known:
                raise InvalidValue(f"{where}.series", row["series"], "no such series", "系列不存在")

        documents: dict[str, Document] = {}
        series: dict[str, Series] = {}
        for index, raw in enumerate(raw_series):
            where = f"{source}: series[{index}]"
            texts = _series(raw, raw_documents, source)
            documents.update((text.key, text) for text in texts)
            series[raw["key"]] = Series(
                key=raw["key"],
                name_zh=_text(raw, "name_zh", where),
                name_en=_text(raw, "name_en", where),
                documents=tuple(texts),
            )
        pairs: dict[str, Pair] = {}
        by_article: dict[tuple[str, str], list[Pair]] = {}
        for index, raw in enumerate(raw_pairs):
            row = pairs[raw["topic"]] = _pair(raw, documents, f"{source}: pair[{index}]")
            for citation in row.citations:
                assert citation.article is not None
                by_article.setdefault((citation.document, citation.article), []).append(row)
        return cls(
            MappingProxyType(documents),
            MappingProxyType(series),
            MappingProxyType(pairs),
            MappingProxyType({key: tuple(rows) for key, rows in by_article.items()}),
        )

    def document(self, name: str) -> Document:
        """A document by key (``"pensions-2024"``) or title (``"《军人抚恤优待条例》(2024)"``)."""
        found = self.documents.get(name)
        if found is None:
            found = next((d for d in self.documents.values() if d.title == name), None)
        if found is None:
            raise UnknownStatute("document", name, tuple(self.documents))
        return found

    def pair(self, topic: str) -> Pair:
        """The concordance pair of ``topic``."""
        found = self.pairs.get(topic)
        if found is None:
            raise UnknownStatute("topic", topic, tuple(self.pairs))
        return found

    def pairs_of(self, citation: Citation) -> tuple[Pair, ...]:
        """Every pair holding ``citation``'s article of its document (none: an empty tuple)."""
        if citation.article is None:
            return ()
        return self._by_article.get((citation.document, citation.article), ())

    def counterparts(self, citation: Citation) -> tuple[Citation, ...]:
        """The matching articles of the other texts, through every pair holding ``citation``."""
        found: dict[Citation, None] = {}
        for row in self.pairs_of(citation):
            for other in row.citations:
                if other.document != citation.document:
                    found[other] = None
        return tuple(found)


def _bundled() -> Statutes:
    raw = (resources.files("veteran_affairs") / "data" / _DATA_FILE).read_text(encoding="utf-8")
    return Statutes.parse(tomllib.loads(raw))


_STATUTES = _bundled()


def document(name: str) -> Document:
    """A bundled document by key or title.

    >>> document("《退役军人安置条例》(2024)").in_force
    datetime.date(2024, 9, 1)

    Raises:
        UnknownStatute: no such document.
    """
    return _STATUTES.document(name)


def series(key: str) -> Series:
    """A bundled series (``"placement"``, ``"pensions"``).

    Raises:
        UnknownStatute: no such series.
    """
    found = _STATUTES.series.get(key)
    if found is None:
        raise UnknownStatute("series", key, tuple(_STATUTES.series))
    return found


def pair(topic: str) -> Pair:
    """The bundled concordance pair of ``topic`` (``"placement.report"``).

    Raises:
        UnknownStatute: no such topic.
    """
    return _STATUTES.pair(topic)


def pairs(series_key: str | None = None) -> tuple[Pair, ...]:
    """Every bundled pair, in file order, or those of one series."""
    return tuple(p for p in _STATUTES.pairs.values() if series_key in (None, p.series))


def pairs_of(citation: Citation) -> tuple[Pair, ...]:
    """The bundled pairs holding ``citation`` (its document and article exactly as cited).

    >>> [p.topic for p in pairs_of(VETERAN_PLACEMENT_2024.article("第五十一条"))]
    ['placement.report', 'placement.report_or_forfeit']
    """
    return _STATUTES.pairs_of(citation)


def counterparts(citation: Citation) -> tuple[Citation, ...]:
    """The articles of the other bundled texts that match ``citation`` (none: empty).

    The match is on the document title and the article exactly as cited (``第三十五条`` and
    ``第三十五条第二款`` are different articles); one article may match several.
    """
    return _STATUTES.counterparts(citation)


PLACEMENT = series("placement")
"""《退役士兵安置条例》(2011) from 2011-11-01, 《退役军人安置条例》(2024) from 2024-09-01."""
PENSIONS = series("pensions")
"""《军人抚恤优待条例》: the 2019 text from 2019-03-02, the 2024 text from 2024-10-01."""
SOLDIER_PLACEMENT_2011 = document("soldier-placement-2011")
"""《退役士兵安置条例》(2011), in force 2011-11-01 to 2024-08-31."""
VETERAN_PLACEMENT_2024 = document("veteran-placement-2024")
"""《退役军人安置条例》(2024), in force from 2024-09-01 (第九十三条)."""
PENSIONS_2019 = document("pensions-2019")
"""《军人抚恤优待条例》(2019), cited from 2019-03-02 to 2024-09-30."""
PENSIONS_2024 = document("pensions-2024")
"""《军人抚恤优待条例》(2024), in force from 2024-10-01 (第六十四条)."""
