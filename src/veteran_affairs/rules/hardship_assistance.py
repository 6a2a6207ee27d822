"""困难帮扶援助 — hardship assistance for veterans and survivors, and its approval.

The policy is 退役军人部发〔2019〕62号, issued by five departments and in force from
2019-10-09; 《退役军人保障法》(2020) 第五十五条 (in force 2021-01-01) later set the mechanism
in statute, and 《军人抚恤优待条例》(2024) 第三十八条 names the veterans' care fund
(关爱基金) among its means. Guangxi implements it through its own opinion, issued by the same
five departments of the autonomous region (no local figure of it is bundled). The 2019
document is not among the bundled law texts: it is cited by number and date only.

The subject is a :class:`HardshipApplication`: one :class:`~veteran_affairs.models.AssistanceCase`
(applicant, cause, incident date, dated workflow history, requested and approved amounts,
funding), the applicant's own record (a ``Veteran`` or a ``Survivor``, whose identity number
must be the case's), whether ordinary social assistance was considered first, and the
applicant's other cases. The law, in plain words, and the conditions in the order checked:

* ``application`` — the case identified (its number and the masked identity number), and the
  evaluation date on or after the application date: before it there is no application to
  decide on (not eligible, no parameter read). Everything else is judged **as of the
  application date** (``case.applied_on``): who the applicant was then, and the parameters in
  force then. The evaluation date only dates the decision and the status of other cases.
* ``policy.in_force`` — the application is made on or after 2019-10-09. An earlier
  application falls outside this policy: not eligible, said so, no parameter read.
* ``applicant.group`` — who may apply: discharged officers and soldiers (a ``Veteran``
  discharged on or before the application date), and survivors of martyrs, of members who
  died on duty or of illness (三属) who draw a periodic pension. For a survivor this rule
  **relies on the recorded survivor status** held on the application date (the approval to
  draw the pension), not on the ``survivor_pension`` rule: that rule needs the year's pension
  standard, which is often not confirmed, and would make this decision fail for a figure it
  does not use. Jurisdictions may extend the groups; two overrides (see below) do so.
* ``person.alive`` — the applicant is alive on the application date (a death after applying
  does not undo the application).
* ``sanction`` — recorded only where a sanction is in effect on the application date. By
  default a sanction does not bar this assistance (flag below).
* ``cause`` — one of the five triggers (service disability or serious illness with heavy
  medical costs; long unemployment; relapse of an old injury; a sudden event such as fire,
  flood, a traffic accident, major illness, injury or an act of bravery; other special
  reasons). A valid case always has one, so this always holds; the reason names it in
  Chinese.
* ``one_per_incident`` — one approval per incident (一事一批): no other case of the same
  applicant for the same incident (the same incident date and the same cause) stands
  approved on the evaluation date — its status then is county-approved, publicised or paid.
  A case rejected or withdrawn after approval does not count; the case itself never does.
* ``application_window`` — applied within ``hardship_assistance.application_window_days``
  days of the incident: application date − incident date ≤ the window (the incident day is
  not counted, 《民法典》 第二百零一条; a window ending on a rest day is not moved here).
  No value is bundled (a Guangdong example uses one year; nothing national or Guangxi's is
  confirmed): an eligible or undetermined decision **raises**
  :class:`~veteran_affairs.errors.ParameterMissing` until it is supplied, as every rule does
  for a figure it needs. A decision already not eligible reads no parameter; one that only
  the ordinary-assistance condition settles (known not considered, and required) names the
  window where it is known and leaves it unknown, not asked for, where it is not.
* ``ordinary_assistance`` — ordinary social assistance comes first (低保, 特困, medical,
  housing, education and employment assistance), veteran-specific help after it. ``True``
  holds; ``False`` fails (the veteran-specific help is not yet due); ``None`` is unknown and
  named missing as ``ordinary_assistance_considered``. It is checked last, so that it is
  named missing only when nothing else has already decided the case.
* ``amount`` — the most one approval may grant is ``hardship_assistance.amount_cap`` (no
  bundled value: ParameterMissing until supplied; a Guangdong example runs from 10,000 to
  100,000 yuan). The decision's ``amount`` is the requested amount capped by it, or — when
  the case records no requested amount — the cap itself, read as "up to this much may be
  approved". It is one component ``assistance`` (一次性帮扶援助金, paid once).

Approval: :func:`approve` moves a case from township review to county approval
(乡镇审核 → 县级审批) only when a decision of this rule for this very case is eligible and the
amount granted is within the cap that decision used; otherwise it raises :class:`NotEligible`,
:class:`AmountAboveCap` or :class:`DecisionMismatch` (all :class:`ApprovalRefused`, a
``ValueError``). The county may grant more or less than requested, never above the cap. The
case's own state machine still applies (``IllegalTransition`` for a case not at township
review).

Stored cases: a store holds cases and persons, not applications. :func:`hardship_applications`
builds one :class:`HardshipApplication` per stored case — the applicant's record looked up by
the case's identity number, every other case of the same applicant as its
``earlier_cases`` — or, where none can be built, an :class:`UndecidableCase` saying why (the
applicant is not among the persons given, or is a serving member): every case gives exactly
one of the two, none is dropped. Whether ordinary assistance was considered first is not
stored on a case: it is unknown (``None``) unless the caller supplies it per case.

Funding: :func:`funding_totals` and :func:`funding_summary` add up the money of the cases
that stand approved — status county-approved, publicised or paid (``COUNTED_STATUSES``;
pass ``statuses={CaseStatus.PAID}`` to count only what was paid) — by funding source, with
the part of an approved amount no source was recorded for as ``unallocated``, so that the
sources and the unallocated part add up to the approved total.

Choices where the policy is open to reading, each a parameter this rule reads when a rule
book defines it, with the default below otherwise (none is in the bundled files yet; add
them to a parameter file and load it with ``RuleBook.with_parameters(path)``):

* ``hardship_assistance.require_ordinary_assistance_first`` (flag, default 1): ordinary
  assistance considered first is a condition. With 0 it is informative only (``False`` and
  ``None`` then neither fail nor count as missing).
* ``hardship_assistance.all_survivors`` (flag, default 0): with 1, every survivor of the three
  groups may apply, with or without a periodic pension.
* ``hardship_assistance.extra_categories`` (table, default empty): entitlement categories
  (``EntitlementCategory`` values) the jurisdiction adds, each ``1``; an applicant holding a
  status of a listed category on the application date may apply (e.g. ``elderly-martyr-child``).
* ``hardship_assistance.sanctions_bar`` (flag, default 0): with 1, a sanction in effect on the
  application date (《军人抚恤优待条例》(2024) 第五十九条; 2019 第五十条, which did not cancel on
  expulsion from the army: an expulsion counts only from 2024-10-01) bars the assistance,
  reading 关爱帮扶 (2024 第三十六条) as a 优待 that the sanction stops. By default the one-off
  help for a hardship is not treated as a suspended 抚恤 payment.

Flags and the table are read on the application date.

Worked example (test inputs, not law: a window of 365 days and a cap of 20,000 yuan): a
veteran whose house burned down on 2020-06-01 applies on 2020-06-03 for 30,000 yuan, ordinary
assistance having been considered: eligible, amount 20,000.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TypeAlias

import attrs

from veteran_affairs._validate import instance_of, optional, tuple_of
from veteran_affairs.errors import (
    InconsistentRecord,
    ParameterMissing,
    ParameterNotInForce,
    VeteranAffairsError,
)
from veteran_affairs.identity import ResidentId
from veteran_affairs.models import (
    AssistanceCase,
    CaseStatus,
    EntitlementCategory,
    FundingAllocation,
    FundingSource,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.money import round_fen, yuan
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import (
    SUSPENSION_2019,
    SUSPENSION_2024,
    Evaluation,
    Rule,
    RuleBook,
    sanction_applies,
)
from veteran_affairs.statutes import PENSIONS_2024

__all__ = [
    "COUNTED_STATUSES",
    "RULE",
    "AmountAboveCap",
    "ApprovalRefused",
    "CaseProblem",
    "DecisionMismatch",
    "FundingSummary",
    "HardshipApplication",
    "NotEligible",
    "PersonLookup",
    "UndecidableCase",
    "approve",
    "decide",
    "funding_summary",
    "funding_totals",
    "hardship_applications",
]


def __dir__() -> list[str]:
    return __all__


POLICY = dt.date(2019, 10, 9)
_LAW_2021 = dt.date(2021, 1, 1)
_REGULATION_2024 = PENSIONS_2024.in_force

WINDOW = "hardship_assistance.application_window_days"
CAP = "hardship_assistance.amount_cap"
ORDINARY_FIRST = "hardship_assistance.require_ordinary_assistance_first"
ALL_SURVIVORS = "hardship_assistance.all_survivors"
EXTRA_CATEGORIES = "hardship_assistance.extra_categories"
SANCTIONS_BAR = "hardship_assistance.sanctions_bar"

POLICY_2019 = Citation(
    document="退役军人部发〔2019〕62号",
    effective=POLICY,
    note="issued by five departments; text not among the bundled law texts",
)
LAW_2021 = Citation(
    document="《中华人民共和国退役军人保障法》(2020)", article="第五十五条", effective=_LAW_2021
)
REGULATION_2024_ART_38 = PENSIONS_2024.article("第三十八条")
CIVIL_CODE_201 = Citation(
    document="《中华人民共和国民法典》(2020)",
    article="第二百零一条",
    effective=dt.date(2021, 1, 1),
    note="the first day of a period counted in days is not counted",
)

COUNTED_STATUSES: frozenset[CaseStatus] = frozenset(
    {CaseStatus.COUNTY_APPROVED, CaseStatus.PUBLICISED, CaseStatus.PAID}
)
"""The states in which a case stands approved: its money is committed or paid."""


# --- the subject -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class HardshipApplication:
    """One application for hardship assistance with the applicant's record (困难帮扶援助申请).

    Invariant: the applicant's identity number is the case's
    (:class:`~veteran_affairs.errors.InconsistentRecord` otherwise).

    Attributes:
        case: the assistance case (申请、审核、审批、发放的全过程).
        applicant: the applicant's own record: a veteran, or a survivor.
        ordinary_assistance_considered: whether ordinary social assistance (低保, 特困,
            medical, housing, education, employment) was considered first; ``None``: unknown.
        earlier_cases: the applicant's other cases, to enforce one approval per incident.
    """

    case: AssistanceCase = attrs.field(validator=instance_of(AssistanceCase))
    applicant: Veteran | Survivor = attrs.field(validator=instance_of(Veteran, Survivor))
    ordinary_assistance_considered: bool | None = attrs.field(
        default=None, validator=optional(instance_of(bool))
    )
    earlier_cases: tuple[AssistanceCase, ...] = attrs.field(
        default=(), validator=tuple_of(AssistanceCase)
    )

    def __attrs_post_init__(self) -> None:
        if self.applicant.resident_id != self.case.applicant:
            raise InconsistentRecord(
                "applicant.resident_id/case.applicant",
                f"{self.applicant.resident_id.masked}/{self.case.applicant.masked}",
                "the applicant's record must be the case's applicant",
                "申请人与案件申请人不一致",
            )

    @property
    def subject_reference(self) -> str:
        """Masked: the applicant's ID and the case id (used in decisions)."""
        return f"{self.applicant.resident_id.masked} case {self.case.case_id}"

    def __repr__(self) -> str:
        return (
            f"HardshipApplication(case={self.case.case_id!r}, "
            f"applicant={self.applicant.resident_id.masked!r}, "
            f"ordinary_assistance_considered={self.ordinary_assistance_considered}, "
            f"earlier_cases={len(self.earlier_cases)})"
        )


