"""The package's layout rules (issue 20, "names and boundaries").

* No two modules share a name in different places: ``batch.py`` beside ``rules/batch.py``,
  or ``_people.py`` beside ``people.py``, make a reader open the wrong file. Names are
  compared without a leading underscore and without a plural ``s``.
* A private module (``a/b/_c.py``) belongs to its package: only modules inside ``a.b`` (its
  own package and the packages below it) import it. Everything else goes through a public
  module.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import veteran_affairs

_ROOT = Path(veteran_affairs.__file__).parent


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(_ROOT.rglob("*.py")):
        parts = path.relative_to(_ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _stem(name: str) -> str:
    stem = name.rsplit(".", 1)[-1].lstrip("_")
    if stem.endswith("ies"):
        return stem[:-3] + "y"
    return stem[:-1] if stem.endswith("s") else stem


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("veteran_affairs")}


def _private_owner(name: str) -> str | None:
    """The package a private module belongs to, or None for a public module."""
    parts = name.split(".")
    for index, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:index])
    return None


def test_no_two_modules_share_a_name() -> None:
    by_stem: dict[str, list[str]] = defaultdict(list)
    for module, path in _modules().items():
        if path.name != "__init__.py" and module != "veteran_affairs.__main__":
            by_stem[_stem(module)].append(module)
    assert {} == {stem: names for stem, names in by_stem.items() if len(names) > 1}


def test_no_private_module_is_imported_across_packages() -> None:
    modules = _modules()
    crossing = []
    for module, path in modules.items():
        own = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for imported in _imports(module, path):
            owner = _private_owner(imported)
            if owner is None or imported not in modules:
                continue
            if not (own == owner or own.startswith(owner + ".")):
                crossing.append(f"{module} imports {imported}")
    known: list[str] = []
    assert known == sorted(crossing)


def test_the_checks_see_what_they_look_for() -> None:
    """The two checks above can fail: they see a planted duplicate and a planted crossing."""
    assert _stem("veteran_affairs.rosters._people") == _stem("veteran_affairs.models.people")
    assert _stem("veteran_affairs.synthetic._activities") == _stem(
        "veteran_affairs.models.activity"
    )
    assert "veteran_affairs.models" == _private_owner("veteran_affairs.models._validate")
    assert _private_owner("veteran_affairs.models.people") is None
    imports = _imports(
        "veteran_affairs.casework.legacy",
        modules_path := _modules()["veteran_affairs.casework.legacy"],
    )
    assert all(name.startswith("veteran_affairs") for name in imports)
    assert modules_path.exists()
