"""``screen_responses FILE.csv --key KEY [--alpha] [--method] [--json]`` on exported response files
written from a synthetic sitting with planted copiers (bench/screening.py, ``simulate``)."""
import importlib.util
import json
import pathlib

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

_BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench" / "screening.py"
_spec = importlib.util.spec_from_file_location("bench_screening", _BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

LETTERS = "ABCD"


@pytest.fixture
def sitting(tmp_path):
    names, answers, right, planted = bench.simulate(150, 40, copiers=4, share=0.8, seed=11)
    lines = ["student,answers"] + [
        f"{name},{''.join(LETTERS[a] if a >= 0 else '-' for a in row)}" for name, row in zip(names, answers)]
    path = tmp_path / "responses.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    key = "".join(LETTERS[r] for r in right)
    return path, key, {frozenset((names[s], names[c])) for s, c in planted}


def _json(capsys, *args):
    call_command("screen_responses", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_json_lists_the_flagged_pairs(sitting, capsys):
    path, key, planted = sitting
    out = _json(capsys, str(path), "--key", key)
    assert (out["alpha"], out["students"], out["questions"], out["method"]) == (0.05, 150, 40, "bonferroni")
    assert out["verified_length"] is True
    found = {frozenset((p["a"], p["b"])) for p in out["pairs"]}
    assert found and found <= planted
    first = out["pairs"][0]
    assert {"a", "b", "statistic", "p"} <= set(first) and first["p"] < 0.05 / out["pairs_tested"]
    assert [p["p"] for p in out["pairs"]] == sorted(p["p"] for p in out["pairs"])


def test_alpha_and_method_change_what_is_flagged(sitting, capsys):
    path, key, _planted = sitting
    strict = _json(capsys, str(path), "--key", key, "--alpha", "1e-12")
    lenient = _json(capsys, str(path), "--key", key, "--method", "bh", "--alpha", "0.2")
    assert strict["alpha"] == 1e-12 and lenient["method"] == "bh"
    assert len(strict["pairs"]) < len(lenient["pairs"])


def test_text_output_is_translated_and_says_worth_a_look(sitting, capsys):
    path, key, _planted = sitting
    with translation.override("en"):
        call_command("screen_responses", str(path), "--key", key)
    english = capsys.readouterr().out
    assert "150 students, 40 questions" in english and "Pairs worth a look" in english
    assert "not proof of cheating" in english
    with translation.override("vi"):
        call_command("screen_responses", str(path), "--key", key)
    assert "150" in capsys.readouterr().out


@pytest.mark.parametrize("content, key, reason", [
    (None, "AB", "Cannot read"),
    ("student,answers\nx,AB\ny,AC\n", "ABC", "the key has 3"),
    ("student;answers\nx;AB\n", "AB", "header"),
    (b"student,answers\nx,\xff\n", "AB", "UTF-8"),
    ("student,answers\nx,AB\ny,AB\n", "AZ", "only the letters"),
])
def test_a_file_it_cannot_read_ends_with_exit_2_and_the_reason(tmp_path, content, key, reason):
    path = tmp_path / "file.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match=reason) as caught:
        call_command("screen_responses", str(path), "--key", key)
    assert caught.value.returncode == 2


def test_alpha_outside_zero_and_one_is_refused(sitting):
    path, key, _planted = sitting
    with translation.override("en"), pytest.raises(CommandError, match="between 0 and 1") as caught:
        call_command("screen_responses", str(path), "--key", key, "--alpha", "1.5")
    assert caught.value.returncode == 2


def test_a_test_longer_than_the_verified_length_is_said_so(tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text("student,answers\nx," + "A" * 200 + "\ny," + "B" * 200 + "\n", encoding="utf-8")
    with translation.override("en"):
        call_command("screen_responses", str(path), "--key", "A" * 200)
    assert "more than 150 questions" in capsys.readouterr().out
    assert _json(capsys, str(path), "--key", "A" * 200)["verified_length"] is False