# --- stored cases ----------------------------------------------------------------------------


class CaseProblem(enum.Enum):
    """Why no application can be built for a stored case (无法判定的原因)."""

    APPLICANT_NOT_FOUND = "applicant-not-found"  # 申请人不在库中
    APPLICANT_SERVING = "applicant-serving"  # 申请人为现役军人

    @property
    def label_en(self) -> str:
        return {
            "applicant-not-found": "applicant not in the store",
            "applicant-serving": "applicant is a serving member, not a veteran or survivor",
        }[self.value]

    @property
    def label_zh(self) -> str:
        return {
            "applicant-not-found": "申请人不在库中",
            "applicant-serving": "申请人为现役军人，非退役军人或遗属",
        }[self.value]


@attrs.frozen(kw_only=True, repr=False)
class UndecidableCase:
    """A stored case this rule cannot decide on, and why (无法判定的案件).

    What :func:`hardship_applications` gives for a case it cannot make an application of, so
    that the case is counted and shown rather than dropped.

    >>> from veteran_affairs.identity import DivisionCode
    >>> from veteran_affairs.models import HardshipCause
    >>> case = AssistanceCase.apply(
    ...     case_id="450312-2020-0009", applicant=ResidentId("11010519491231002X"),
    ...     division=DivisionCode("450312"), cause=HardshipCause.SUDDEN_EVENT,
    ...     incident_on=dt.date(2020, 6, 1), on=dt.date(2020, 6, 3), actor="applicant")
    >>> found = UndecidableCase(case=case, problem=CaseProblem.APPLICANT_NOT_FOUND)
    >>> found
    UndecidableCase(case='450312-2020-0009', applicant='110105********002X', problem='applicant-not-found')
    >>> found.message
    'applicant not in the store (申请人不在库中)'

    Attributes:
        case: the stored case.
        problem: why no application can be built for it.
    """

    case: AssistanceCase = attrs.field(validator=instance_of(AssistanceCase))
    problem: CaseProblem = attrs.field(validator=instance_of(CaseProblem))

    @property
    def message(self) -> str:
        """The problem in English and Chinese."""
        return f"{self.problem.label_en} ({self.problem.label_zh})"

    @property
    def subject_reference(self) -> str:
        """Masked: the applicant's ID and the case id, as for an application."""
        return f"{self.case.applicant.masked} case {self.case.case_id}"

    def __repr__(self) -> str:
        return (
            f"UndecidableCase(case={self.case.case_id!r}, "
            f"applicant={self.case.applicant.masked!r}, problem={self.problem.value!r})"
        )


