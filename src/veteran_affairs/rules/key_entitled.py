"""重点优抚对象 — whether a person is a key entitled person on a date.

The key entitled persons are those who draw periodic payments: disabled service members
(残疾抚恤金, 《军人抚恤优待条例》(2024) 第二十七条), the three survivor groups (定期抚恤金,
第十九条) and the groups with periodic living allowances (定期生活补助, 第六十二条: veterans who took
part in combat or — 第六十一条 — in tests, those who came home ill, rural former soldiers aged
60 and over, demobilised servicemen in the countryside, and elderly children of martyrs).

This rule classifies from the recorded statuses (``EntitlementStatus``): a person is key
entitled on a date when a status of one of those categories is held on it, the person is
alive, and no sanction has cancelled their entitlement (第五十九条: a death sentence, life
imprisonment or expulsion from the army). A suspension (prison term, deprivation of political
rights, being wanted) stops payments but does not end the status. Whether each payment is due
is decided by the payment rules themselves.
"""

from __future__ import annotations

from veteran_affairs.models import Survivor, Veteran
from veteran_affairs.rules._decision import Decision
from veteran_affairs.rules._engine import (
    SUSPENSION_2019,
    SUSPENSION_2024,
    Evaluation,
    Rule,
    sanction_applies,
)
from veteran_affairs.statutes import PENSIONS_2024, pair

__all__ = ["RULE", "decide"]

_REGULATION_2024 = PENSIONS_2024.in_force
ART_2_2019, ART_2_2024 = pair("pensions.definition").citations
BASIS = (
    ART_2_2024,
    PENSIONS_2024.article("第十九条"),
    PENSIONS_2024.article("第二十七条"),
    PENSIONS_2024.article("第六十一、六十二条"),
)
"""The 2024 text: who is entitled (第二条), survivors (第十九条), the disabled (第二十七条) and the
living allowances (第六十一、六十二条)."""


def decide(subject: Veteran | Survivor, evaluation: Evaluation) -> Decision:
    """Whether ``subject`` is a key entitled person (重点优抚对象) on the evaluation date."""
    on = evaluation.on
    held = sorted((c for c in subject.categories_on(on) if c.key_entitled), key=lambda c: c.value)
    names_en = ", ".join(c.value for c in held) or "none"
    names_zh = "、".join(c.label_zh for c in held) or "无"
    evaluation.check(
        "key_category",
        bool(held),
        f"holds a key entitled category on the date: {names_en}",
        f"当日持有重点优抚对象身份：{names_zh}",
        BASIS[0] if on >= _REGULATION_2024 else ART_2_2019,
    )
    alive = subject.person.died_on is None or on <= subject.person.died_on
    evaluation.check("person.alive", alive, "alive on the date", "在世")
    citation = SUSPENSION_2024 if on >= _REGULATION_2024 else SUSPENSION_2019
    cancelled = [s for s in subject.sanctions if s.kind.cancels and sanction_applies(s, on)]
    evaluation.check(
        "sanction.cancelled",
        not cancelled,
        "entitlement not cancelled by a sanction"
        if not cancelled
        else f"entitlement cancelled: {cancelled[0].kind.value}",
        "未被取消抚恤优待资格"
        if not cancelled
        else f"{cancelled[0].kind.label_zh}，取消抚恤优待资格",
        citation,
    )
    return evaluation.decide()


RULE = Rule(
    name="key_entitled",
    label_zh="重点优抚对象",
    label_en="key entitled person",
    subjects=(Veteran, Survivor),
    basis=BASIS,
    decide=decide,
)
