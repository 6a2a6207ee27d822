"""光荣牌 — whether a household is entitled to a glory plaque on a date.

The law, in plain words:

* Local governments hang a glory plaque (光荣牌) on the homes of the families of serving
  members (现役军人), martyrs (烈士), members who died on duty (因公牺牲军人) or of illness (病故军人),
  and veterans (退役军人). The national measure is 国办发〔2018〕72号 (State Council General Office,
  2018-07-29; its text is not among the bundled law texts, its content is summarised in
  DOMAIN.md §5); the laws since repeat the duty: 《退役军人保障法》(2020) 第五十九条 for veterans'
  families (in force 2021-01-01), 《军人地位和权益保障法》(2021) 第三十一条 for the families of
  serving members and of the three groups of the dead (in force 2021-08-01), and
  《烈士褒扬条例》(2024) 第二十四条 for martyrs' families (in force 2025-01-01; the 2019 text has no
  plaque article). Each member's reason cites the most specific text in force on the date.
* The plaque goes to the household — the people of one hukou booklet (户口簿) — and there is
  ONE plaque however many members qualify (72号). The decision lists every member who
  qualifies and why, with identity numbers masked.
* A member qualifies once the basis has arisen (``PlaqueMember.since`` on or before the date).
* Nothing is decided before 2018-07-29, the date of 72号: a date before it is not eligible
  under this measure, the day itself is.
* A member who died before 2018-07-29 gives no new plaque. A household whose plaque is
  already hanging keeps it (the reason ``plaque.kept`` says so). See the choice below for
  which bases this applies to.
* A plaque is hung proactively (主动悬挂) when a qualifying member's family holds the
  certificate (``certificate_holder``: 烈士证明书, 退役证 …) and on application (依申请)
  otherwise (``PlaqueHousehold.applied_on`` on or before the date). A household that
  qualifies but neither holds a certificate nor has applied is **not eligible** on the date;
  the reason ``way`` says that it may apply. Where no qualifying member is known to hold a
  certificate and one of them is not known either way (``certificate_holder is None``), and
  the household has not applied, the decision is **undetermined** and names
  ``members.certificate_holder`` as missing. A plaque already hanging needs neither.
* The county-level government of the household's hukou hangs it: the reason
  ``hukou.county`` names ``household.hukou_division`` truncated to county level (where a city
  has no counties, as 441900 东莞市, the city itself).
* The plaque is cancelled (取消悬挂) while any person of the household has a disqualification in
  effect (``PlaqueDisqualification``: criminal punishment, a public-security penalty with a bad
  social impact, being struck off the rolls or expelled from the army — 除名、开除军籍). The
  decision is then not eligible and, if a plaque is hanging on the date, a reason with code
  ``recover`` (held ``True``) says it must be taken back and why. Only the public-security case
  can be lifted (``lifted_on``): from that day the household is eligible again (恢复悬挂) and
  the decision is the one it would be without the penalty, apart from the wording of the
  ``disqualification`` reason.
* After the member on whose account the plaque hangs dies, the family keeps it but it is not
  replaced (不再更换; the reason ``plaque.not_replaced``).
* A plaque is not a payment: the decision has no amount.

Choices where the text is open to reading, each overridable by a flag parameter (1 or 0;
not bundled: the default below is the reading, and a user adds the parameter in a TOML file
layered with ``RuleBook.with_parameters``):

* ``glory_plaque.pre_policy_death_bars_all_bases`` (default 0). "A member who died before
  2018-07-29 gives no new plaque" is applied to veterans and serving members only — the
  bases that rest on the member's own life. For a martyr, a member who died on duty or of
  illness the death *is* the basis and the family (遗属) are the holders: reading the rule
  literally would deny a new plaque to every martyr's family bereaved before 2018, which
  《烈士褒扬条例》(2024) 第二十四条 and 《军人地位和权益保障法》(2021) 第三十一条 contradict. With 1,
  the rule applies to every basis.
* ``glory_plaque.application_needed`` (default 1). A household that qualifies but has no
  certificate holder and has not applied is not eligible (it may apply). With 0 the manner of
  hanging is informative only and such a household is eligible.
* A member who died on or after 2018-07-29 still qualifies: the household was in scope while
  they lived (the plaque is then kept and not replaced). Not a flag: the opposite reading
  has no support in the texts summarised.
* A hanging plaque with no member whose basis has arisen is to be recovered as no longer
  eligible (``recover``, kind ``no-longer-eligible``): the record lists who qualifies, so an
  empty list means nobody does.
* Disqualifications count for anyone listed on the household record, on or off the booklet
  (a serving member registered with the army may be 除名), from their ``on`` date whatever
  the date of the policy.

Worked example (the county of 临桂区, Guilin)::

    >>> import datetime as dt
    >>> from veteran_affairs.identity import DivisionCode, ResidentId, check_character
    >>> from veteran_affairs.models import Household, PlaqueBasis, PlaqueHousehold, PlaqueMember
    >>> from veteran_affairs.rules import RuleBook
    >>> rid = ResidentId("45031219700101001" + check_character("45031219700101001"))
    >>> home = Household(household_id="450312-000001",
    ...                  hukou_division=DivisionCode("450312101201"), head=rid, members=(rid,))
    >>> veteran = PlaqueMember(resident_id=rid, basis=PlaqueBasis.VETERAN,
    ...                        since=dt.date(1992, 12, 1), certificate_holder=True)
    >>> d = RuleBook.load().evaluate("glory_plaque",
    ...     PlaqueHousehold(household=home, members=(veteran,)), on=dt.date(2018, 7, 29))
    >>> d.eligible, d.amount, [r.code for r in d.reasons]
    (True, None, ['policy.in_force', 'member', 'household.basis', 'way', 'hukou.county', 'disqualification'])
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import attrs

from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import (
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecoveryReason,
)
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision
from veteran_affairs.rules._engine import Evaluation, Rule, RuleBook

__all__ = [
    "RULE",
    "PlaqueCensus",
    "PlaqueStatus",
    "PlaqueVisit",
    "basis_citation",
    "census",
    "decide",
    "statuses",
]

POLICY_DATE = dt.date(2018, 7, 29)
VETERANS_LAW_DATE = dt.date(2021, 1, 1)
STATUS_LAW_DATE = dt.date(2021, 8, 1)
MARTYRS_2024_DATE = dt.date(2025, 1, 1)

POLICY = Citation(
    document="国办发〔2018〕72号",
    effective=POLICY_DATE,
    note=(
        "国务院办公厅, 2018-07-29: the measures for hanging glory plaques; not among the "
        "bundled law texts (DOMAIN.md §5)"
    ),
)
VETERANS_LAW = Citation(
    document="《退役军人保障法》(2020)", article="第五十九条", effective=VETERANS_LAW_DATE
)
STATUS_LAW = Citation(
    document="《军人地位和权益保障法》(2021)", article="第三十一条", effective=STATUS_LAW_DATE
)
MARTYRS_2024 = Citation(
    document="《烈士褒扬条例》(2024)", article="第二十四条", effective=MARTYRS_2024_DATE
)

PRE_POLICY_DEATH_BARS_ALL = "glory_plaque.pre_policy_death_bars_all_bases"
APPLICATION_NEEDED = "glory_plaque.application_needed"

RULE_NAME = "glory_plaque"
_LIVING_BASES = frozenset({PlaqueBasis.VETERAN, PlaqueBasis.SERVING_MEMBER})
_Tri = bool | None


def basis_citation(basis: PlaqueBasis, on: dt.date) -> Citation:
    """The most specific text in force on ``on`` that names ``basis``.

    >>> str(basis_citation(PlaqueBasis.VETERAN, dt.date(2020, 12, 31)))
    '国办发〔2018〕72号 (in force 2018-07-29)'
    >>> str(basis_citation(PlaqueBasis.VETERAN, dt.date(2021, 1, 1)))
    '《退役军人保障法》(2020) 第五十九条 (in force 2021-01-01)'
    >>> str(basis_citation(PlaqueBasis.MARTYR, dt.date(2025, 1, 1)))
    '《烈士褒扬条例》(2024) 第二十四条 (in force 2025-01-01)'
    """
    if basis is PlaqueBasis.VETERAN:
        return VETERANS_LAW if on >= VETERANS_LAW_DATE else POLICY
    if basis is PlaqueBasis.MARTYR and on >= MARTYRS_2024_DATE:
        return MARTYRS_2024
    return STATUS_LAW if on >= STATUS_LAW_DATE else POLICY


def _and(*terms: _Tri) -> _Tri:
    """Kleene conjunction: false if any term is false, unknown if any is unknown."""
    if False in terms:
        return False
    if None in terms:
        return None
    return True


@attrs.frozen
class _Member:
    """What one member contributes on the date."""

    member: PlaqueMember
    arisen: bool  # the basis has arisen on or before the date
    barred: bool  # died before 2018-07-29 on a basis that then gives no new plaque

    @property
    def qualifies(self) -> bool:
        return self.arisen and not self.barred


def _member_reason(evaluation: Evaluation, item: _Member) -> None:
    m = item.member
    who = m.resident_id.masked
    basis_en = f"{who} — family of a {m.basis.value} since {m.since}"
    basis_zh = f"{who}：{m.basis.label_zh}家庭（{m.since}起）"
    if not item.arisen:
        en, zh = "the basis arises after the date", "资格于当日之后产生"
    elif item.barred:
        en = f"died on {m.died_on}, before 2018-07-29: gives no new plaque"
        zh = f"于{m.died_on}去世，早于2018年7月29日，不再新挂光荣牌"
    elif m.basis in _LIVING_BASES and m.died_on is not None and m.died_on <= evaluation.on:
        en = f"qualifies (died on {m.died_on}, after the policy date)"
        zh = f"符合悬挂条件（于{m.died_on}去世，晚于政策施行日）"
    else:
        en, zh = "qualifies", "符合悬挂条件"
    evaluation.check(
        "member",
        item.qualifies,
        f"{basis_en}: {en}",
        f"{basis_zh}：{zh}",
        basis_citation(m.basis, evaluation.on),
    )


def _way(
    evaluation: Evaluation,
    subject: PlaqueHousehold,
    qualifying: list[PlaqueMember],
    *,
    hanging: bool,
    needed: bool,
) -> _Tri:
    """Record how the plaque is hung: proactively, on application, or not yet (may apply)."""
    on = evaluation.on
    applied = subject.applied_on is not None and subject.applied_on <= on
    plaque = subject.household.plaque
    if hanging and plaque is not None:
        return evaluation.check(
            "way",
            True,
            f"a plaque has hung since {plaque.hung_on}",
            f"已于{plaque.hung_on}悬挂光荣牌",
            POLICY,
        )
    if any(m.certificate_holder is True for m in qualifying):
        return evaluation.check(
            "way",
            True,
            "hung proactively: the family holds the certificate",
            "持证家庭，主动悬挂",
            POLICY,
        )
    if applied:
        return evaluation.check(
            "way",
            True,
            f"hung on application (applied on {subject.applied_on})",
            f"依申请悬挂（于{subject.applied_on}申请）",
            POLICY,
        )
    if not evaluation.flag(APPLICATION_NEEDED, True):
        return evaluation.check(
            "way",
            True,
            "no certificate and no application; application not required (flag "
            f"{APPLICATION_NEEDED} = 0)",
            "未持证且未申请；按设定无需申请",
            POLICY,
        )
    if any(m.certificate_holder is None for m in qualifying):
        return evaluation.check(
            "way",
            None,
            "not known whether the family holds the certificate, and no application"
            + ("" if needed else " (not needed: already not eligible)"),
            "未知是否持证，且未申请" + ("" if needed else "（已不符合条件，无需补充）"),
            POLICY,
            missing="members.certificate_holder" if needed else None,
        )
    return evaluation.check(
        "way",
        False,
        "no certificate holder and no application: the household may apply",
        "未持证且未申请：可依申请悬挂",
        POLICY,
    )


def _county_reason(evaluation: Evaluation, subject: PlaqueHousehold) -> None:
    hukou = subject.household.hukou_division
    county = hukou.truncate(DivisionLevel.COUNTY)
    if hukou.level >= DivisionLevel.COUNTY:
        en = f"hung by the county-level government of the hukou: {county} (hukou {hukou})"
        zh = f"由户籍所在地县级人民政府悬挂：{county}（户籍{hukou}）"
    else:
        en = (
            f"hung by the county-level government of the hukou; the record gives the hukou "
            f"only at {hukou.level.name.lower()} level ({hukou})"
        )
        zh = f"由户籍所在地县级人民政府悬挂；记录中户籍仅至{hukou.level.label_zh}（{hukou}）"
    evaluation.check("hukou.county", True, en, zh, POLICY)


def _disqualification_reason(
    evaluation: Evaluation,
    active: list[PlaqueDisqualification],
    lifted: list[PlaqueDisqualification],
) -> None:
    if active:
        en = "; ".join(f"{d.resident_id.masked}: {d.kind.value} on {d.on}" for d in active)
        zh = "；".join(f"{d.resident_id.masked}：{d.kind.label_zh}（{d.on}）" for d in active)
        evaluation.check(
            "disqualification",
            False,
            f"cancelled: {en}",
            f"{zh}，取消悬挂光荣牌",
            POLICY,
        )
        return
    if lifted:
        en = "; ".join(
            f"{d.resident_id.masked}: {d.kind.value} of {d.on} lifted on {d.lifted_on}"
            for d in lifted
        )
        zh = "；".join(
            f"{d.resident_id.masked}：{d.kind.label_zh}（{d.on}）已于{d.lifted_on}解除"
            for d in lifted
        )
        evaluation.check(
            "disqualification",
            True,
            f"no disqualification in effect ({en}: restored)",
            f"无取消悬挂情形（{zh}，恢复悬挂）",
            POLICY,
        )
        return
    evaluation.check(
        "disqualification",
        True,
        "no disqualification in effect",
        "无取消悬挂情形",
        POLICY,
    )


def _recover(evaluation: Evaluation, hung_on: dt.date, kinds: list[PlaqueRecoveryReason]) -> None:
    names_en = ", ".join(dict.fromkeys(k.value for k in kinds))
    names_zh = "、".join(dict.fromkeys(k.label_zh for k in kinds))
    evaluation.check(
        "recover",
        True,
        f"the plaque hung since {hung_on} must be recovered: {names_en}",
        f"应收回{hung_on}悬挂的光荣牌：{names_zh}",
        POLICY,
    )


def decide(subject: PlaqueHousehold, evaluation: Evaluation) -> Decision:
    """Whether the household of ``subject`` is entitled to a glory plaque on the date."""
    on = evaluation.on
    household = subject.household
    plaque = household.plaque
    hanging = plaque is not None and plaque.hung_at(on)
    in_force = on >= POLICY_DATE

    bar_all = evaluation.flag(PRE_POLICY_DEATH_BARS_ALL, False)
    items = [
        _Member(
            member=m,
            arisen=m.since <= on,
            barred=m.since <= on
            and m.died_on is not None
            and m.died_on < POLICY_DATE
            and (bar_all or m.basis in _LIVING_BASES),
        )
        for m in subject.members
    ]
    qualifying = [i.member for i in items if i.qualifies]
    arisen = [i.member for i in items if i.arisen]
    kept = not qualifying and hanging and bool(arisen)
    has_basis = bool(qualifying) or kept
    active = [d for d in subject.disqualifications if d.in_effect_on(on)]
    lifted = [d for d in subject.disqualifications if d.lifted_on is not None and d.lifted_on <= on]

    evaluation.check(
        "policy.in_force",
        in_force,
        "on or after 2018-07-29, when the plaque measures took effect",
        "不早于2018年7月29日（光荣牌悬挂办法施行之日）",
        POLICY,
    )
    for item in items:
        _member_reason(evaluation, item)
    count = len(qualifying)
    if qualifying:
        basis_en = f"one plaque for the household: {count} member(s) qualify"
        basis_zh = f"一户一牌：{count}人符合悬挂条件"
    elif kept:
        basis_en = "no member gives a new plaque"
        basis_zh = "无人符合新挂条件"
    else:
        basis_en = "no member qualifies for a plaque on the date"
        basis_zh = "当日无人符合悬挂条件"
    evaluation.check("household.basis", bool(qualifying) or kept, basis_en, basis_zh, POLICY)
    if kept and plaque is not None:
        evaluation.check(
            "plaque.kept",
            True,
            f"the plaque hung since {plaque.hung_on} is kept (not replaced)",
            f"{plaque.hung_on}悬挂的光荣牌继续保留（不再更换）",
            POLICY,
        )
    way: _Tri = True
    if has_basis:
        needed = in_force and not active
        way = _way(evaluation, subject, qualifying, hanging=hanging, needed=needed)
    _county_reason(evaluation, subject)
    _disqualification_reason(evaluation, active, lifted)

    if active and hanging and plaque is not None:
        _recover(evaluation, plaque.hung_on, [d.kind for d in active])
    elif in_force and hanging and plaque is not None and not arisen:
        _recover(evaluation, plaque.hung_on, [PlaqueRecoveryReason.NO_LONGER_ELIGIBLE])

    supporting = [i.member for i in items if i.arisen and (i.qualifies or kept)]
    living = [m for m in supporting if m.basis in _LIVING_BASES]
    if (
        has_basis
        and living == supporting
        and all(m.died_on is not None and m.died_on <= on for m in living)
    ):
        evaluation.check(
            "plaque.not_replaced",
            True,
            "every member it rests on has died: the family keeps the plaque, not replaced",
            "悬挂对象均已去世：家庭继续保留光荣牌，不再更换",
            POLICY,
        )
    return evaluation.decide(eligible=_and(in_force, has_basis, way, not active))


RULE = Rule(
    name=RULE_NAME,
    label_zh="光荣牌",
    label_en="glory plaque",
    subjects=(PlaqueHousehold,),
    basis=(POLICY, VETERANS_LAW, STATUS_LAW, MARTYRS_2024),
    decide=decide,
)


# --- household statuses and the yearly census of a county -----------------------------------


class PlaqueStatus(NamedTuple):
    """Where one household stands on a date (光荣牌状态): entitled, hanging, to hang, to recover.

    Built by :func:`statuses` from the ``glory_plaque`` decision, or by hand (or from storage)
    for the fast report path :func:`veteran_affairs.hierarchy.plaques_from_statuses`.

    Attributes:
        household_id: the household.
        division: the household's hukou unit (户籍所在地), where it is counted.
        eligible: entitled to a plaque on the date; ``None`` when undetermined (an input is
            missing).
        hung: a plaque is on the door on the date, entitled or not.
        to_recover: the hanging plaque must be taken back (收回).
        recovery_kinds: why, for a plaque to recover (empty otherwise).
        decision: the decision it was read from (``None`` when built by hand).

    >>> s = PlaqueStatus(household_id="A", division=DivisionCode("450312101201"),
    ...                  eligible=True, hung=False, to_recover=False)
    >>> s.to_hang, s.hung_eligible, s.undetermined
    (True, False, False)
    """

    household_id: str
    division: DivisionCode
    eligible: bool | None
    hung: bool
    to_recover: bool
    recovery_kinds: tuple[PlaqueRecoveryReason, ...] = ()
    decision: Decision | None = None

    @property
    def undetermined(self) -> bool:
        """The decision lacks an input (待核实)."""
        return self.eligible is None

    @property
    def to_hang(self) -> bool:
        """Entitled, and no plaque hanging (应挂未挂)."""
        return self.eligible is True and not self.hung

    @property
    def hung_eligible(self) -> bool:
        """Entitled, and a plaque hanging (应挂已挂)."""
        return self.eligible is True and self.hung


def _status(subject: PlaqueHousehold, decision: Decision, on: dt.date) -> PlaqueStatus:
    household = subject.household
    plaque = household.plaque
    to_recover = any(r.code == "recover" for r in decision.reasons)
    kinds: tuple[PlaqueRecoveryReason, ...] = ()
    if to_recover:
        active = [d.kind for d in subject.disqualifications if d.in_effect_on(on)]
        kinds = tuple(dict.fromkeys(active or [PlaqueRecoveryReason.NO_LONGER_ELIGIBLE]))
    return PlaqueStatus(
        household_id=household.household_id,
        division=household.hukou_division,
        eligible=decision.eligible,
        hung=plaque is not None and plaque.hung_at(on),
        to_recover=to_recover,
        recovery_kinds=kinds,
        decision=decision,
    )


def statuses(
    book: RuleBook, households: Iterable[PlaqueHousehold], *, on: dt.date
) -> Iterator[PlaqueStatus]:
    """Each household's plaque status on ``on``, decided by ``book``'s ``glory_plaque`` rule.

    The one classification behind :func:`census` and the plaque report
    (:func:`veteran_affairs.hierarchy.plaques`): *eligible* is the decision's outcome
    (``None``: undetermined); *hung* whether a plaque is on the door on the date; *to hang*
    eligible and not hung; *to recover* when the decision says the hanging plaque must be taken
    back (a disqualification in effect, or nobody qualifies any more), with the kinds of the
    disqualifications in effect (or ``no-longer-eligible``). Streamed, one household at a time,
    in the order given.

    >>> import datetime as dt
    >>> from veteran_affairs.identity import ResidentId, check_character
    >>> from veteran_affairs.models import Household, PlaqueMember
    >>> rid = ResidentId("45031219700101001" + check_character("45031219700101001"))
    >>> home = Household(household_id="H1", hukou_division=DivisionCode("450312101201"),
    ...                  head=rid, members=(rid,))
    >>> veteran = PlaqueMember(resident_id=rid, basis=PlaqueBasis.VETERAN,
    ...                        since=dt.date(1992, 12, 1), certificate_holder=True)
    >>> [s] = statuses(RuleBook.load(), [PlaqueHousehold(household=home, members=(veteran,))],
    ...                on=dt.date(2022, 3, 1))
    >>> s.eligible, s.hung, s.to_hang, s.to_recover
    (True, False, True, False)
    """
    subjects, evaluated = itertools.tee(households)
    decisions: Iterator[Decision] = book.evaluate_many(evaluated, [RULE_NAME], on=on)
    for subject, decision in zip(subjects, decisions, strict=True):
        yield _status(subject, decision, on)


@attrs.frozen(kw_only=True)
class PlaqueVisit:
    """A household to visit: to hang a plaque, to recover one, or to ask for a missing fact.

    ``reasons`` are the decision's messages (identity numbers masked); ``kinds`` the recovery
    reasons for a visit to recover.
    """

    household_id: str
    reasons: tuple[str, ...]
    kinds: tuple[PlaqueRecoveryReason, ...] = ()


@attrs.frozen(kw_only=True)
class PlaqueCensus:
    """The plaques of one county on one date (光荣牌普查): counts and the households to visit.

    Attributes:
        county: the county-level division counted.
        on: the census date.
        households: households of the county decided.
        eligible: households entitled to a plaque on the date.
        hung: households with a plaque hanging on the date (entitled or not).
        hung_eligible: households both entitled and with a plaque hanging.
        undetermined: households whose decision lacks an input (listed in ``to_ask``).
        to_hang: entitled households without a plaque hanging.
        to_recover: households whose hanging plaque must be recovered.
        to_ask: undetermined households, with what is missing.
    """

    county: DivisionCode
    on: dt.date
    households: int
    eligible: int
    hung: int
    hung_eligible: int
    undetermined: int
    to_hang: tuple[PlaqueVisit, ...]
    to_recover: tuple[PlaqueVisit, ...]
    to_ask: tuple[PlaqueVisit, ...]

    @property
    def coverage(self) -> Decimal | None:
        """应挂尽挂率: entitled households with a plaque ÷ entitled households, to 0.0001.

        Computed from the counts (never averaged over smaller units); ``None`` when no
        household is entitled.
        """
        if self.eligible == 0:
            return None
        rate = Decimal(self.hung_eligible) / Decimal(self.eligible)
        return rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _visit(status: PlaqueStatus, decision: Decision, codes: tuple[str, ...]) -> PlaqueVisit:
    return PlaqueVisit(
        household_id=status.household_id,
        reasons=tuple(r.message_en for r in decision.reasons if r.code in codes and r.held),
    )


def census(
    book: RuleBook,
    households: Iterable[PlaqueHousehold],
    *,
    on: dt.date,
    county: DivisionCode,
) -> PlaqueCensus:
    """Count the plaques of ``county`` on ``on`` and list the households to visit.

    ``households`` may be a whole register: those whose hukou lies outside ``county`` are
    skipped. Each household is classified by :func:`statuses` (decisions streamed with
    :meth:`RuleBook.evaluate_many`, one household at a time).

    Raises:
        InvalidValue: ``county`` is a township or a village, not a county-level unit.
        ParameterError: never from the bundled books (the rule reads only flags).
    """
    if county.level > DivisionLevel.COUNTY:
        raise InvalidValue(
            "county",
            str(county),
            "a census is of a county-level unit (or a larger one)",
            "普查范围须为县级或以上区划",
        )
    inside = (h for h in households if county.contains(h.household.hukou_division))
    total = eligible = hung = hung_eligible = undetermined = 0
    to_hang: list[PlaqueVisit] = []
    to_recover: list[PlaqueVisit] = []
    to_ask: list[PlaqueVisit] = []
    for status in statuses(book, inside, on=on):
        decision = status.decision
        assert decision is not None  # statuses() always keeps it
        total += 1
        hung += status.hung
        eligible += status.eligible is True
        hung_eligible += status.hung_eligible
        if status.to_hang:
            to_hang.append(_visit(status, decision, ("member", "way")))
        elif status.undetermined:
            undetermined += 1
            to_ask.append(
                PlaqueVisit(
                    household_id=status.household_id,
                    reasons=tuple(f"missing: {name}" for name in decision.missing),
                )
            )
        if status.to_recover:
            visit = _visit(status, decision, ("recover",))
            cause = tuple(
                r.message_en
                for r in decision.reasons
                if r.code == "disqualification" and r.held is False
            )
            to_recover.append(
                attrs.evolve(visit, reasons=visit.reasons + cause, kinds=status.recovery_kinds)
            )
    return PlaqueCensus(
        county=county,
        on=on,
        households=total,
        eligible=eligible,
        hung=hung,
        hung_eligible=hung_eligible,
        undetermined=undetermined,
        to_hang=tuple(to_hang),
        to_recover=tuple(to_recover),
        to_ask=tuple(to_ask),
    )


def __dir__() -> list[str]:
    return __all__
