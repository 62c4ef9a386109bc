"""Sphinx configuration of portinfo's documentation site.

Build it with ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (the
``docs`` extra: ``pip install -e '.[docs]'``). The pages are Markdown (MyST); the API
reference is autodoc over the records' docstrings; the theme is furo. Nothing is fetched:
the build works offline, and every cross-reference must resolve (``nitpicky``).
"""

from __future__ import annotations

import builtins
import enum
import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
    from sphinx.application import Sphinx
    from sphinx.domains.python import PythonDomain
    from sphinx.environment import BuildEnvironment

# The checkout's own package, whether or not it is installed (and the extension with it).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sphinx import addnodes
from sphinx.util import logging

import portinfo  # from the path just set

logger = logging.getLogger(__name__)

project = "portinfo"
author = "The portinfo developers"
copyright = "The portinfo developers"  # the name Sphinx reads
release = portinfo.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "portinfo.sphinx"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# Markdown: headings get anchors for links such as data.md#refreshing-the-data.
myst_heading_anchors = 3

# Every reference must resolve. The only exceptions are types that live outside this
# project and that an offline build cannot link to (no intersphinx).
nitpicky = True
nitpick_ignore = [
    # The standard library's types, which only intersphinx could link to.
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "os.PathLike"),
]
# Private aliases in signatures, written out (``StrPath`` is portinfo._registry's).
SIGNATURE_ALIASES = {
    "StrPath": "str | os.PathLike[str]",
    "Family": "Literal['ipv4', 'ipv6']",
    "Format": "Literal['text', 'markdown', 'json']",
    "Field": "Literal['service', 'description', 'range', 'use']",
    "Errors": "Literal['raise', 'coerce']",
    "Avoid": "str | tuple[int | str, int | str]",
}

# The API reference lists a class's members in the order of its source, fields first.
autodoc_member_order = "bysource"

html_theme = "furo"
html_title = f"portinfo {release}"


def write_out_aliases(
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None]:
    """Write out the private aliases of ``SIGNATURE_ALIASES`` in a signature; drop an enum's."""

    def written_out(text: str | None) -> str | None:
        if text is None:
            return None
        for alias, meaning in SIGNATURE_ALIASES.items():
            text = re.sub(rf"\b{alias}\b", meaning, text)
        return text

    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        return "", None  # not "(value)": an enum is used by its members, never called
    return written_out(signature), written_out(return_annotation)


def link_builtins_to_nothing(app: Sphinx, doctree: nodes.document) -> None:
    """Keep a built-in type in a signature from linking to a field of the same name.

    Sphinx looks a type up by its last name anywhere ("fuzzy"), so a ``range`` in a
    signature would link to the field ``PortInfo.range``. A built-in class is left unlinked
    instead, as Sphinx does with one it finds nowhere.
    """
    for node in list(doctree.findall(addnodes.pending_xref)):
        target = node.get("reftarget", "")
        if (
            node.get("refdomain") == "py"
            and node.get("reftype") in ("class", "obj")
            and inspect.isclass(getattr(builtins, target, None))
        ):
            node.replace_self(node.children)


def check_every_public_name_is_documented(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn (an error under ``-W``) for a name of ``portinfo.__all__`` the API page lacks."""
    documented = cast("PythonDomain", env.get_domain("py")).objects
    for name in portinfo.__all__:
        if f"portinfo.{name}" not in documented:
            logger.warning(
                "portinfo.%s is public but the API reference does not document it",
                name,
                location=("api", None),
            )


def document_where_defined() -> None:
    """Give each public class back the module that defines it, for this build only.

    portinfo shows its classes as ``portinfo.PortInfo`` (their ``__module__``), the name
    users import; autodoc reads a class's field and member docstrings from the source of
    its ``__module__``, which is the defining one. The pages still name them
    ``portinfo.X``: they document them under ``currentmodule portinfo``.
    """
    for info in pkgutil.iter_modules(portinfo.__path__, "portinfo."):
        module = importlib.import_module(info.name)
        source = inspect.getsource(module)
        for value in vars(module).values():
            public = isinstance(value, type) and value.__module__ == "portinfo"
            defined = public and re.search(rf"^class {value.__name__}\b", source, re.M)
            if defined and getattr(portinfo, value.__name__, None) is value:
                value.__module__ = info.name


def setup(app: Sphinx) -> None:
    document_where_defined()
    app.connect("autodoc-process-signature", write_out_aliases)
    app.connect("doctree-read", link_builtins_to_nothing)
    app.connect("env-check-consistency", check_every_public_name_is_documented)
