"""The command line: ``portinfo PORT``, ``portinfo NAME``, ``portinfo --search TEXT`` and more.

Each query is a port (``2039``, ``2039/udp``, or a socket address as tools print it:
``127.0.0.1:8080``, ``[::1]:53``, ``*:22``, ``:::22``), a range of ports (``6000-6010``), a
service name (``http``), or ``-`` for one query a line from standard input (blank lines and
``#`` comments left out). A port gets the report of :func:`portinfo.report`; a name the
report of its port(s); a range a table. ``--json`` and ``--markdown`` change the form
everywhere, ``--brief`` prints one summary line a port, and ``--format tsv|csv`` prints
tables for other programs; from standard input, their rows and objects carry the line's
number and input, and a line with no answer gets one with its error, so that they join
back to the input. Exit status: 0 when every query found something, 1 when some query found
nothing (an unknown name, a search with no result), 2 when some input was bad (a line
of standard input that is not text included), standard input or output failed or is
closed, or the system would not list its sockets; the worst wins, after every good answer is
printed. Ctrl-C prints the answers found, then one line, and exits with 130.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import io
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import portinfo
from portinfo._api import with_local
from portinfo._config import LOCAL, find
from portinfo._enums import Protocol, Status
from portinfo._escape import json_text, markdown, spreadsheet, terminal
from portinfo._free import DEFAULT_AVOID
from portinfo._manifest import dated_iana
from portinfo._records import merge_spans
from portinfo._registry import Registry
from portinfo._report import report, report_data
from portinfo._results import spans_on
from portinfo._saved import saved
from portinfo._text import clip, port_spans
from portinfo._validate import address_port, parse_protocol, plain_int, show
from portinfo.exceptions import (
    DataFormatError,
    InvalidArgumentError,
    PortinfoError,
    UnknownServiceError,
)

__all__ = ["main"]

OK, NOT_FOUND, BAD = 0, 1, 2
BROKEN_PIPE = 141  # 128 + SIGPIPE: what a program killed by the closed pipe returns
INTERRUPTED = 130  # 128 + SIGINT: what a shell reports of a program stopped by Ctrl-C
WIDTH = 80
MAX_RANGE = 4096
"""The most ports one range query lists (a wider one is bad input), unless ``--status`` or
``--only`` keeps some of them: a filtered range may be the whole port space."""


class _ProblemError(Exception):
    """A query that cannot be answered: its exit status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portinfo",
        description=(
            "What a port number is: its range, IANA records, other names and known uses."
            " Give ports (80, 53/udp, host:443, [::1]:53, *:22, :::22), ranges (6000-6010),"
            " service names (http), or - to read one query a line from standard input"
            " (blank lines and # comments left out)."
        ),
    )
    parser.add_argument(
        "query",
        nargs="*",
        help="ports, ranges, service names, or -; or the word listening, for this machine's"
        " listening sockets (needs pip install 'pyportinfo[local]'); or the word free and"
        " a range (default 1024-49151), for ports that nothing claims; or diff NEW_FILE,"
        " for what a newer IANA file changes",
    )
    parser.add_argument("-p", "--protocol", help="tcp, udp, sctp or dccp: narrow every answer")
    parser.add_argument("-s", "--search", metavar="TEXT", help="search names and descriptions")
    parser.add_argument(
        "-n", "--limit", type=int, help="search results (default 20), free ports (default 10)"
    )
    parser.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="assigned, reserved or unassigned (a comma list, or repeated): keep only the"
        " ports of a range with that status",
    )
    parser.add_argument(
        "--only",
        metavar="PROTOCOL",
        help="tcp, udp, sctp or dccp: keep only the ports of a range that have the --status"
        " (assigned, by default) on this protocol and on no other: --only udp for UDP-only",
    )
    parser.add_argument(
        "--avoid",
        action="append",
        metavar="RANGE",
        help="portinfo free: a system (linux, windows, macos, freebsd) or FIRST-LAST whose"
        " ports to leave out, in place of the default linux, windows and macos; repeated"
        " for several, none for no range",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_const", const="json", dest="format")
    form.add_argument("--markdown", action="store_const", const="markdown", dest="format")
    form.add_argument("--format", choices=("text", "markdown", "json", "tsv", "csv"), dest="format")
    parser.add_argument("--brief", action="store_true", help="one summary line a port")
    parser.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="listening: the text table's width (default: $COLUMNS, the terminal's, or 80)",
    )
    parser.add_argument("--data-info", action="store_true", help="the data's sources and dates")
    parser.add_argument("--version", action="store_true", help="version and data date")
    _file_options(parser)
    return parser


