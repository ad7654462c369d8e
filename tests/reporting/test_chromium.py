"""The HTML report in a real browser: headless Chromium draws a page that is not blank and logs no error.

The page carries the hostile payloads of the synthetic consultation; a script that ran, or a resource the
Content-Security-Policy blocked, would show in Chromium's log. A control page with an inline script checks
that the log does report such errors, so that a silent log means something.

Skipped where Debian's `chromium` is not installed (CI installs it, see .ci/run).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from evaluation.reporting import ReportContext, render_html

CHROMIUM = Path("/usr/bin/chromium")
ERRORS = re.compile(r"CONSOLE|Content Security Policy|Refused to|Uncaught|SyntaxError|ReferenceError", re.I)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium absent (/usr/bin/chromium) : apt-get install chromium ; CI l'installe"
)


def run_chromium(page: Path, tmp_path: Path, *action: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profil"
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
         "--window-size=1280,2000", *action, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )


def page_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if ERRORS.search(line)]


def png_colours(data: bytes, limit: int = 64) -> set[bytes]:
    """Distinct pixel colours of an 8-bit RGB or RGBA PNG, decoded with zlib (up to `limit`)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "PNG RGB/RGBA 8 bits non entrelacé attendu"
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(idat)
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 8 == 0:  # a sample of rows is enough to tell a drawn page from a blank one
            colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp * 4))
            if len(colours) >= limit:
                break
        previous = line
    return colours


def test_report_is_drawn_and_logs_no_error(ctx: ReportContext, tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    page.write_text(render_html(ctx), encoding="utf-8")
    shot = tmp_path / "capture.png"
    result = run_chromium(page, tmp_path, f"--screenshot={shot}")
    assert shot.is_file(), result.stderr[-2000:]
    assert len(png_colours(shot.read_bytes())) > 1, "page blanche"
    assert page_errors(result.stderr) == []


def test_dom_is_the_report_and_no_script_ran(ctx: ReportContext, tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    page.write_text(render_html(ctx), encoding="utf-8")
    result = run_chromium(page, tmp_path, "--dump-dom")
    assert "Rapport d'analyse des offres" in result.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout
    assert "<script" not in result.stdout.lower()
    assert page_errors(result.stderr) == []


def test_log_does_report_a_blocked_script(tmp_path: Path) -> None:
    """Control: the same CSP with an inline script must produce an error in the log the tests read."""
    page = tmp_path / "controle.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"><title>t</title></head>"
        "<body><p>contrôle</p><script>document.title = 'exécuté'</script></body></html>",
        encoding="utf-8",
    )
    result = run_chromium(page, tmp_path, "--dump-dom")
    assert "<title>t</title>" in result.stdout  # the script did not run
    assert page_errors(result.stderr), result.stderr[-2000:]


def test_png_decoder_tells_blank_from_drawn(tmp_path: Path) -> None:
    if shutil.which("chromium") is None and not CHROMIUM.exists():  # pragma: no cover - module is skipped
        pytest.skip("Chromium absent")
    blank = tmp_path / "blanche.html"
    blank.write_text("<!DOCTYPE html><html><body style='background:#fff'></body></html>", encoding="utf-8")
    shot = tmp_path / "blanche.png"
    run_chromium(blank, tmp_path, f"--screenshot={shot}")
    assert png_colours(shot.read_bytes()) == {b"\xff\xff\xff"}
