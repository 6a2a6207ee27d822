"""One exception hierarchy for the whole library, rooted at :class:`VeteranAffairsError`.

Every specific error also inherits the built-in exception a caller would naturally catch
(``ValueError`` for bad values, ``LookupError`` for things not found), so code that knows
nothing of this library still handles them sensibly.

Validation errors name the field and the offending value. A value in the wrong place may be
anyone's identity number, phone number or name, so every value an error quotes goes through
:func:`veteran_affairs.identity.shown_value`, whatever the field: long numbers and names are
masked, and a date beside an identity number keeps only its year (``docs/privacy.md``). An
error can be logged as it is.

>>> try:
...     raise InvalidResidentId("resident_id", "110105********002Y", "check character mismatch",
...                             "校验码不符")
... except ValueError as error:
...     print(error)
resident_id='110105********002Y': check character mismatch (校验码不符)
>>> print(InvalidValue("hukou_type", "45031219800101123X", "unknown type", "无法识别"))
hukou_type='450312********123X': unknown type (无法识别)
"""

from __future__ import annotations

__all__ = [
    "IllegalTransition",
    "InconsistentRecord",
    "InvalidAmount",
    "InvalidDivisionCode",
    "InvalidResidentId",
    "InvalidValue",
    "OrphanDivisions",
    "ParameterError",
    "ParameterMissing",
    "ParameterNotInForce",
    "ParameterOutOfDate",
    "UnknownDivision",
    "UnknownJurisdiction",
    "UnknownRule",
    "VeteranAffairsError",
    "WrongSubject",
]


def __dir__() -> list[str]:
    return __all__


class VeteranAffairsError(Exception):
    """Root of every error this library raises on purpose."""


def _shown(value: str) -> str:
    """``value`` as a message may quote it (masked: see ``identity.shown_value``)."""
    # identity imports this module for its errors, so it is imported when first needed.
    from veteran_affairs.identity import shown_value

    return shown_value(value)


class InvalidValue(VeteranAffairsError, ValueError):
    """A value failed validation (值无效).

    Attributes:
        field: the name of the field (or argument) that was checked.
        value: the offending value as text, as :func:`~veteran_affairs.identity.shown_value`
            shows it: what may be personal (long numbers, names) is masked, whatever the
            field, and the value is cut to 48 characters.
        reason: what is wrong, in English.
        reason_zh: what is wrong, in Chinese (zh-CN).
    """

    def __init__(self, field: str, value: object, reason: str, reason_zh: str = "") -> None:
        self.field = field
        self.value = _shown(value if isinstance(value, str) else repr(value))
        self.reason = reason
        self.reason_zh = reason_zh
        super().__init__(self._message())

    def _message(self) -> str:
        zh = f" ({self.reason_zh})" if self.reason_zh else ""
        return f"{self.field}={self.value!r}: {self.reason}{zh}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.value, self.reason, self.reason_zh))


class InvalidResidentId(InvalidValue):
    """A citizen identity number (公民身份号码, GB 11643) is malformed or fails its check."""


class InvalidDivisionCode(InvalidValue):
    """An administrative division code (行政区划代码 / 统计用区划代码) is malformed."""


class InvalidAmount(InvalidValue):
    """A money amount (金额) is not a valid yuan amount (floats are refused on purpose)."""


class InconsistentRecord(InvalidValue):
    """Fields that are each valid contradict one another (字段之间相互矛盾).

    ``field`` names every field involved, joined by ``/`` (``"enlisted_on/discharged_on"``).
    """