def _file_options(parser: argparse.ArgumentParser) -> None:
    """The files to answer from: newer upstream files in place of the shipped ones, and
    local files of your own services besides them."""
    parser.add_argument("--iana", metavar="FILE", help="your own IANA registry (XML or CSV)")
    parser.add_argument(
        "--services", metavar="FILE", help="a newer services file, in place of the shipped one"
    )
    parser.add_argument("--nmap", metavar="FILE", help="your own nmap-services file")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="answer from the registry Registry.save() wrote into DIR (as PORTINFO_DATA does)",
    )
    parser.add_argument(
        "--local",
        metavar="FILE",
        action="append",
        default=[],
        help="a file of your own services' ports (TOML or services format), shown first;"
        " repeatable, and added to those PORTINFO_LOCAL or your config file names",
    )


# --- reading queries ---------------------------------------------------------------------


def _lines(stdin: TextIO | None) -> Iterator[str]:
    """The lines of standard input; :class:`_ProblemError` where they cannot be read (closed,
    a directory, bytes its encoding cannot decode at all), after which reading stops."""
    if stdin is None:  # portinfo - <&-
        raise _ProblemError(BAD, "standard input is closed: no query read from -")
    try:
        yield from stdin
    except UnicodeError as error:  # a decoder that fails whatever its error handler
        encoding = getattr(stdin, "encoding", None) or "its encoding"
        raise _ProblemError(BAD, f"standard input is not text in {encoding} ({error})") from None
    except OSError as error:
        raise _ProblemError(BAD, f"cannot read standard input: {error.strerror or error}") from None


def _queries(arguments: Sequence[str], stdin: TextIO | None) -> Iterator[tuple[int | None, str]]:
    """Each query with the number of its line of standard input (``None`` for an argument);
    blank lines and comments (``#`` first) are left out, and counted."""
    for query in arguments:
        if query != "-":
            yield None, query
            continue
        for number, line in enumerate(_lines(stdin), 1):
            text = line.strip()
            if text and not text.startswith("#"):
                yield number, text


def _looks_numeric(text: str) -> bool:
    """Whether ``text`` was meant as a number (so a bad one is bad input, not a name)."""
    head = text.strip().partition("/")[0].strip()
    return not head or head[0].isdigit() or head[0] in "+-." or head.lower().startswith("0x")


def _split_range(text: str, *, filtered: bool = False) -> tuple[int, int] | None:
    """The ``(first, last)`` of a range query, ``None`` for another query; bad input for a
    range out of order, out of the port space, or (not ``filtered``) over MAX_RANGE ports."""
    first, dash, last = text.partition("-")
    if not (dash and first.isascii() and first.isdigit() and last.isascii() and last.isdigit()):
        return None
    if len(first) > 5 or len(last) > 5 or not 0 <= int(first) <= int(last) <= 65535:
        raise _ProblemError(BAD, f"a range must be FIRST-LAST within 0-65535, got {show(text)}")
    if int(last) - int(first) >= MAX_RANGE and not filtered:
        raise _ProblemError(
            BAD,
            f"a range lists at most {MAX_RANGE} ports, got {show(text)} (with --status or"
            " --only, which keep some of them, it may be the whole 0-65535)",
        )
    return int(first), int(last)


# --- writing answers ---------------------------------------------------------------------


_ROW = ("port", "protocol", "name", "status", "range", "summary")
"""The columns of a port's row (``--brief --json``, ``--format tsv|csv``)."""
_UNDECODED = re.compile("[\ud800-\udfff]")


def _readable(text: str) -> str:
    """``text`` with the bytes that stand in it undecoded (the lone surrogates of
    ``surrogateescape``) written as ``\\xff``: a query's text as any output can carry it."""

    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _UNDECODED.sub(escaped, text)


