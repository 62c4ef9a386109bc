"""What a type checker says of code that uses portinfo: records are frozen and not sequences.

Runs ``mypy --strict`` on small consumer scripts, as a project that depends on portinfo
would. Skipped where mypy is not installed (the test extra alone, as in the wheel run).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
