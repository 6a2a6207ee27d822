"""Sphinx configuration for the veteran_affairs documentation (MyST Markdown, furo theme).

Build with ``make docs`` (warnings are errors). No extension here needs the network:
intersphinx is deliberately left out.
"""

from __future__ import annotations

import sys
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.ext import napoleon

ROOT = Path(__file__).resolve().parent.parent
# Document this checkout, even if another copy of the package is installed.
sys.path.insert(0, str(ROOT / "src"))

# Sphinx repr()s the arguments of every event it emits, for its debug log; for the strategy
# objects of veteran_affairs.testing.strategies hypothesis then warns that the repr is large.
# That is a runtime warning about a log line nobody reads, not a problem in the docs.
warnings.filterwarnings("ignore", message=r"Generating overly large repr")

# -- project ---------------------------------------------------------------------------------

project = "veteran_affairs"
author = "veteran_affairs developers"
copyright = "veteran_affairs developers"
try:
    release = metadata.version("veteran_affairs")
except metadata.PackageNotFoundError:  # building from a checkout that is not installed
    release = "0.1.0.dev0"
version = release
language = "en"

# -- general ---------------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
nitpicky = False

# -- MyST ------------------------------------------------------------------------------------

myst_enable_extensions = [
    "colon_fence",
    "deflist",
    "fieldlist",
    "smartquotes",
    "substitution",
]
myst_heading_anchors = 3

# -- autodoc and napoleon (Google style) -----------------------------------------------------

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"
autodoc_preserve_defaults = False  # attrs-generated __init__: show the values
autodoc_default_options = {
    "members": True,
    "undoc-members": True,  # attrs fields and enum members carry no docstring of their own
    "show-inheritance": True,
}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_include_init_with_doc = False
napoleon_use_rtype = False
napoleon_use_ivar = True  # "Attributes:" as fields, so attrs fields are not described twice

# -- HTML ------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"veteran_affairs {release}"
html_static_path: list[str] = []


# -- napoleon and one-line attribute docstrings ------------------------------------------------
#
# For attributes, data and properties, napoleon reads a first line such as
# "Odd sequence number: male; even: female" as "<type>: <description>" and renders the text
# before the colon as the type. This library's types come from annotations and its one-line
# docstrings use colons as prose, so napoleon reads those docstrings like a function's instead.
_INLINE_TYPED = frozenset({"attribute", "data", "property"})


def _napoleon_prose_first_line(
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    napoleon._process_docstring(  # the handler napoleon registers for this event
        app, "function" if what in _INLINE_TYPED else what, name, obj, options, lines
    )


def setup(app: Sphinx) -> None:
    """Put :func:`_napoleon_prose_first_line` in the place of napoleon's own handler."""
    event = "autodoc-process-docstring"
    for listener in list(app.events.listeners[event]):
        if listener.handler is napoleon._process_docstring:
            app.disconnect(listener.id)
            app.connect(event, _napoleon_prose_first_line, priority=listener.priority)