class _Output:
    """Where answers go, in the form asked for."""

    def __init__(
        self,
        form: str,
        brief: bool,
        registry: Registry,
        lines: bool = False,
        statuses: frozenset[Status] = frozenset(),
        only: Protocol | None = None,
    ) -> None:
        self.form, self.brief, self.registry = form, brief, registry
        self.statuses = statuses  # a range keeps only its ports of these (all, if empty)
        # --only: a range keeps its ports of the statuses (assigned, if none) on this
        # protocol that no other protocol has.
        self.only = only
        if only is not None and not statuses:
            self.statuses = frozenset({Status.ASSIGNED})
        self.lines = lines  # JSON Lines, not one JSON array (for queries from stdin)
        # In a stream of queries (lines), the line number (None for an argument) and text of
        # the query being answered: its rows and objects carry them, to join back to it.
        self.source: tuple[int | None, str] | None = None
        self.text: list[str] = []
        self.records: list[Mapping[str, Any]] = []
        self.table: list[dict[str, Any]] = []
        self._written = False  # whether some text went out already (the next needs a gap)
        self._writer: csv.DictWriter[str] | None = None  # the table's, header written
        self.services: str | None = None  # a services file given in place of the shipped one

    def port(self, port: int, protocol: Protocol | None) -> None:
        info = self.registry.lookup(port, protocol)
        if self.form in ("tsv", "csv") or self.brief:
            self._row(info)
            return
        if self.form == "json":
            self.records.append(self._joined(report_data(info, self.registry)))
        else:
            self.text.append(
                report(
                    port,
                    protocol,
                    format="markdown" if self.form == "markdown" else "text",
                    registry=self.registry,
                ).rstrip("\n")
            )

    def _row(self, info: portinfo.PortInfo) -> None:
        row = {
            "port": info.port,
            "protocol": info.protocol.value if info.protocol else "",
            "name": info.name or "",
            "status": info.status.value,
            "range": info.range.value,
            "summary": info.summary,
        }
        if self.form in ("tsv", "csv"):
            self.table.append(self._joined(row))
        elif self.form == "json":
            self.records.append(self._joined(row))
        else:
            self.text.append(
                clip(terminal(info.summary), WIDTH)
                if self.form == "text"
                else f"- {markdown(info.summary)}"
            )

    def _joined(self, answer: dict[str, Any], error: str | None = None) -> dict[str, Any]:
        """``answer`` with, in a stream of queries, the line and the text of the query it
        answers first and the query's error last (none, for an answer)."""
        if self.source is None:
            return answer
        line, query = self.source
        return {"line": line, "input": _readable(query), **answer, "error": error}

    def problem(self, message: str) -> None:
        """The query being answered has no answer: in a stream of queries written as a
        table or JSON, a row or an object that says why, so that every query has one."""
        if self.source is None or self.form not in ("tsv", "csv", "json"):
            return
        if self.form == "json":
            self.records.append(self._joined({}, message))
        else:
            self.table.append(self._joined(dict.fromkeys(_ROW, ""), message))

    def span(self, first: int, last: int, protocol: Protocol | None) -> None:
        # JSON gives a report a port, as for one port; the rest a row a port and protocol.
        reports = self.form == "json" and not self.brief
        protocol = self.only or protocol
        protocols = [protocol] if protocol or reports else [Protocol.TCP, Protocol.UDP]
        kept = 0
        for port in range(first, last + 1):
            for each in protocols:
                info = self.registry.lookup(port, each)
                if self.statuses and info.status not in self.statuses:
                    continue
                if self.only is not None and self._elsewhere(port):
                    continue
                kept += 1
                if reports:
                    self.port(port, each)
                else:
                    self._row(info)
        if not kept:
            statuses = " or ".join(s.value for s in Status if s in self.statuses)
            over = f" on {protocol.value}" if protocol else ""
            alone = " alone" if self.only is not None else ""
            raise _ProblemError(NOT_FOUND, f"no port of {first}-{last} is {statuses}{over}{alone}")

    def _elsewhere(self, port: int) -> bool:
        """Whether ``port`` has one of the statuses kept on a protocol other than --only's."""
        return any(
            self.registry.lookup(port, other).status in self.statuses
            for other in Protocol
            if other is not self.only
        )

    def service(self, service: portinfo.Service, protocol: Protocol | None) -> None:
        spans = merge_spans(spans_on(service, protocol))
        ports = [port for first, last in spans for port in range(first, last + 1)]
        if not ports:
            raise _ProblemError(
                NOT_FOUND,
                f"{service.name} is on no port{' over ' + protocol.value if protocol else ''}",
            )
        how = ""
        if service.matched is not None and service.matched.name.lower() != service.name.lower():
            how = f" ({service.matched.name!r}, as {service.matched.source.value} names it)"
        if self.form in ("text", "markdown") and not self.brief:
            line = f"{service.name}{how}: port{'s' if len(ports) > 1 else ''} {port_spans(spans)}"
            self.text.append(terminal(line) if self.form == "text" else f"**{markdown(line)}**")
        if len(ports) > 3 and not self.brief and self.form in ("text", "markdown"):
            for port in ports:  # a wide service: a table, not a report a port
                for each in [protocol] if protocol else [Protocol.TCP, Protocol.UDP]:
                    self._row(self.registry.lookup(port, each))
            return
        for port in ports:
            self.port(port, protocol)

    def results(self, results: Sequence[portinfo.SearchResult]) -> None:
        for result in results:
            row = {
                "match": result.match.value,
                "name": result.name,
                "source": result.source.value,
                "ports": port_spans(result.ports),
                "protocols": ",".join(p.value for p in result.protocols),
                "service": result.service or "",
                "description": result.description,
            }
            if self.form in ("tsv", "csv"):
                self.table.append(row)
            elif self.form == "json":
                self.records.append(result.as_dict())
            else:
                name, ports = clip(terminal(row["name"]), 24), clip(row["ports"], 12)
                line = f"{row['match']:11} {name:24} {row['source']:8} {ports:12}"
                description = terminal(" ".join(row["description"].split()))
                line = clip(f"{line} {description}", WIDTH)
                self.text.append(markdown(line) if self.form == "markdown" else line)

    def data_info(self) -> None:
        info = self.registry.data_info()
        if self.form == "json":
            self.records.append(info.as_dict())
            return
        if self.form in ("tsv", "csv"):
            self.table += [dict(source.as_dict()) for source in info.sources]
            return
        made = terminal(info.generated_by)
        self.text.append(
            f"portinfo {portinfo.__version__}, data format {info.format_version}, made by {made}"
        )
        if info.directory is not None:  # a saved registry: PORTINFO_DATA, the config, --data
            self.text.append(f"  saved in  {terminal(info.directory)}")
        for source in info.sources:
            date, file = source.date or "undated", clip(terminal(source.file), 30)
            line = f"  {source.name:9} {file:30} {date:10} {source.records:6} records"
            local = source.name == "local"  # your own: which copy of the file, too
            self.text.append(f"{line}, sha256 {source.sha256[:12]}" if local else line)
            if source.newest_record not in (None, source.date):  # the date the records prove
                self.text.append(f"{'':12}newest record {source.newest_record}")
        found = find(LOCAL)
        if found.paths:
            named = ", ".join(clip(terminal(os.path.basename(p)), 30) for p in found.paths)
            self.text.append(f"  {terminal(found.origin)} names local files: {named}")

    def write(self, stream: TextIO) -> None:
        """Write what has been answered since the last call, and forget it: the output of
        a stream of queries is written as it comes, and nothing of it is kept."""
        if self.form == "json" and self.lines:
            ascii_only = not _unicode(stream)
            stream.writelines(
                json_text(json.dumps(r, ensure_ascii=ascii_only)) + "\n" for r in self.records
            )
        elif self.form == "json":
            dumped = json.dumps(self.records, indent=2, ensure_ascii=not _unicode(stream))
            stream.write(json_text(dumped) + "\n")
        elif self.form in ("tsv", "csv"):
            if self.table and self._writer is None:
                self._writer = csv.DictWriter(
                    stream,
                    fieldnames=list(self.table[0]),
                    delimiter="\t" if self.form == "tsv" else ",",
                    lineterminator="\n",
                )
                self._writer.writeheader()
            if self._writer is not None:
                # Text from data files can't start a formula; numbers (the port) are as given.
                self._writer.writerows(
                    {
                        key: spreadsheet(value) if isinstance(value, str) else value
                        for key, value in row.items()
                    }
                    for row in self.table
                )
        elif self.text:
            gap = "\n\n" if not self.brief and self.form != "text" else "\n"
            stream.write(gap[1:] * self._written + gap.join(self.text) + "\n")
            self._written = True
        self.text, self.records, self.table = [], [], []