PersonLookup: TypeAlias = (
    Mapping[ResidentId, Veteran | Survivor | ServingMember]
    | Callable[[ResidentId], Veteran | Survivor | ServingMember | None]
)
"""The persons to find applicants in: a mapping by identity number, or a function that
returns the person with an identity number, or ``None`` when there is none."""


def hardship_applications(
    cases: Iterable[AssistanceCase],
    persons: PersonLookup,
    *,
    ordinary_assistance: Mapping[str, bool] | None = None,
) -> Iterator[HardshipApplication | UndecidableCase]:
    """One application per stored case, in the order of ``cases``, or why there can be none.

    For each case, the applicant's record is looked up in ``persons`` by the case's identity
    number (each applicant once). A veteran or a survivor gives a :class:`HardshipApplication`
    whose ``earlier_cases`` are all the other cases of the same applicant among ``cases``
    (before or after it: the rule itself reads each one's status on the evaluation date). An
    applicant not found, or found as a serving member, gives an :class:`UndecidableCase`
    naming the :class:`CaseProblem`: every case yields exactly one of the two.

    Whether ordinary social assistance was considered first (``ordinary_assistance_considered``)
    is not part of a stored case. It is ``None`` — unknown, which leaves a decision that
    reaches that condition undetermined — unless ``ordinary_assistance`` gives it by case id;
    it is never taken as ``True`` or ``False`` by default. Case ids it names that are not
    among ``cases`` are ignored.

    ``cases`` is read whole before the first application is given (each case is every other
    case's earlier case), so pass the cases of one scope, not an endless stream.

    Args:
        cases: the stored cases (e.g. ``uow.cases.find()``).
        persons: the persons to find applicants in (:data:`PersonLookup`): a mapping by
            identity number, or a function returning the person or ``None``.
        ordinary_assistance: ``case_id`` → whether ordinary assistance was considered first.

    Raises:
        InconsistentRecord: ``persons`` gave a record with another identity number than the
            one looked up.
    """
    stored = list(cases)
    by_applicant: defaultdict[ResidentId, list[AssistanceCase]] = defaultdict(list)
    for case in stored:
        by_applicant[case.applicant].append(case)
    find: Callable[[ResidentId], Veteran | Survivor | ServingMember | None] = (
        persons.get if isinstance(persons, Mapping) else persons
    )
    found = {applicant: find(applicant) for applicant in by_applicant}
    considered = {} if ordinary_assistance is None else ordinary_assistance
    for case in stored:
        applicant = found[case.applicant]
        if applicant is None:
            yield UndecidableCase(case=case, problem=CaseProblem.APPLICANT_NOT_FOUND)
        elif isinstance(applicant, ServingMember):
            yield UndecidableCase(case=case, problem=CaseProblem.APPLICANT_SERVING)
        else:
            yield HardshipApplication(
                case=case,
                applicant=applicant,
                ordinary_assistance_considered=considered.get(case.case_id),
                earlier_cases=tuple(
                    other for other in by_applicant[case.applicant] if other.case_id != case.case_id
                ),
            )


