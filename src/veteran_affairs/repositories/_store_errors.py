"""The errors a store raises on purpose (private; re-exported by ``veteran_affairs.repositories``).

Each inherits :class:`~veteran_affairs.errors.VeteranAffairsError` and the built-in a caller
would catch. Messages never show a full identity number: keys of persons are masked.
"""

from __future__ import annotations

from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import ResidentId, mask_id

__all__ = [
    "AlreadyExists",
    "ConcurrencyError",
    "HeldOutsideScope",
    "IncompatibleSchema",
    "NotFound",
    "OutOfScope",
    "StoreBusy",
    "StoreError",
    "UnknownRecordKind",
]


def shown_key(entity: str, key: str) -> str:
    """``key`` as a message may show it: a person's identity number is masked.

    So is the key of a record kind registered with ``personal_key=True`` (its first 6 and
    last 4 characters stay, as :func:`~veteran_affairs.identity.mask_id` does).
    """
    if entity == "person":
        try:
            return repr(ResidentId(key).masked)
        except ValueError:
            return "'***'"
    from veteran_affairs.repositories._aggregates import personal_key

    return repr(mask_id(key)) if personal_key(entity) else repr(key)


class StoreError(VeteranAffairsError):
    """Root of the errors of :mod:`veteran_affairs.repositories` (存储错误)."""


class NotFound(StoreError, LookupError):
    """No record with that key is visible to this store (未找到记录).

    A record that exists but lies outside a scoped store's subtree is not visible either.

    Attributes:
        entity: what was looked for (``"person"``, ``"station"`` …).
        key: the key asked for (unmasked; the message masks a person's).
    """

    def __init__(self, entity: str, key: str) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"{entity} {shown_key(entity, key)} not found (未找到记录)")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.entity, self.key))


class AlreadyExists(StoreError, ValueError):
    """``add`` was given a key that is already stored (记录已存在): use ``update``.

    Attributes:
        entity: the kind of record.
        key: the key given to ``add`` (unmasked; the message masks a person's).
    """

    def __init__(self, entity: str, key: str) -> None:
        self.entity = entity
        self.key = key
        super().__init__(self._message())

    def _message(self) -> str:
        return f"{self.entity} {shown_key(self.entity, self.key)} already exists (记录已存在)"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.entity, self.key))


class HeldOutsideScope(AlreadyExists):
    """A scoped store's ``add`` met a key held outside its scope (编号已被管辖范围外的记录使用).

    Keys are unique nationally, so the record cannot be added; but the record holding the key
    is not this scope's to see. This error tells only that much: not the unit that holds the
    key, not its version, nothing of its data — the same as the store's reads, for which the
    key is :class:`NotFound` and ``exists`` is false. The message masks a person's key.

    An :class:`AlreadyExists`: code that handles a key already taken needs no change. An
    unscoped store, or a key held inside the scope, raises plain :class:`AlreadyExists`.

    Attributes:
        entity: the kind of record.
        key: the key given to ``add`` (the caller's own; the message masks a person's).
    """

    def _message(self) -> str:
        return (
            f"{self.entity} {shown_key(self.entity, self.key)} is held by a record outside "
            "this store's scope (编号已被管辖范围外的记录使用)"
        )


def key_taken(entity: str, key: str, *, visible: bool) -> AlreadyExists:
    """The error of an ``add`` of a taken key: :class:`HeldOutsideScope` unless ``visible``.

    ``visible``: whether the store's scope sees the record that holds the key.
    """
    return AlreadyExists(entity, key) if visible else HeldOutsideScope(entity, key)


class ConcurrencyError(StoreError, RuntimeError):
    """A write carried a version that is no longer current (并发修改冲突).

    Someone else changed (or removed) the record after it was read; nothing was written, so
    their change is not lost. Read the record again and redo the change.

    Attributes:
        entity: the kind of record.
        key: its key (unmasked; the message masks a person's).
        expected: the version the caller read.
        actual: the version stored now (``None``: removed meanwhile, or unknown).
    """

    def __init__(self, entity: str, key: str, expected: int, actual: int | None) -> None:
        self.entity = entity
        self.key = key
        self.expected = expected
        self.actual = actual
        now = "removed" if actual is None else f"now at version {actual}"
        super().__init__(
            f"{entity} {shown_key(entity, key)}: version {expected} is stale, {now} "
            "(记录已被他人修改，请重新读取)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.entity, self.key, self.expected, self.actual))


class OutOfScope(StoreError, PermissionError):
    """A scoped store was asked to change (or scope to) a unit outside its subtree (超出管辖范围).

    A ``PermissionError``, not a ``ValueError``: the value is valid, the caller lacks the
    authority over that unit (分级管理: a township station manages its township only).

    Attributes:
        scope: the store's scope, 12 digits.
        division: the unit the write touched, 12 digits.
    """

    def __init__(self, scope: str, division: str, what: str = "record") -> None:
        self.scope = scope
        self.division = division
        self.what = what
        super().__init__(f"{what} in {division} lies outside the scope {scope} (超出管辖范围)")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.scope, self.division, self.what))


class IncompatibleSchema(StoreError, RuntimeError):
    """A database was written by a newer version of the schema than this library knows (数据库版本过新)."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"database schema version {found} is newer than {known}, the latest this "
            "library knows: upgrade veteran_affairs (数据库版本高于本库支持的版本)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.found, self.known))


class StoreBusy(StoreError, TimeoutError):
    """Another connection held the database's write lock longer than the timeout (数据库忙).

    Nothing of the attempted write was done; try again later, or give the store a longer
    ``timeout``. A ``TimeoutError``: the store waited and gave up.

    Attributes:
        path: the database file.
        timeout: the seconds waited.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        super().__init__(
            f"the database {path} stayed locked by another writer for {timeout:g} s "
            "(数据库正被其他连接写入，请稍后重试)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.timeout))


class UnknownRecordKind(StoreError, LookupError):
    """No record kind is registered for that class or name (未注册的记录类型).

    Register the kind first with
    :func:`~veteran_affairs.repositories.records.register_record_kind`.

    Attributes:
        kind: the class name or kind name asked for.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(
            f"no record kind {kind!r} is registered: register it with register_record_kind "
            "(未注册的记录类型)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.kind,))
