"""Optional extras imported when first needed (private; shared by the columnar modules)."""

from __future__ import annotations

from typing import Any


def numpy_for(what: str) -> Any:
    """numpy, or an ImportError that says ``what`` needs it and which extra installs it.

    ``what`` opens the message: "the columnar reports (veteran_affairs.hierarchy.columnar)
    need numpy".
    """
    try:
        import numpy
    except ImportError as error:  # pragma: no cover - exercised only without numpy
        raise ImportError(
            f"{what}; install the 'batch' extra: pip install 'veteran_affairs[batch]'"
        ) from error
    return numpy