# --- the rule --------------------------------------------------------------------------------


def _extra_categories(
    evaluation: Evaluation, held: Iterable[EntitlementCategory], on: dt.date
) -> list[EntitlementCategory]:
    """The categories held that the jurisdiction's table adds to the groups."""
    if not evaluation.has_parameter(EXTRA_CATEGORIES):
        return []
    listed = []
    for category in sorted(held, key=lambda c: c.value):
        try:
            if evaluation.param(EXTRA_CATEGORIES, category.value, on=on) != 0:
                listed.append(category)
        except (ParameterMissing, ParameterNotInForce):
            continue
    return listed


def _group(evaluation: Evaluation, applicant: Veteran | Survivor, applied_on: dt.date) -> None:
    """Record whether the applicant belongs to a group that may apply."""
    if isinstance(applicant, Veteran):
        discharged = applicant.service.discharged_on
        assert discharged is not None  # a Veteran always has one
        held = discharged <= applied_on
        en = (
            f"a discharged officer or soldier (discharged on {discharged})"
            if held
            else f"not yet discharged when applying (discharged on {discharged})"
        )
        zh = (
            f"退役军人（{discharged}退出现役）"
            if held
            else f"申请时尚未退出现役（{discharged}退役）"
        )
    else:
        wanted = applicant.death_category.survivor_category
        status = next(
            (s for s in applicant.statuses if s.category is wanted and s.active_on(applied_on)),
            None,
        )
        held = status is not None
        if status is not None:
            en = f"a survivor drawing a periodic pension ({wanted.value} since {status.since})"
            zh = f"享受定期抚恤金的{wanted.label_zh}（{status.since}起）"
        elif evaluation.flag(ALL_SURVIVORS, False, on=applied_on):
            held = True
            en = f"a survivor ({wanted.value}): the jurisdiction admits every survivor"
            zh = f"{wanted.label_zh}：本地扩大至全部三属"
        else:
            en = f"a survivor without a {wanted.value} status on the application date"
            zh = f"申请时未持有{wanted.label_zh}身份（未享受定期抚恤金）"
    if not held:
        extra = _extra_categories(evaluation, applicant.categories_on(applied_on), applied_on)
        if extra:
            held = True
            en += "; admitted by the jurisdiction as " + ", ".join(c.value for c in extra)
            zh += "；本地扩大范围：" + "、".join(c.label_zh for c in extra)
    evaluation.check("applicant.group", held, en, zh, POLICY_2019)


