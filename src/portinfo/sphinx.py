"""The Sphinx extension: port numbers in documentation, named and explained by portinfo.

``extensions = ["portinfo.sphinx"]`` in a project's ``conf.py`` adds the role ``port``
(``:port:`443/tcp``` in reStructuredText, ``{port}`443/tcp``` in MyST), which renders
"443/tcp (https)" with a tooltip that says what the port is (IANA's description, and the
observed use people find there where the summary puts one forward) and a link to IANA's
registry; an explicit title, ``{port}`Quill API <8200/tcp>```, is the text instead, and
the tooltip starts with the port's label. The directive ``port-table`` renders a table of
ports with their protocols, names, ranges and descriptions, captioned with the date of the
data; a line may give the product's own label after the port (``8200/tcp  Quill API``),
shown in a column of its own. Both take a port (``2039``), a port and protocol
(``443/tcp``) or any name :func:`portinfo.resolve` knows (``https``, ``postgres``).

A port that nothing names is a fact: it renders as "47999/tcp (unassigned)". Only what
portinfo cannot read (a port out of range, a protocol that is none, a name no source knows)
is a build warning, at the line of the role or of the table's entry (type ``portinfo``,
subtype ``port``, so that ``suppress_warnings = ["portinfo.port"]`` silences it), never an
error, and is shown as written. Titles and labels are text, never markup.

``portinfo_local = ["ports.toml"]`` in ``conf.py`` (paths relative to its directory) names
local files of the product's own services, whose names, titles and links both then show
first (see the page "Your own ports"); unset, the default registry answers. Neither keeps
state beyond the document being read and the registry of those files (read once per
process, and again when one changes), so Sphinx may read and write in parallel.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

import attrs

# docutils ships no types; types-docutils has them. Checked either way, with or without it.
from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import directives  # type: ignore[import-untyped, unused-ignore]
from docutils.statemachine import StateMachine  # type: ignore[import-untyped, unused-ignore]
from docutils.utils import unescape  # type: ignore[import-untyped, unused-ignore]
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import split_explicit_title

import portinfo
from portinfo import PortRange, Protocol, Registry, Source, Status
from portinfo._api import registry_or_default
from portinfo._enums import in_order
from portinfo._manifest import dated_iana
from portinfo._records import uses_aside, uses_beside
from portinfo._text import port_spans
from portinfo._validate import parse_protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from docutils.parsers.rst.states import Inliner  # type: ignore[import-untyped, unused-ignore]
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

    from portinfo import Alias, LocalService, PortInfo

__all__ = [
    "IANA_SEARCH",
    "PortEntry",
    "PortRole",
    "PortTable",
    "UnknownPortError",
    "describe",
    "setup",
]

IANA_SEARCH = (
    "https://www.iana.org/assignments/service-names-port-numbers/"
    "service-names-port-numbers.xhtml?search={}"
)
"""The IANA registry's search page; ``{}`` takes a port number or a service name."""

_logger = logging.getLogger(__name__)
_NAMED_BY = {Source.SERVICES: "the services file", Source.NMAP: "Nmap", Source.IANA: "IANA"}
# What describe() turns into a warning: portinfo's own errors (an unknown name, a port out
# of range, a protocol that is not one of the four) and a wrong type in between.
_NOT_A_PORT = (portinfo.PortinfoError, ValueError, TypeError)


class UnknownPortError(portinfo.PortinfoError, LookupError):
    """A name on a protocol that no source gives it, such as ``https/dccp`` (raised by
    :func:`describe`; a port that nothing names is described, not refused)."""


@attrs.frozen
class PortEntry:
    """What the role and a row of the table show of one port, port and protocol, or name."""

    text: str
    """The entry as written (stripped): ``"443/tcp"``, ``"2039"``, ``"postgres"``."""
    label: str
    """What the role renders: ``"443/tcp (https)"``, ``"2039 (prizma)"``, ``"https (443)"``,
    ``"47999/tcp (unassigned)"`` for a port that nothing names."""
    ports: str
    """The port or ports, such as ``"443"`` or ``"6000-6063"`` (empty for a name with none)."""
    protocols: str
    """The protocol written, else every protocol the name is on: ``"tcp, udp"``."""
    name: str
    """portinfo's one name of the port (:func:`portinfo.name`; empty where nothing names
    it), or the service a name stands for (``"postgresql"`` for ``"postgres"``)."""
    range: str
    """The RFC 6335 range, such as ``"System Ports"``."""
    description: str
    """What the port or name is: the tooltip. For a port, the title of the observed use
    that is what its name means (``"Microsoft Remote Desktop (RDP)"`` on 3389), else IANA's
    description, then the uses people commonly find there, as the summary tells them
    (``"...; commonly Elasticsearch REST API (unofficial)"`` on 9200); what IANA says of a
    port nothing names. For a name, IANA's description, or the observed use's title."""
    url: str
    """The IANA registry's search page for the port (or for the name, if it has no port)."""