class IllegalTransition(VeteranAffairsError, ValueError):
    """A state machine was asked for a step its current state does not allow (非法状态变更)."""

    def __init__(self, entity: str, current: str, requested: str, reason: str = "") -> None:
        self.entity = entity
        self.current = current
        self.requested = requested
        self.reason = reason
        detail = f": {reason}" if reason else ""
        super().__init__(
            f"{entity}: cannot go from {current!r} to {requested!r} (不允许的状态变更){detail}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.entity, self.current, self.requested, self.reason))


class UnknownDivision(VeteranAffairsError, LookupError):
    """A division code is well formed but absent from the data consulted (未知行政区划)."""

    def __init__(self, code: str, where: str = "bundled division data") -> None:
        self.code = code
        self.where = where
        super().__init__(f"division {_shown(code)} is not in the {where} (未找到该行政区划)")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.code, self.where))


class OrphanDivisions(VeteranAffairsError, ValueError):
    """Units whose parent is missing from a division tree (上级行政区划缺失).

    Attributes:
        codes: the orphaned unit codes, sorted (12 digits each).
    """

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.codes = codes
        shown = ", ".join(codes[:20]) + (f" … ({len(codes)} in all)" if len(codes) > 20 else "")
        super().__init__(f"{len(codes)} unit(s) have no parent in the tree (上级单位缺失): {shown}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.codes,))


class ParameterError(VeteranAffairsError, LookupError):
    """A legal parameter has no usable value for the date asked (参数不可用).

    Attributes:
        key: the parameter's key (``"disability_pension.annual_standard"``).
        on: the date asked for, ISO text.
    """

    def __init__(self, key: str, on: str, message: str) -> None:
        self.key = key
        self.on = on
        self.detail = message
        super().__init__(f"parameter {key!r} on {on}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.key, self.on, self.detail))


class ParameterNotInForce(ParameterError):
    """The date lies before the first version of the parameter (尚未施行)."""


class ParameterOutOfDate(ParameterError):
    """The date lies after the last date the bundled value is known to hold (数据未确认).

    Supply a newer version with ``RuleBook.with_parameters`` or opt in to stale values.
    """


class ParameterMissing(ParameterError):
    """No value is known (none bundled, or not for that cell or period): supply it (缺少参数)."""


class UnknownRule(VeteranAffairsError, LookupError):
    """No rule of that name in the rule book (未知规则)."""

    def __init__(self, name: str, known: tuple[str, ...] = ()) -> None:
        self.name = name
        self.known = known
        listed = f"; known rules: {', '.join(known)}" if known else ""
        super().__init__(f"no rule named {_shown(name)!r} (未知规则){listed}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.known))


class UnknownJurisdiction(VeteranAffairsError, LookupError):
    """No usable jurisdiction profile of that name or at that path (未知辖区).

    Raised for a name found in no profile folder, and for a profile folder that is incomplete
    or wrong (no manifest, a manifest naming a missing file, a field of the wrong kind);
    ``problem`` then says what is wrong (``veteran_affairs.jurisdictions``).

    Attributes:
        name: the name or path looked for.
        known: the names of the bundled profiles.
        searched: the folders searched before the bundled ones (the search path), if any.
        problem: what is wrong with the profile found; ``""`` when none was found.
    """

    def __init__(
        self,
        name: str,
        known: tuple[str, ...] = (),
        searched: tuple[str, ...] = (),
        problem: str = "",
    ) -> None:
        self.name = name
        self.known = known
        self.searched = searched
        self.problem = problem
        if problem:
            message = f"jurisdiction {_shown(name)!r} is incomplete (辖区配置不完整): {problem}"
        else:
            listed = f"; bundled: {', '.join(known)}" if known else ""
            where = f"; searched first: {', '.join(searched)}" if searched else ""
            message = f"no jurisdiction named {_shown(name)!r} (未知辖区){listed}{where}"
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.known, self.searched, self.problem))


class WrongSubject(VeteranAffairsError, TypeError):
    """A rule was given a subject of a kind it does not decide on (对象类型不适用)."""

    def __init__(self, rule: str, got: str, expected: str) -> None:
        self.rule = rule
        self.got = got
        self.expected = expected
        super().__init__(f"rule {rule!r} decides on {expected}, not {got} (对象类型不适用)")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.rule, self.got, self.expected))
