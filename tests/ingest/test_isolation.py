"""Running a worker script in a child interpreter under a memory limit and a timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.ingest.isolation import Interrupted, run_worker


def worker(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "worker.py"
    path.write_text(f"import json, os, signal, sys, time\n{body}\n", encoding="utf-8")
    return path


def test_value_comes_back_as_plain_data(tmp_path: Path) -> None:
    script = worker(tmp_path, 'sys.stdout.write(json.dumps({"ok": {"args": sys.argv[1:]}}))')
    assert run_worker(script, ["a", "b"], timeout=30, memory=512 * 1024 * 1024) == {"args": ["a", "b"]}


def test_child_past_its_timeout_is_killed(tmp_path: Path) -> None:
    with pytest.raises(Interrupted) as caught:
        run_worker(worker(tmp_path, "time.sleep(60)"), [], timeout=0.5, memory=0)
    assert caught.value.reason == "delai"


def test_child_out_of_memory(tmp_path: Path) -> None:
    script = worker(tmp_path, "data = bytearray(2 * 1024 ** 3)")
    with pytest.raises(Interrupted) as caught:
        run_worker(script, [], timeout=30, memory=256 * 1024 * 1024)
    assert caught.value.reason == "memoire"


def test_native_abort_counts_as_memory(tmp_path: Path) -> None:
    with pytest.raises(Interrupted) as caught:
        run_worker(worker(tmp_path, "os.abort()"), [], timeout=30, memory=0)
    assert caught.value.reason == "memoire"


def test_crash_without_answer(tmp_path: Path) -> None:
    with pytest.raises(Interrupted) as caught:
        run_worker(worker(tmp_path, "os.kill(os.getpid(), signal.SIGSEGV)"), [], timeout=30, memory=0)
    assert caught.value.reason == "arret"


def test_garbage_answer_is_a_crash(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        run_worker(worker(tmp_path, 'sys.stdout.write("pas du JSON")'), [], timeout=30, memory=0)


def test_worker_error_is_named(tmp_path: Path) -> None:
    script = worker(tmp_path, 'sys.stdout.write(json.dumps({"erreur": "ValueError"}))')
    with pytest.raises(RuntimeError, match="ValueError"):
        run_worker(script, [], timeout=30, memory=0)