def describe(text: str, registry: Registry | None = None) -> PortEntry:
    """What portinfo knows of ``text``: a port, ``port/protocol``, or a name (``name/protocol``),
    as ``registry`` (the default registry where ``None``) knows it.

    A port that nothing names is a fact, not an error: its label says what IANA's registry
    says of it, ``"47999/tcp (unassigned)"`` or ``"0 (reserved)"``. Raises
    :class:`~portinfo.InvalidPortError` or :class:`~portinfo.InvalidProtocolError` for
    malformed input, :class:`~portinfo.UnknownServiceError` for a name no source knows, and
    :class:`UnknownPortError` for a name on a protocol that no source gives it.
    """
    registry = registry_or_default(registry)
    written = text.strip()
    head, _, protocol = written.partition("/")
    if head.strip().isdigit():
        return _describe_port(written, registry.lookup(written))
    return _describe_name(written, head.strip(), protocol.strip() or None, registry)


def _describe_port(written: str, info: PortInfo) -> PortEntry:
    name = info.name
    if name is None:
        return _describe_unnamed(written, info)
    local = [o for o in info.local if o.name == name]  # your own, from portinfo_local
    own = [a for a in info.assignments if a.service == name and a.alias_of is None]
    # The observed uses as the summary tells them: one that is what the name means (RDP is
    # ms-wbt-server on 3389) says what it is; the common others follow it.
    same, others = uses_beside(info, name)
    named = [a for a in info.aliases if a.name == name]
    if info.protocol is not None:
        protocols: Iterable[Protocol | None] = (info.protocol,)
    elif local:
        protocols = (p for o in local for p in o.protocols)
    elif own:
        protocols = (a.protocol for a in own)
    elif named:
        protocols = (a.protocol for a in named)
    else:
        protocols = (p for u in same for p in u.protocols)
    described = [
        *(u.title for u in same),
        *(a.description for a in own),  # IANA's own record of the name
        # a record that covers the port ("any private mail system" on 24), but not the
        # "Unassigned" of a range that IANA leaves free
        *(a.description for a in info.assignments if a.status is not Status.UNASSIGNED),
        _named_by(named),
    ]
    common = uses_aside([u for u in others if u.common])  # "; commonly Elasticsearch ..."
    description = next((text for text in described if text), "")
    entry = PortEntry(
        text=written,
        label=f"{written} ({name})",
        ports=str(info.port),
        protocols=_protocols(protocols),
        name=name,
        range=info.range.title,
        description=description + common if description else common.removeprefix("; "),
        url=IANA_SEARCH.format(info.port),
    )
    return _local(entry, local) if local else entry


def _local(entry: PortEntry, local: Sequence[LocalService]) -> PortEntry:
    """``entry`` of a port or name of your own: its title (else description) as the
    tooltip, and its own page, where the local file gives one, as the link."""
    said = next((text for own in local for text in (own.title, own.description) if text), "")
    return attrs.evolve(entry, description=said, url=local[0].url or entry.url)


def _describe_unnamed(written: str, info: PortInfo) -> PortEntry:
    """A port that no source names: what IANA's registry says of it."""
    status = info.status.value
    said = [a.description for a in info.assignments if a.description.lower() != status]
    return PortEntry(
        text=written,
        label=f"{written} ({status})",
        ports=str(info.port),
        protocols=_protocols((info.protocol,)),
        name="",
        range=info.range.title,
        description=next(
            (text for text in said if text),
            f"{status.capitalize()} by IANA; no source names it",
        ),
        url=IANA_SEARCH.format(info.port),
    )


def _describe_name(written: str, name: str, protocol: str | None, registry: Registry) -> PortEntry:
    service = registry.resolve(name)
    if protocol is not None:
        number = registry.port(name, protocol)  # checks the protocol too
        if number is None:
            raise UnknownPortError(f"no source knows {name!r} on {protocol!r}")
        spans: Sequence[tuple[int, int]] = ((number, number),)
        protocols: Iterable[Protocol | None] = (parse_protocol(protocol),)
    else:
        spans, protocols = service.ports, service.protocols
    ports = port_spans(spans)
    described = [
        *(a.description for a in service.assignments),
        *(u.title for u in service.uses),
        _named_by(service.listings),
    ]
    entry = PortEntry(
        text=written,
        label=f"{written} ({ports})" if ports else written,
        ports=ports,
        protocols=_protocols(protocols),
        name=service.name,
        range=", ".join(
            r.title for r in PortRange if any(r.first <= b and a <= r.last for a, b in spans)
        ),
        description=next((text for text in described if text), ""),
        url=IANA_SEARCH.format(quote(str(spans[0][0]) if spans else service.name)),
    )
    return _local(entry, service.local) if service.local else entry


