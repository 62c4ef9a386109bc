"""What a type checker says of code that uses portinfo: records are frozen and not sequences.

Runs ``mypy --strict`` on small consumer scripts, as a project that depends on portinfo
would. Skipped where mypy is not installed (the test extra alone, as in the wheel run).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import portinfo

pytest.importorskip("mypy", reason="mypy is a development dependency: pip install -e '.[dev]'")

GOOD = """
from __future__ import annotations
import attrs
import portinfo
from portinfo import PortInfo, Protocol


class Port:
    def __index__(self) -> int:
        return 80


info: PortInfo = portinfo.lookup(Port(), Protocol.TCP)
same: PortInfo = portinfo.default_registry().lookup(80, "tcp")
changed: PortInfo = attrs.evolve(info, port=81)
first: str | None = info.assignments[0].service if info.assignments else None
names: tuple[str, ...] = info.services
"""

BAD = {
    "info.port = 5": "read-only",
    "info[0]": "not indexable",
    "len(info)": "has incompatible type",
    "80 in info": "Unsupported right operand type",
    "info + info": "Unsupported left operand type",
    "for field in info: pass": 'has no attribute "__iter__"',
    "attrs.evolve(info, port='80')": "has incompatible type",
    "attrs.evolve(info, nope=1)": 'Unexpected keyword argument "nope"',
}


def _mypy(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "consumer.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


def test_correct_use_type_checks(tmp_path: Path) -> None:
    result = _mypy(tmp_path, GOOD)
    assert result.returncode == 0, result.stdout


def test_the_documented_module_names(tmp_path: Path) -> None:
    # At run time a class's module is portinfo's; mypy names the defining module, as
    # docs/recipes/typed-tool.md says. Should mypy ever say "portinfo.PortInfo", the page
    # needs changing.
    assert repr(portinfo.PortInfo) == "<class 'portinfo.PortInfo'>"
    assert b"portinfo._records" not in pickle.dumps(portinfo.lookup(80))
    result = _mypy(tmp_path, "import portinfo\nreveal_type(portinfo.lookup(80))\n")
    assert 'Revealed type is "portinfo._records.PortInfo"' in result.stdout, result.stdout


@pytest.mark.parametrize(("statement", "complaint"), BAD.items())
def test_mutating_or_indexing_a_record_fails_to_type_check(
    tmp_path: Path, statement: str, complaint: str
) -> None:
    code = "import attrs\nimport portinfo\ninfo = portinfo.lookup(80)\n" + statement + "\n"
    result = _mypy(tmp_path, code)
    assert result.returncode == 1, result.stdout
    assert "consumer.py:4: error" in result.stdout, result.stdout
    assert complaint in result.stdout, result.stdout


def test_the_typed_tool_recipe_type_checks(tmp_path: Path) -> None:
    """The code of docs/recipes/typed-tool.md passes mypy --strict, as it says."""
    from tests.conftest import REPOSITORY

    page = (REPOSITORY / "docs" / "recipes" / "typed-tool.md").read_text(encoding="utf-8")
    block = page.split("```python\n", 1)[1].split("```", 1)[0]
    code = "\n".join(line[4:] for line in block.splitlines() if line.startswith((">>> ", "... ")))
    assert "def rule_comment" in code
    result = _mypy(tmp_path, code + "\n")
    assert result.returncode == 0, result.stdout


def test_each_record_says_which_dict_it_gives() -> None:
    """Every record's TypedDict has exactly its fields, and as_dict() gives those keys."""
    import attrs

    import portinfo
    from portinfo import dicts

    records = [portinfo.lookup(2039), portinfo.resolve("http"), portinfo.search("http")[0]]
    records += [portinfo.data_info(), portinfo.Listener.at("127.0.0.1", 2039, "tcp")]
    for name in dicts.__all__:
        cls = getattr(portinfo, name.removesuffix("Dict"))
        fields = [field.name for field in attrs.fields(cls)]
        assert list(getattr(dicts, name).__annotations__) == fields, name
    for record in records:
        assert list(record.as_dict()) == [f.name for f in attrs.fields(type(record))]  # type: ignore[arg-type]


def test_a_typed_dict_is_checked_by_mypy(tmp_path: Path) -> None:
    code = (
        "import portinfo\n"
        "data = portinfo.lookup(80).as_dict()\n"
        "port: int = data['port']\n"
        "name: str | None = data['assignments'][0]['service']\n"
        "data['nonsense']\n"
    )
    result = _mypy(tmp_path, code)
    assert result.returncode == 1, result.stdout
    assert result.stdout.count(": error:") == 1, result.stdout
    assert '"nonsense"' in result.stdout, result.stdout
