"""Run a parser in a child process with a memory limit and a wall-clock timeout.

The child is a fresh interpreter running a worker script by its path, in isolated mode (`-I`): it
imports nothing of the caller's program, so the library works whatever the main module is. It gets
its own address-space limit (RLIMIT_AS, where the platform has it) and is killed once the timeout
passes. It answers with JSON on its standard output, never pickle: a parser subverted by a hostile file
could not make the parent run code. A parser that loops, explodes in memory or crashes therefore costs
one document, never the run.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

try:
    import resource
except ImportError:  # Windows: no address-space limit, the timeout still applies
    resource = None  # type: ignore[assignment]

__all__ = ["Interrupted", "run_worker"]

Reason = Literal["delai", "memoire", "arret"]
# Native parsers abort (std::bad_alloc, then abort()) when the address-space limit refuses an
# allocation, and the kernel's OOM killer sends SIGKILL: both mean memory.
_MEMORY_SIGNALS = frozenset(-int(getattr(signal, name)) for name in ("SIGABRT", "SIGKILL") if hasattr(signal, name))


class Interrupted(Exception):
    """The child did not answer: `reason` is "delai" (timeout), "memoire" (out of memory) or "arret" (crash)."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason} {detail}".strip())
        self.reason: Reason = reason
        self.detail = detail


def _limiter(memory: int) -> Callable[[], None] | None:
    """A function run in the child before the interpreter starts, lowering its address-space limit."""
    if resource is None or memory <= 0:
        return None

    def limit() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        # Some platforms (macOS) refuse it: the timeout still applies.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    return limit


def run_worker(script: Path, args: list[str], *, timeout: float, memory: int) -> Any:
    """Run `python -I script *args` and return the value it wrote as JSON: {"ok": value}.

    The worker writes {"memoire": true} when it ran out of memory and {"erreur": class name} when its
    function raised.

    Raises:
        Interrupted: timeout, memory exhausted, or the child died without a valid answer.
        RuntimeError: the worker's function raised; the message is the exception's class name.
    """
    try:
        completed = subprocess.run(
            [sys.executable, "-I", str(script), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limiter(memory),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Interrupted("delai") from None
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or completed.returncode != 0:
        if completed.returncode in _MEMORY_SIGNALS or b"MemoryError" in completed.stderr[-2000:]:
            raise Interrupted("memoire")
        raise Interrupted("arret", f"code {completed.returncode}")
    if "memoire" in answer:
        raise Interrupted("memoire")
    if "erreur" in answer:
        raise RuntimeError(str(answer["erreur"]))
    return answer["ok"]