def _sanctions(evaluation: Evaluation, applicant: Veteran | Survivor, applied_on: dt.date) -> None:
    # the 2019 text (第五十条) did not cancel on expulsion from the army: sanction_applies
    in_effect = [s for s in applicant.sanctions if sanction_applies(s, applied_on)]
    if not in_effect:
        return
    sanction = in_effect[0]
    citation = SUSPENSION_2024 if applied_on >= _REGULATION_2024 else SUSPENSION_2019
    since = sanction.since.isoformat()
    if evaluation.flag(SANCTIONS_BAR, False, on=applied_on):
        evaluation.check(
            "sanction",
            False,
            f"{sanction.kind.value} since {since}, in effect when applying: barred",
            f"申请时{sanction.kind.label_zh}（{since}起），不予帮扶援助",
            citation,
        )
        return
    evaluation.check(
        "sanction",
        True,
        f"{sanction.kind.value} since {since}: sanctions stop periodic 抚恤 payments; they do "
        f"not bar one-off hardship assistance under this rule ({SANCTIONS_BAR} = 0)",
        f"{sanction.kind.label_zh}（{since}起）中止或取消抚恤优待待遇，本规则不据此排除帮扶援助",
        citation,
    )


def _ordinary_assistance(
    evaluation: Evaluation, considered: bool | None, on: dt.date, *, required: bool | None
) -> None:
    if required is None:
        required = evaluation.flag(ORDINARY_FIRST, True, on=on)
    if considered is None:
        en, zh = (
            "not known whether ordinary social assistance was considered first",
            ("未知是否已优先落实低保、特困、医疗、住房、教育、就业等社会救助"),
        )
    elif considered:
        en, zh = (
            "ordinary social assistance considered first",
            ("已优先落实低保、特困、医疗、住房、教育、就业等社会救助"),
        )
    else:
        en, zh = (
            "ordinary social assistance (低保, 特困, …) must be considered first",
            ("应优先落实低保、特困、医疗、住房、教育、就业等社会救助"),
        )
    if not required:
        evaluation.check(
            "ordinary_assistance",
            True,
            f"{en} (informative only: {ORDINARY_FIRST} = 0)",
            f"{zh}（仅供参考）",
            POLICY_2019,
        )
        return
    needed = evaluation.outcome is not False
    evaluation.check(
        "ordinary_assistance",
        considered,
        en,
        zh,
        POLICY_2019,
        missing="ordinary_assistance_considered" if needed else None,
    )


