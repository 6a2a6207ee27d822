"""Rewrite the generated parts of docs/parameters.md from the bundled parameter files.

The page checks itself against the files (its last code block runs with the documentation
tests). After editing a bundled parameter file (``national.toml`` or ``guangxi.toml`` in
``src/veteran_affairs/data/jurisdictions/<profile>/``), run this script to render every
parameter's section and summary row again with that block's own functions, then read the
diff: prose around the tables is not touched.

    python scripts/render_parameters_doc.py
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PAGE = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"


def main() -> None:
    page = PAGE.read_text(encoding="utf-8")
    code = page.rsplit("```python", 1)[1].split("```", 1)[0]
    code = code.split("# This page, found from")[0]  # the functions, not the check itself
    scope: dict[str, Any] = {}
    exec(compile(code, str(PAGE), "exec"), scope)  # our own page's code
    for jurisdiction, suffix in scope["HEADING_SUFFIX"].items():
        previous = None
        for parameter in scope["defined_in"](jurisdiction).values():
            section = scope["section"](parameter, suffix).rstrip("\n") + "\n\n"
            row = scope["summary_row"](parameter) + "\n"
            start, end = _span(page, f"### `{parameter.key}`{suffix}\n")
            if start < 0:  # a new parameter: after the previous one's section and row
                assert previous is not None, f"place the first section of {jurisdiction} by hand"
                start = end = _span(page, f"### `{previous.key}`{suffix}\n")[1]
            page = page[:start] + section + page[end:]
            old_row = re.search(
                rf"^\| `{re.escape(parameter.key)}` \| {re.escape(parameter.label_zh)} .*\n",
                page,
                flags=re.MULTILINE,
            )
            if old_row is None:
                assert previous is not None
                after = re.search(
                    rf"^\| `{re.escape(previous.key)}` \| {re.escape(previous.label_zh)} .*\n",
                    page,
                    flags=re.MULTILINE,
                )
                assert after is not None
                page = page[: after.end()] + row + page[after.end() :]
            else:
                page = page[: old_row.start()] + row + page[old_row.end() :]
            previous = parameter
    PAGE.write_text(page, encoding="utf-8")


def _span(page: str, heading: str) -> tuple[int, int]:
    """Where the section under ``heading`` starts and ends (-1, -1 when absent)."""
    start = page.find(heading)
    if start < 0:
        return -1, -1
    ends = [i + 1 for i in (page.find("\n### ", start), page.find("\n## ", start)) if i >= 0]
    return start, min(ends)


if __name__ == "__main__":
    main()
