"""Where the user's configuration is: the environment, then a per-user config file.

Each setting (:data:`SETTINGS`) is read in one order, for every tool at once (the module
functions, the command line, the Sphinx extension's default): its environment variable if
it is set (``PORTINFO_LOCAL``, ``PORTINFO_DATA``), else its key in the config file, else
nothing. The config
file is ``config.toml`` in ``platformdirs.user_config_dir("portinfo")`` (on Linux
``~/.config/portinfo/config.toml``, or under ``$XDG_CONFIG_HOME``), or the file that
``PORTINFO_CONFIG`` names; a missing file is no configuration. A setting of paths takes
several in its variable, separated by ``os.pathsep`` (``:``, or ``;`` on Windows), and in
the file a TOML string or list of strings; a path in the file is relative to the file's
directory, and ``~`` is your home everywhere. A variable set to nothing sets nothing: it
turns the file's setting off.

Nothing is read at import: :func:`find` reads the environment and the file when a tool
first needs a setting. A config file that is not TOML, has an unknown key or a value of
the wrong kind raises :class:`~portinfo.DataFormatError` naming the file.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from portinfo._validate import show
from portinfo.exceptions import DataFormatError

__all__ = [
    "CONFIG_FILE",
    "CONFIG_VARIABLE",
    "DATA",
    "LOCAL",
    "SETTINGS",
    "Found",
    "Setting",
    "config_path",
    "find",
    "read_config",
]

CONFIG_FILE = "config.toml"
"""The name of the per-user config file, in ``platformdirs.user_config_dir("portinfo")``."""
CONFIG_VARIABLE = "PORTINFO_CONFIG"
"""The environment variable that names another config file (a test's, say) in its place."""


class Setting:
    """One setting: its key in the config file, its environment variable, and whether it
    holds several paths (separated by ``os.pathsep`` in the variable) or one.

    (Plain classes, here and in :class:`Found`: every first answer of the default registry
    imports this module, and a ``NamedTuple`` costs some 0.1 ms to define.)"""

    __slots__ = ("key", "many", "variable")

    def __init__(self, key: str, variable: str, *, many: bool = True) -> None:
        self.key, self.variable, self.many = key, variable, many

    def __repr__(self) -> str:
        return f"Setting({self.key!r}, {self.variable!r}, many={self.many!r})"


LOCAL = Setting("local", "PORTINFO_LOCAL")
"""Your own port files (see the page "Your own ports")."""
DATA = Setting("data", "PORTINFO_DATA", many=False)
"""A saved registry (``Registry.save``) for the default registry to answer from (see the
page "Using newer data without a release")."""
SETTINGS = (LOCAL, DATA)
"""Every setting, and so every key a config file may hold."""


class Found:
    """A setting's paths, and where they were set: the variable's name, the config file's
    path, or ``""`` where nothing set them."""

    __slots__ = ("origin", "paths")

    def __init__(self, paths: tuple[str, ...], origin: str) -> None:
        self.paths, self.origin = paths, origin

    def __repr__(self) -> str:
        return f"Found({self.paths!r}, {self.origin!r})"

    def named(self, error: DataFormatError) -> DataFormatError:
        """``error`` (about one of the paths, whose message starts with it) saying where
        the path was set, so that a file nobody named in this call is found; any other
        error as it is."""
        from portinfo._files import label  # noqa: PLC0415  # only on an error

        if self.origin and any(str(error).startswith(label(path)) for path in self.paths):
            return DataFormatError(f"{error} (a file named by {self.origin})")
        return error


def config_path() -> str:
    """The path of the config file: ``PORTINFO_CONFIG`` if set, else ``config.toml`` in
    the platform's per-user config directory."""
    chosen = os.environ.get(CONFIG_VARIABLE)
    if chosen:
        return os.path.expanduser(chosen)
    directory = _xdg_config_dir()
    if directory is None:
        import platformdirs  # noqa: PLC0415  # only when a setting is first read

        directory = platformdirs.user_config_dir("portinfo", appauthor=False)
    return os.path.join(directory, CONFIG_FILE)


def _xdg_config_dir() -> str | None:
    """On Linux, where the environment is plain, what ``platformdirs.user_config_dir`` gives
    (the XDG Base Directory rule: ``$XDG_CONFIG_HOME/portinfo`` where that is an absolute
    path, else ``$HOME/.config/portinfo``), without importing platformdirs; else ``None``.

    Importing platformdirs costs some 6 ms, which every first answer of the default
    registry would pay, over the 10 ms a first lookup is allowed: the plain case is worked
    out here, and a test checks it against platformdirs in each case it answers; any other
    case (a relative ``$HOME`` or ``$XDG_CONFIG_HOME``, another system) is platformdirs'."""
    home, base = os.environ.get("HOME", ""), os.environ.get("XDG_CONFIG_HOME", "")
    if not sys.platform.startswith("linux") or not os.path.isabs(home):
        return None
    if base and not os.path.isabs(base):
        return None  # platformdirs' versions differ here (older ones take it as it is)
    return os.path.join(base or os.path.join(home, ".config"), "portinfo")


def read_config(path: str) -> dict[str, Any]:
    """The settings of the config file ``path``, checked; ``{}`` where there is no file."""
    if not os.path.lexists(path):
        return {}
    from portinfo._files import label, read_file  # noqa: PLC0415  # only with a config file
    from portinfo._observed import load_toml  # noqa: PLC0415

    data, name = read_file(path)
    settings = load_toml(data, label(name))
    known = {setting.key for setting in SETTINGS}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise DataFormatError(
            f"{label(name)}: unknown key {show(unknown[0])}; the keys are {sorted(known)}"
        )
    return settings


def _from_file(setting: Setting, value: object, path: str) -> tuple[str, ...]:
    """The paths of ``setting`` in the config file ``path``, relative to its directory."""
    paths: list[str] = []
    if isinstance(value, str) and value:
        paths = [value]
    elif setting.many and isinstance(value, list) and all(isinstance(p, str) for p in value):
        paths = value
    if not all(paths) or (not paths and value != []):
        from portinfo._files import label  # noqa: PLC0415  # only on an error

        kind = "a path or a list of paths" if setting.many else "a path"
        raise DataFormatError(f"{label(path)}: {setting.key} must be {kind}, got {show(value)}")
    here = os.path.dirname(os.path.abspath(path))
    return tuple(os.path.join(here, os.path.expanduser(p)) for p in paths)


def find(setting: Setting) -> Found:
    """The paths of ``setting``: from its environment variable, else from the config file,
    else none."""
    value = os.environ.get(setting.variable)
    if value is not None:
        parts = value.split(os.pathsep) if setting.many else [value]
        paths = tuple(os.path.expanduser(part) for part in parts if part)
        return Found(paths, setting.variable)
    path = config_path()
    settings = read_config(path)
    if setting.key not in settings:
        return Found((), "")
    return Found(_from_file(setting, settings[setting.key], path), path)
