"""The command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from portinfo.__main__ import main


def test_a_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["2039"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2039: assigned, User Ports (registered)")
    assert "prizma 2039/tcp | Prizma Monitoring Service | assignee Dotan Ofek" in out
    assert "NI VeriStand Gateway" in out


def test_a_port_and_protocol_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["53", "--protocol", "udp", "--json"]) == 0
    (info,) = json.loads(capsys.readouterr().out)
    assert info["port"] == 53
    assert info["protocol"] == "udp"
    assert info["range"] == "system"
    assert [a["service"] for a in info["assignments"]] == ["domain"]


def test_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["msrpc"]) == 0
    assert capsys.readouterr().out.startswith("epmap: ports 135 (as nmap name 'msrpc')")


def test_search(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--search", "veristand", "--limit", "1"]) == 0
    assert "ni-veristand-gateway" in capsys.readouterr().out


def test_data_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-info", "--json"]) == 0
    (info,) = json.loads(capsys.readouterr().out)
    assert info["sources"][0]["date"] == "2026-08-17"


def test_exit_status_for_nothing_found_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-service"]) == 1
    assert "no service or alias is named 'no-such-service'" in capsys.readouterr().err
    assert main(["70000"]) == 2
    assert "0 to 65535, got '70000'" in capsys.readouterr().err
    assert main(["80", "--protocol", "icmp"]) == 2
    assert main(["--search", "zzzzzzzzzz"]) == 1
    with pytest.raises(SystemExit):
        main([])


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "portinfo", "22/tcp"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("22/tcp: assigned, System Ports (well-known)")
