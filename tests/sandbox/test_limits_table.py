"""Are limits typed once: read from an assignment's table, checked, described for instructors?"""

import dataclasses

import pytest

from autograder.cli import main
from autograder.sandbox import Limits, LimitsError, describe_limits


def test_a_table_sets_the_limits_it_names_and_leaves_the_rest_at_their_defaults():
    limits = Limits.from_table({"call_seconds": 3, "memory_bytes": 1 << 30}, source="ch99")
    assert limits.call_seconds == 3.0 and type(limits.call_seconds) is float
    assert limits.memory_bytes == 1 << 30
    assert limits.submission_seconds == Limits().submission_seconds
    assert Limits.from_table({}, source="ch99") == Limits()


@pytest.mark.parametrize("table, words", [
    ({"call_secs": 3}, ["call_secs", "call_seconds", "max_values"]),   # the known ones are listed
    ({"isolation": "fallback"}, ["isolation", "unknown"]),             # a mode of the sandbox, not a limit
    ({"call_seconds": -1}, ["call_seconds", "positive"]),
    ({"call_seconds": 0}, ["call_seconds", "positive"]),
    ({"call_seconds": float("inf")}, ["call_seconds", "finite"]),
    ({"call_seconds": "10"}, ["call_seconds", "number"]),
    ({"call_seconds": True}, ["call_seconds", "number"]),
    ({"memory_bytes": 2.5e9}, ["memory_bytes", "whole number of bytes"]),
    ({"cpu_seconds": 0}, ["cpu_seconds", "positive"]),
    ({"max_array_bytes": 1 << 30}, ["max_array_bytes", "max_frame_bytes"]),
])
def test_a_bad_table_names_the_bad_key(table, words):
    with pytest.raises(LimitsError) as info:
        Limits.from_table(table, source="ch99/assignment.toml")
    assert "ch99/assignment.toml" in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_a_table_must_be_a_table():
    with pytest.raises(LimitsError, match="table"):
        Limits.from_table(["call_seconds"], source="x")


def test_every_way_of_making_limits_checks_them():
    """Overrides go through dataclasses.replace, which must not skip the checks."""
    with pytest.raises(LimitsError, match="open_files"):
        dataclasses.replace(Limits(), open_files=0)
    with pytest.raises(LimitsError, match="max_values"):
        Limits(max_values=-5)
    assert Limits(cpu_seconds=None).effective_cpu_seconds() == int(Limits().submission_seconds) + 30


def test_every_limit_has_a_unit_and_a_help_line_in_the_description():
    text = describe_limits()
    for spec in dataclasses.fields(Limits):
        assert spec.metadata["unit"] and len(spec.metadata["help"]) > 20
        line = next(line for line in text.splitlines() if line.split()[0] == spec.name)
        assert spec.metadata["unit"] in line and spec.metadata["help"] in line


def test_the_cli_prints_the_limits(capsys):
    assert main(["limits"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == describe_limits().strip()
    assert "call_seconds" in out and "max_dict_keys" in out


def test_reply_caps_follow_the_limits():
    caps = Limits(max_values=10, max_string_bytes=20, max_dict_keys=30, max_array_bytes=40).reply_caps()
    assert (caps.values, caps.string_bytes, caps.dict_keys, caps.array_bytes) == (10, 20, 30, 40)