def _same_incident(case: AssistanceCase, other: AssistanceCase) -> bool:
    return (
        other.case_id != case.case_id
        and other.applicant == case.applicant
        and other.incident_on == case.incident_on
        and other.cause is case.cause
    )


def _one_per_incident(evaluation: Evaluation, application: HardshipApplication) -> None:
    case = application.case
    on = evaluation.on
    approved = [
        other.case_id
        for other in application.earlier_cases
        if _same_incident(case, other) and other.status_on(on) in COUNTED_STATUSES
    ]
    incident = f"{case.incident_on} ({case.cause.value})"
    evaluation.check(
        "one_per_incident",
        not approved,
        f"no other approved case for the incident of {incident}"
        if not approved
        else f"already approved for the incident of {incident}: {', '.join(approved)}",
        f"同一事项（{case.incident_on}，{case.cause.label_zh}）无其他已批准案件"
        if not approved
        else f"同一事项已批准（一事一批）：{'、'.join(approved)}",
        POLICY_2019,
    )


def _failed(evaluation: Evaluation) -> bool:
    return evaluation.outcome is False


def decide(application: HardshipApplication, evaluation: Evaluation) -> Decision:
    """Whether ``application`` qualifies for hardship assistance, and up to how much."""
    case = application.case
    applicant = application.applicant
    on = evaluation.on
    applied_on = case.applied_on
    evaluation.check(
        "application",
        on >= applied_on,
        f"case {case.case_id} of {applicant.resident_id.masked}, applied on {applied_on}"
        + ("" if on >= applied_on else ": no application yet on the date"),
        f"案件{case.case_id}，{applied_on}申请" + ("" if on >= applied_on else "，当日尚未申请"),
        POLICY_2019,
    )
    in_force = applied_on >= POLICY
    evaluation.check(
        "policy.in_force",
        in_force,
        f"applied on {applied_on}, on or after 2019-10-09 when the policy took effect"
        if in_force
        else f"applied on {applied_on}, before the policy took effect on 2019-10-09",
        f"{applied_on}申请，政策已施行（2019年10月9日起）"
        if in_force
        else f"{applied_on}申请，早于政策施行日期（2019年10月9日）",
        POLICY_2019,
    )
    if _failed(evaluation):
        return evaluation.decide(eligible=False)
    _group(evaluation, applicant, applied_on)
    person = applicant.person
    alive = person.alive_on(applied_on)
    evaluation.check(
        "person.alive",
        alive,
        "alive when applying" if alive else f"died on {person.died_on}, before applying",
        "申请时在世" if alive else f"已于{person.died_on}去世",
    )
    _sanctions(evaluation, applicant, applied_on)
    evaluation.check(
        "cause",
        True,
        f"a trigger of the policy: {case.cause.value}, incident on {case.incident_on}",
        f"帮扶援助情形：{case.cause.label_zh}（{case.incident_on}）",
        POLICY_2019,
    )
    _one_per_incident(evaluation, application)
    if _failed(evaluation):
        return evaluation.decide(eligible=False)
    considered = application.ordinary_assistance_considered
    days = (applied_on - case.incident_on).days
    required: bool | None = None
    if considered is False:
        # Known not considered: where that is required, it settles the case below and the
        # window is only named (when known).
        window = evaluation.param_or_none(WINDOW, on=applied_on)
        if window is None:
            required = evaluation.flag(ORDINARY_FIRST, True, on=applied_on)
            if not required:
                window = evaluation.param(WINDOW, on=applied_on)  # needed after all: raises
    else:
        window = evaluation.param(WINDOW, on=applied_on)
    if window is None:
        evaluation.check(
            "application_window",
            None,
            f"applied {days} days after the incident (window not known for the date; not "
            "needed: ordinary social assistance comes first)",
            f"事发后第{days}日申请（期限未确认；无需补充：应优先落实社会救助）",
            POLICY_2019,
        )
    else:
        evaluation.check(
            "application_window",
            days <= window,
            f"applied {days} days after the incident (window: {window} days)",
            f"事发后第{days}日申请（期限{window}日）",
            POLICY_2019,
        )
    # Last among the conditions, so that an unknown answer is named missing only when
    # nothing else has already decided the case.
    _ordinary_assistance(evaluation, considered, applied_on, required=required)
    if _failed(evaluation):
        return evaluation.decide(eligible=False)
    cap = evaluation.param(CAP, on=applied_on)
    requested = case.requested_amount
    if requested is None:
        amount = evaluation.parameter(CAP).round(cap)
        en = f"no amount requested: up to the cap of {cap} yuan"
        zh = f"未申请具体金额：以单次上限{cap}元为限"
    else:
        amount = evaluation.parameter(CAP).round(min(requested, cap))
        capped = requested > cap
        en = f"requested {requested} yuan" + (f", capped at {cap}" if capped else f" (cap {cap})")
        zh = f"申请{requested}元" + (f"，以上限{cap}元为限" if capped else f"（上限{cap}元）")
    evaluation.check("amount", True, en, zh, POLICY_2019)
    evaluation.component("assistance", "一次性帮扶援助金", amount, Period.ONCE)
    return evaluation.decide(amount=amount)