def _named_by(aliases: Iterable[Alias]) -> str:
    sources = dict.fromkeys(_NAMED_BY.get(a.source, str(a.source)) for a in aliases)
    return "named by " + " and ".join(sources) if sources else ""


def _protocols(found: Iterable[Protocol | None]) -> str:
    """The protocols in their usual order; ``None`` (a record with a blank protocol) is all."""
    return ", ".join(map(str, in_order(found)))


def _warn(error: Exception, location: str | tuple[str, int]) -> None:
    _logger.warning("%s", error, location=location, type="portinfo", subtype="port")


_SEEN = "portinfo-roles"
"""Where the role keeps, in Sphinx's scratch space for the document being read, how many
roles so far began with each text in each paragraph: so that a warning finds its own role's
line among several alike."""


class PortRole(SphinxRole):
    """``:port:`443/tcp``` renders "443/tcp (https)", linked to IANA, with a tooltip;
    ``:port:`Quill API <8200/tcp>``` renders "Quill API", with the same link, and the label
    "8200/tcp (trivnet1)" before the tooltip's text."""

    has_explicit_title: bool
    """Whether the text is ``title <target>``."""
    title: str
    """The title, or the whole text where there is none."""
    target: str
    """The port, port and protocol, or name: the target, or the whole text."""

    def __call__(
        self,
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Inliner,
        options: dict[str, Any] | None = None,
        content: Sequence[str] = (),
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # Split before unescaping, as Sphinx's own roles do: a "\<" stays text.
        self.has_explicit_title, title, target = split_explicit_title(text)
        self.title, self.target = unescape(title), unescape(target)
        return super().__call__(name, rawtext, text, lineno, inliner, options, content)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        where = self._counted()
        try:
            entry = describe(self.target, configured(self.env))
        except _NOT_A_PORT as error:
            _warn(error, _own_line(*where, encoding=self.config.source_encoding))
            return [nodes.literal(self.rawtext, self.text)], []
        text, tooltip = entry.label, entry.description
        if self.has_explicit_title:
            text = self.title
            tooltip = f"{entry.label}: {tooltip}" if tooltip else entry.label
        link = nodes.reference(
            self.rawtext, text, refuri=entry.url, reftitle=tooltip, classes=["portinfo-port"]
        )
        return [link], []

    def _counted(self) -> tuple[str, int, str, int]:
        """The source and line that Sphinx gives the role (where its paragraph begins), the
        role's first line as written, and how many roles of the paragraph began so."""
        source, first = self.get_source_info()
        # The text from its opening backquote: MyST passes rawtext as ":port:`...`".
        written = self.rawtext[self.rawtext.find("`") :].split("\n", 1)[0]
        seen: dict[tuple[str, int, str], int] | None = self.env.temp_data.get(_SEEN)
        if seen is None:
            seen = self.env.temp_data[_SEEN] = {}
        key = (source or "", first or 0, written)
        seen[key] = seen.get(key, 0) + 1
        return (*key, seen[key])


def _own_line(source: str, first: int, written: str, nth: int, *, encoding: str) -> str:
    """``source:line`` of the ``nth`` role written so in the paragraph that begins on line
    ``first`` of ``source``; its first line where the file cannot tell (a docstring)."""
    if not source:
        return f"<unknown>:{first}" if first else ""
    try:
        lines = Path(source).read_text(encoding=encoding).splitlines()
    except (OSError, UnicodeError, LookupError):
        return f"{source}:{first}"
    for number in range(max(first, 1), len(lines) + 1):
        text = lines[number - 1]
        if number > first and not text.strip():
            break  # the paragraph ends at a blank line
        nth -= text.count(written)
        if nth <= 0:
            return f"{source}:{number}"
    return f"{source}:{first}"


# Each column with its relative width, for builders that need one (text, LaTeX); the label
# column only where an entry has a label.
_COLUMNS = {"port": 10, "label": 20, "protocol": 14, "name": 20, "range": 20, "description": 36}
_LABEL = "used for"


class PortTable(SphinxDirective):
    """A table of ports, one per line of content (or separated by spaces or commas in the
    argument): port, protocol, name, range and description, captioned with the data's date.
    A line of content may give the product's own label after the port (``8200/tcp  Quill
    API``), shown in a column of its own after the port's.

    Options: ``:caption:`` (the caption's text before the date; "Ports" by default),
    ``:label-header:`` (the label column's header; "used for" by default), ``:name:`` (a
    target to refer to the table by) and ``:class:``.
    """

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "caption": directives.unchanged,
        "label-header": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        found = self._entries()
        if not found:
            _warn(ValueError("port-table lists no port"), self.get_location())
            return []
        labelled = any(label for _, label, _ in found)
        columns = {name: width for name, width in _COLUMNS.items() if labelled or name != "label"}
        body = nodes.tbody()
        for text, label, line in found:
            try:
                entry = describe(text, configured(self.env))
            except _NOT_A_PORT as error:
                _warn(error, (self.env.docname, line))
                cells: list[nodes.Node | str] = [nodes.literal(text, text), "", "", "", ""]
            else:
                port = nodes.reference(
                    entry.ports,
                    entry.ports,
                    refuri=entry.url,
                    reftitle=entry.description,
                    classes=["portinfo-port"],
                )
                cells = [port, entry.protocols, entry.name, entry.range, entry.description]
            if labelled:
                cells.insert(1, label)
            body += _row(cells)
        group = nodes.tgroup(cols=len(columns))
        group += [nodes.colspec(colwidth=width) for width in columns.values()]
        header = [self.options.get("label-header", _LABEL) if c == "label" else c for c in columns]
        group += nodes.thead("", _row(header))
        group += body
        registry = registry_or_default(configured(self.env))
        caption = f"{self.options.get('caption', 'Ports')} ({dated_iana(registry.data_info())})"
        table = nodes.table(
            "",
            nodes.title(caption, caption),
            group,
            classes=["portinfo-port-table", "colwidths-auto", *self.options.get("class", [])],
        )
        self.set_source_info(table)
        self.add_name(table)
        return [table]

    def _entries(self) -> list[tuple[str, str, int]]:
        """Each entry with its label (or ``""``) and its line in the source file."""
        found = [
            (text, "", self.lineno) for text in _split(self.arguments[0] if self.arguments else "")
        ]
        # docutils gives the content's first line as a 0-based line of the file; MyST gives
        # it as an offset from the line after the directive's opening line.
        first = self.content_offset + 1
        if not isinstance(self.state_machine, StateMachine):
            first += self.lineno
        for offset, line in enumerate(self.content):
            words = line.split(maxsplit=1)
            if words:
                label = words[1].strip() if len(words) > 1 else ""
                found.append((words[0], label, first + offset))
        return found


def _split(text: str) -> list[str]:
    return text.replace(",", " ").split()


def _row(cells: Sequence[nodes.Node | str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        if isinstance(cell, str):
            row += nodes.entry("", nodes.paragraph(cell, cell))
        else:
            row += nodes.entry("", nodes.paragraph("", "", cell))
    return row


def _local_paths(app: Sphinx, config: Config) -> None:
    """``portinfo_local``'s paths made absolute, from the directory of ``conf.py``."""
    names = config.portinfo_local
    if names is None:
        return
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise TypeError(f"portinfo_local must be a list of paths, got {names!r}")
    config.portinfo_local = [os.path.join(app.confdir, name) for name in names]


def configured(env: BuildEnvironment) -> Registry | None:
    """The registry of the project's ``portinfo_local`` files, or ``None`` (the default
    registry) where it is not set."""
    paths = env.config.portinfo_local
    if paths is None:
        return None
    return _registry(tuple(paths), tuple(map(_stamp, paths)))


def _stamp(path: str) -> tuple[int, int] | None:
    """When and how large ``path`` is: a file changed between builds is read again."""
    try:
        status = os.stat(path)
    except OSError:  # the registry says why, naming the file
        return None
    return status.st_mtime_ns, status.st_size


@functools.lru_cache(maxsize=8)
def _registry(paths: tuple[str, ...], stamps: tuple[object, ...]) -> Registry:
    return Registry.from_files(local=list(paths))


def setup(app: Sphinx) -> ExtensionMetadata:
    """Add the role ``port``, the directive ``port-table`` and the configuration value
    ``portinfo_local`` to Sphinx."""
    app.add_config_value("portinfo_local", None, "env", types=(list, tuple, type(None)))
    app.connect("config-inited", _local_paths)
    app.add_role("port", PortRole())
    app.add_directive("port-table", PortTable)
    return {
        "version": portinfo.__version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