def _unicode(stream: TextIO) -> bool:
    try:
        return codecs.lookup(stream.encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


def _decoded(text: str) -> bool:
    """Whether ``text`` is text: not bytes that stand in it undecoded (the lone surrogates
    of ``surrogateescape``, as standard input and arguments are read)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _answer(query: str, protocol: Protocol | None, output: _Output) -> None:
    """Answer one query into ``output``; raise :class:`_ProblemError` if it cannot be."""
    registry = output.registry
    text = query.strip()
    if not _decoded(text):
        raise _ProblemError(BAD, f"{show(text)} is not text: bytes its encoding cannot decode")
    try:
        port_text = address_port(text)  # 127.0.0.1:22, [::1]:22, *:22, :::22
        if port_text is not None:
            text = port_text
        filtered = bool(output.statuses or output.only)
        span = _split_range(text, filtered=filtered)
        if span is None and filtered:
            option = "--only" if output.only else "--status"
            raise _ProblemError(
                BAD, f"{option} keeps the ports of a range (FIRST-LAST), not of {show(text)}"
            )
        if span is not None:
            output.span(*span, protocol)
        elif not _looks_numeric(text) and port_text is None:
            try:
                services = registry.resolve_all(text)
            except UnknownServiceError as error:
                close = registry.suggest(text) if len(text) <= 64 else []
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                hint = _replaced(text, output.services) or hint
                raise _ProblemError(NOT_FOUND, f"{error}{hint}") from None
            for service in services:
                output.service(service, protocol)
        else:
            info = registry.lookup(text, protocol)
            output.port(info.port, info.protocol)
    except PortinfoError as error:
        raise _ProblemError(
            NOT_FOUND if isinstance(error, LookupError) else BAD, str(error)
        ) from None
    except (TypeError, ValueError) as error:
        raise _ProblemError(BAD, str(error)) from None


def _replaced(name: str, services: str | None) -> str:
    """Where ``services`` (a file given with --services) replaced a shipped services file
    that knows ``name``, what happened and what to do instead; else nothing."""
    if services is None:
        return ""
    try:
        Registry.packaged().resolve_all(name)
    except (PortinfoError, TypeError, ValueError):
        return ""
    return (
        f"; --services {show(services)} replaced the shipped services file, which names it."
        " To add your own names to the shipped ones, give your file with --local instead"
    )


def _answer_or_say(query: str, protocol: Protocol | None, output: _Output, stderr: TextIO) -> int:
    """Answer ``query``, or say on ``stderr`` why it can't be; returns its exit status."""
    try:
        _answer(query, protocol, output)
    except _ProblemError as problem:
        stderr.write(f"portinfo: {problem}\n")
        output.problem(str(problem))
        return problem.status
    return OK


def _registry(arguments: argparse.Namespace) -> Registry:
    """The registry to answer from: the default one; or a saved one (``--data``), or one of
    the upstream files given, with the local files given first, then those the
    configuration names."""
    files = {"iana": arguments.iana, "services": arguments.services, "nmap": arguments.nmap}
    for option, file in {**files, "data": arguments.data}.items():
        if file == "":  # not "no file": a file name that came out empty ("$UNSET")
            what = "directory" if option == "data" else "file"
            raise InvalidArgumentError(f"--{option} needs a {what} name, got ''")
    if "" in arguments.local:
        raise InvalidArgumentError("--local needs a file name, got ''")
    given = [f"--{option}" for option, file in files.items() if file is not None]
    if arguments.data is not None and given:  # a saved registry is whole
        raise InvalidArgumentError(
            f"--data answers from a saved registry, which {given[0]} cannot change: give"
            " one or the other (a registry of your files is saved with Registry.save)"
        )
    if arguments.data is None and not given and not arguments.local:
        registry = portinfo.default_registry()  # the configured local files are its own
        registry.data_info()  # read now: a broken one is one message, not one a query
        return registry
    found = find(LOCAL)
    local = [*arguments.local, *found.paths]  # the files named now first
    try:
        if arguments.data is not None:
            load = saved(arguments.data)
            return Registry(with_local(load, local, found) if local else load)
        return Registry.from_files(**files, local=local)
    except DataFormatError as error:
        raise found.named(error) from None


def _run(
    arguments: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO | None
) -> int:
    try:
        protocol = None if arguments.protocol is None else parse_protocol(arguments.protocol)
        only = None if arguments.only is None else parse_protocol(arguments.only)
        statuses = _statuses(arguments.status or ())
        registry = _registry(arguments)
    except (PortinfoError, TypeError, ValueError) as error:
        stderr.write(f"portinfo: {error}\n")
        return BAD
    form = arguments.format or "text"
    streaming = "-" in arguments.query  # each answer goes out as its line is read
    output = _Output(form, arguments.brief, registry, lines=streaming, statuses=statuses, only=only)
    output.services = arguments.services
    if arguments.version:
        stdout.write(f"portinfo {portinfo.__version__} ({dated_iana(registry.data_info())})\n")
        return OK
    try:
        status = _answer_all(arguments, protocol, output, stdin, stdout, stderr)
    except KeyboardInterrupt:  # Ctrl-C: what was found is printed, then the one line
        status = INTERRUPTED
    output.write(stdout)
    stdout.flush()
    if status == INTERRUPTED:
        stderr.write("portinfo: interrupted\n")
    return status


def _answer_all(
    arguments: argparse.Namespace,
    protocol: Protocol | None,
    output: _Output,
    stdin: TextIO | None,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Answer every query and the search into ``output`` (into ``stdout`` as each is
    found, for a stream of queries); returns the exit status."""
    status = OK
    if arguments.data_info:
        output.data_info()
    try:
        for line, query in _queries(arguments.query, stdin):
            output.source = (line, query) if output.lines else None
            status = max(status, _answer_or_say(query, protocol, output, stderr))
            if output.lines:  # a stream of queries: each answer goes out as it is found
                output.write(stdout)
                stdout.flush()
    except _ProblemError as problem:  # standard input could not be read: reading stops
        stderr.write(f"portinfo: {problem}\n")
        status = max(status, problem.status)
    output.source = None
    if arguments.search is not None:
        try:
            if not arguments.search.strip():
                raise InvalidArgumentError(
                    f"--search needs a text to look for, got {show(arguments.search)}"
                )
            registry = output.registry
            limit = 20 if arguments.limit is None else arguments.limit
            results = registry.search(arguments.search, protocol=protocol, limit=limit)
        except (PortinfoError, TypeError, ValueError) as error:
            stderr.write(f"portinfo: {error}\n")
            status = max(status, BAD)
        else:
            if not results:
                stderr.write(f"portinfo: nothing matches {show(arguments.search)}\n")
                status = max(status, NOT_FOUND)
            output.results(results)
    return status


def _listening(arguments: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``portinfo listening``: this machine's listening sockets, and what their ports are."""
    from portinfo._listening import listening, render_listeners  # noqa: PLC0415  # needs psutil

    if arguments.query[1:] or arguments.search is not None:
        stderr.write("portinfo: listening takes no queries and no --search\n")
        return BAD
    try:
        width = _width(arguments.width, stdout)
        found = listening(arguments.protocol, registry=_registry(arguments))
    except (PortinfoError, TypeError, ValueError) as error:
        stderr.write(f"portinfo: {error}\n")
        return BAD
    page = render_listeners(found, format=arguments.format or "text", width=width)
    stdout.write(page.rstrip("\n") + "\n")
    if found.note:
        stderr.write(f"portinfo: {found.note}\n")
    return OK


def _width(asked: int | None, stdout: TextIO) -> int:
    """The width of ``portinfo listening``'s table: ``--width``, else ``COLUMNS``, else the
    terminal's, else (output to a file or a pipe) 80."""
    if asked is not None:
        return plain_int(asked, "--width", least=1)
    if os.environ.get("COLUMNS") or stdout.isatty():
        return shutil.get_terminal_size((WIDTH, 24)).columns
    return WIDTH


def _statuses(given: Sequence[str]) -> frozenset[Status]:
    """The statuses of ``--status`` (each a comma list); an error naming a bad one."""
    found = set()
    for value in given:
        for each in value.split(","):
            key = each.strip().lower()
            if key not in {s.value for s in Status}:
                raise InvalidArgumentError(
                    "--status must be assigned, reserved or unassigned (several: a comma"
                    f" list, or the option repeated), got {show(each.strip() or value)}"
                )
            found.add(Status(key))
    return frozenset(found)


def _free(arguments: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``portinfo free [FIRST-LAST]``: the ports of a range that nothing claims, best first."""
    try:
        if arguments.query[2:] or arguments.search is not None:
            raise InvalidArgumentError(
                "free takes one range FIRST-LAST, with -p, -n, --avoid and the output forms"
            )
        if arguments.data_info:
            raise InvalidArgumentError("free takes no --data-info: ask for it apart")
        first, last = _free_range(arguments.query[1] if arguments.query[1:] else "1024-49151")
        avoid = [each for each in arguments.avoid or DEFAULT_AVOID if each.lower() != "none"]
        protocol = None if arguments.protocol is None else parse_protocol(arguments.protocol)
        registry = _registry(arguments)
        n = 10 if arguments.limit is None else arguments.limit
        ports = registry.free(first, last, protocol=protocol, n=n, avoid=avoid)
    except (PortinfoError, TypeError, ValueError) as error:
        stderr.write(f"portinfo: {error}\n")
        return BAD
    on = f"on {protocol.value}" if protocol else "on every protocol"
    if not ports:
        stderr.write(f"portinfo: no port of {first}-{last} is free {on}\n")
        return NOT_FOUND
    form = arguments.format or "text"
    name = "" if protocol is None else protocol.value
    if form in ("tsv", "csv"):
        writer = csv.writer(stdout, delimiter="\t" if form == "tsv" else ",", lineterminator="\n")
        writer.writerows([("port", "protocol"), *((port, name) for port in ports)])
    elif form == "json":
        found = [{"port": port, "protocol": name or None} for port in ports]
        stdout.write(json.dumps(found, indent=None if arguments.brief else 2) + "\n")
    elif arguments.brief:
        stdout.writelines(f"{port}\n" for port in ports)
    else:
        avoided = ", ".join(avoid) or "no range"
        head = (
            f"Free ports of {first}-{last} {on}, avoiding {avoided}; best first (each the"
            " farthest from claimed ports and from the ports above it):"
        )
        if form == "markdown":
            stdout.write(f"{markdown(head)}\n\n" + "".join(f"- {port}\n" for port in ports))
        else:
            lines = textwrap.wrap(terminal(head), WIDTH - 1, break_on_hyphens=False)
            stdout.write("\n".join(lines) + "\n" + "".join(f"  {port}\n" for port in ports))
    return OK


def _free_range(text: str) -> tuple[str, str]:
    """The two ends of ``portinfo free``'s range, checked as ports by :func:`portinfo.free`."""
    first, dash, last = text.strip().partition("-")
    if not (dash and first.strip() and last.strip()):
        raise InvalidArgumentError(f"free takes a range FIRST-LAST, got {show(text)}")
    return first.strip(), last.strip()


def _diff_refused(arguments: argparse.Namespace) -> str | None:
    """Why ``portinfo diff`` cannot run with these arguments, if it can't."""
    files = arguments.query[1:]
    others = [
        option
        for option, given in (
            ("queries", len(files) > 1),
            ("--search", arguments.search is not None),
            ("--protocol", arguments.protocol is not None),
            ("--brief", arguments.brief),
            ("--data-info", arguments.data_info),
        )
        if given
    ]
    if others:
        return f"diff takes one NEW_FILE, --services and --nmap: no {others[0]}"
    if arguments.format not in (None, "text", "markdown", "json"):
        return f"diff prints text, markdown or json, not {arguments.format}"
    if files and arguments.iana is not None:
        return "diff takes the new IANA file once: as NEW_FILE or as --iana, not both"
    new = {"iana": files[0] if files else arguments.iana}
    new.update(services=arguments.services, nmap=arguments.nmap)
    if all(file is None for file in new.values()):
        return "diff needs a new file: portinfo diff NEW_FILE (IANA's XML or CSV)"
    empty = next((option for option, file in new.items() if file == ""), None)
    return None if empty is None else f"diff needs a file name, got '' for {empty}"


def _diff(arguments: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``portinfo diff NEW_FILE``: what a newer IANA file (or services or nmap-services
    file) changes in the data portinfo answers from, the "older" warning first."""
    from portinfo._diffreport import diff_data, render_diff  # noqa: PLC0415  # only here

    refused = _diff_refused(arguments)
    if refused is not None:
        stderr.write(f"portinfo: {refused}\n")
        return BAD
    try:
        new = Registry.from_files(
            iana=arguments.query[1] if arguments.query[1:] else arguments.iana,
            services=arguments.services,
            nmap=arguments.nmap,
        )
        found = portinfo.default_registry().diff(new)
    except (PortinfoError, TypeError, ValueError) as error:
        stderr.write(f"portinfo: {error}\n")
        return BAD
    form = arguments.format or "text"
    if form == "json":  # an ASCII-only output gets \uXXXX escapes, as every JSON here
        dumped = json.dumps(diff_data(found), indent=2, ensure_ascii=not _unicode(stdout))
        stdout.write(json_text(dumped) + "\n")
    else:
        stdout.write(render_diff(found, format=form))  # type: ignore[arg-type]  # checked
    return OK


def _refused(arguments: argparse.Namespace) -> str | None:
    """Why these options cannot go together, if they can't."""
    if arguments.avoid and arguments.query[:1] != ["free"]:
        return "--avoid is for portinfo free"
    ranged = [
        o for o, given in (("--status", arguments.status), ("--only", arguments.only)) if given
    ]
    if ranged and not arguments.query:
        return f"{ranged[0]} keeps the ports of a range: give one (FIRST-LAST)"
    if ranged and arguments.query[0] in ("listening", "free", "diff"):
        return f"{ranged[0]} keeps the ports of a range, not of portinfo {arguments.query[0]}"
    if arguments.only is not None and arguments.protocol is not None:
        return "--only names its protocol itself: give --only or -p, not both"
    asked = [
        what
        for what, given in (
            ("queries", bool(arguments.query)),
            ("--search", arguments.search is not None),
            ("--data-info", arguments.data_info),
        )
        if given
    ]
    if arguments.width is not None and arguments.query[:1] != ["listening"]:
        return "--width sets the width of portinfo listening's table only"
    if arguments.version and asked:
        return f"--version takes no {asked[0]}: ask for them apart"
    if arguments.format in ("tsv", "csv") and len(asked) > 1:
        return f"--format {arguments.format} prints one table: give {' or '.join(asked)}, not both"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    refused = _refused(arguments)
    if refused is not None:
        if sys.stderr is not None:
            sys.stderr.write(f"portinfo: {refused}\n")
        return BAD
    if arguments.query[:1] == ["listening"]:
        return _guarded(lambda: _listening(arguments, sys.stdout, sys.stderr))
    if arguments.query[:1] == ["free"]:
        return _guarded(lambda: _free(arguments, sys.stdout, sys.stderr))
    if arguments.query[:1] == ["diff"]:
        return _guarded(lambda: _diff(arguments, sys.stdout, sys.stderr))
    if not (
        arguments.query or arguments.search is not None or arguments.data_info or arguments.version
    ):
        parser.error("give a port, a range, a service name, -, --search TEXT or --data-info")
    return _guarded(lambda: _run(arguments, sys.stdout, sys.stderr, sys.stdin))


def _guarded(run: Callable[[], int]) -> int:
    """``run()``'s status; a closed pipe, a full disk, a closed output, undecodable input,
    an ASCII terminal or Ctrl-C no traceback."""
    if sys.stdout is None:  # portinfo 80 >&-
        if sys.stderr is not None:
            sys.stderr.write("portinfo: standard output is closed: nowhere to write the answers\n")
        return BAD
    if isinstance(sys.stdout, io.TextIOWrapper) and not _unicode(sys.stdout):
        sys.stdout.reconfigure(errors="replace")  # an ASCII terminal gets "?" for the rest
    if isinstance(sys.stdin, io.TextIOWrapper):  # bytes it can't decode: a line that is bad
        sys.stdin.reconfigure(errors="surrogateescape")
    try:
        return run()
    except KeyboardInterrupt:  # before any answer was found (_run prints those it found)
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        sys.stderr.write("portinfo: interrupted\n")
        return INTERRUPTED
    except BrokenPipeError:
        # The reader went away (portinfo 80 | head -1): stop quietly, as other tools do.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE
    except OSError as error:  # /dev/full and the like
        sys.stderr.write(f"portinfo: cannot write the output: {error.strerror or error}\n")
        return BAD


if __name__ == "__main__":
    sys.exit(main())