RULE = Rule(
    name="hardship_assistance",
    label_zh="困难帮扶援助",
    label_en="hardship assistance",
    subjects=(HardshipApplication,),
    basis=(POLICY_2019, LAW_2021, REGULATION_2024_ART_38),
    decide=decide,
)


# --- approval --------------------------------------------------------------------------------


class ApprovalRefused(VeteranAffairsError, ValueError):
    """County approval of a hardship case was refused (不予审批).

    Attributes:
        case_id: the case.
        outcome: the decision's outcome (``"eligible"``, ``"not eligible"``, ``"undetermined"``).
        amount: the amount asked to approve.
        cap: the cap the decision used (``None`` when it used none).
    """

    reason = "approval refused"
    reason_zh = "不予审批"

    def __init__(
        self, case_id: str, outcome: str, amount: Decimal, cap: Decimal | None = None
    ) -> None:
        self.case_id = case_id
        self.outcome = outcome
        self.amount = amount
        self.cap = cap
        super().__init__(
            f"assistance case {case_id}: cannot approve {amount} yuan: {self.reason} "
            f"({self.reason_zh}); decision {outcome}, cap {cap}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.case_id, self.outcome, self.amount, self.cap))


class NotEligible(ApprovalRefused):
    """The decision is not eligible, or undetermined (不符合条件或缺少信息)."""

    reason = "the decision is not eligible"
    reason_zh = "不符合帮扶援助条件"


class AmountAboveCap(ApprovalRefused):
    """The amount exceeds the cap per approval (超过单次援助金额上限)."""

    reason = "the amount is above the cap"
    reason_zh = "超过单次援助金额上限"


class DecisionMismatch(ApprovalRefused):
    """The decision is of another rule or another case (决定与案件不符)."""

    reason = "the decision is not this rule's decision for this case"
    reason_zh = "决定与案件不符"


def _identifies(decision: Decision, application: HardshipApplication) -> bool:
    case = application.case
    lead = f"case {case.case_id} of {application.applicant.resident_id.masked},"
    return decision.rule == RULE.name and any(
        r.code == "application" and r.message_en.startswith(lead) for r in decision.reasons
    )


def approve(
    application: HardshipApplication,
    decision: Decision | None = None,
    *,
    on: dt.date,
    actor: str,
    amount: Decimal | str | int,
    funding: tuple[FundingAllocation, ...] = (),
    note: str | None = None,
    book: RuleBook | None = None,
) -> AssistanceCase:
    """County approval (县级审批) of the application's case, guarded by the rule's decision.

    Give this rule's ``decision`` for the application, or a ``book`` (a ``RuleBook``) to decide
    it on ``on``. The case moves to county approval with ``amount`` and ``funding`` only if
    the decision is for this case, is eligible, and ``amount`` is within the cap it used.

    Raises:
        DecisionMismatch: the decision is of another rule or another case.
        NotEligible: the decision is not eligible or undetermined.
        AmountAboveCap: ``amount`` is above the cap.
        IllegalTransition: the case is not at township review (乡镇审核).
        TypeError: neither a decision nor a book was given.
    """
    case = application.case
    granted = yuan(amount, field="amount")
    if decision is None:
        if book is None:
            raise TypeError("approve() needs a decision or a rule book")
        decision = book.evaluate(RULE.name, application, on=on)
    if not _identifies(decision, application):
        raise DecisionMismatch(case.case_id, decision.outcome, granted)
    caps = [use.value for use in decision.parameters if use.key == CAP]
    cap = caps[-1] if caps else None
    if decision.eligible is not True or cap is None:
        raise NotEligible(case.case_id, decision.outcome, granted, cap)
    if granted > cap:
        raise AmountAboveCap(case.case_id, decision.outcome, granted, cap)
    return case.approve(on=on, actor=actor, amount=granted, funding=funding, note=note)


# --- funding ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FundingSummary:
    """The money of approved cases by funding source (资金来源汇总).

    ``total`` is the sum of the approved amounts; ``by_source`` (every source, zero where
    unused) plus ``unallocated`` (approved money no source was recorded for) add up to it.
    ``cases`` counts the cases and ``applicants`` the different people (人次 vs 人数).
    """

    by_source: Mapping[FundingSource, Decimal]
    unallocated: Decimal
    total: Decimal
    cases: int
    applicants: int


def _counted(
    cases: Iterable[AssistanceCase], statuses: Collection[CaseStatus], on: dt.date | None
) -> list[AssistanceCase]:
    return [
        case
        for case in cases
        if (case.status if on is None else case.status_on(on)) in statuses
        and case.approved_amount is not None
    ]


def funding_summary(
    cases: Iterable[AssistanceCase],
    *,
    statuses: Collection[CaseStatus] = COUNTED_STATUSES,
    on: dt.date | None = None,
) -> FundingSummary:
    """Add up the approved cases by source: ``statuses`` on ``on`` (default: current status)."""
    by_source = dict.fromkeys(FundingSource, Decimal("0.00"))
    total = Decimal("0.00")
    counted = _counted(cases, statuses, on)
    for case in counted:
        assert case.approved_amount is not None
        total += case.approved_amount
        for allocation in case.funding:
            by_source[allocation.source] += allocation.amount
    allocated = sum(by_source.values(), Decimal("0.00"))
    return FundingSummary(
        by_source=MappingProxyType({s: round_fen(a) for s, a in by_source.items()}),
        unallocated=round_fen(total - allocated),
        total=round_fen(total),
        cases=len(counted),
        applicants=len({case.applicant for case in counted}),
    )


def funding_totals(
    cases: Iterable[AssistanceCase],
    *,
    statuses: Collection[CaseStatus] = COUNTED_STATUSES,
    on: dt.date | None = None,
) -> dict[FundingSource, Decimal]:
    """The approved money by funding source (every source, zero where unused).

    The part of an approved amount with no recorded source is not in any entry: see
    :func:`funding_summary` for it and for the total.
    """
    return dict(funding_summary(cases, statuses=statuses, on=on).by_source)
