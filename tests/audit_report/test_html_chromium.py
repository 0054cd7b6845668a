#!/usr/bin/env python3
"""The HTML report of `redislint audit` in headless Chromium.

    test_html_chromium.py REPORT.html

REPORT.html is the page test_audit_report writes (with REPORT.html.bars,
the number of chart bars it must show). Chromium opens it from disk with the
network cut off (every host name resolves to nothing); the test takes a
screenshot and checks it is a real 1200x900 picture with the chart's bar
colours in it, then dumps the DOM and checks the chart is an inline <svg>
with one <rect class="bar"> per template and encoding, and that hostile key
names stayed text (no <script> or <img> element). No timeout of its own: a
hung browser is left to ctest's.

Exit status: 0 pass, 1 fail, 77 skipped (no Chromium installed; Debian:
`apt-get install chromium`, scripts/install-deps.sh --test)."""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
WIDTH, HEIGHT = 1200, 900
# colours of the chart (src/audit_html.c) that the fixture's data must show
BAR_COLOURS = {"hashtable": (0xE1, 0x57, 0x59), "raw": (0xF2, 0x8E, 0x2B), "quicklist": (0xB0, 0x7A, 0xA1)}


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def browser():
    env = os.environ.get("CHROMIUM")
    if env:
        return env
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def run(chrome, profile, *args):
    cmd = [chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--no-default-browser-check", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--disable-extensions",
           "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", *args]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr.decode(errors='replace')[-2000:]}")
    return p.stdout.decode("utf-8", errors="replace")


def png_pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail(f"unexpected PNG format depth={depth} colour type={ctype} interlace={interlace}")
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, rows, at = zlib.decompress(idat), w * bpp, bytearray(w * bpp), [], 0
    for _ in range(h):
        f, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.svgs, self.bars, self.bars_outside_svg, self.depth = [], 0, 0, 0
        self.scripts = self.imgs = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svgs.append(a)
            self.depth += 1
        elif tag == "rect" and "bar" in (a.get("class") or "").split():
            if self.depth:
                self.bars += 1
            else:
                self.bars_outside_svg += 1
        elif tag == "script":
            self.scripts += 1
        elif tag == "img":
            self.imgs += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    report = os.path.abspath(sys.argv[1])
    chrome = browser()
    if not chrome:
        print("skipped: no Chromium installed (apt-get install chromium)")
        return 77
    if not os.path.isfile(report):
        fail(f"{report} missing (test_audit_report writes it)")
    want_bars = int(open(report + ".bars").read())
    url = "file://" + report
    with tempfile.TemporaryDirectory(prefix="rl-chromium-") as tmp:
        shot = os.path.join(tmp, "report.png")
        run(chrome, os.path.join(tmp, "profile1"), f"--screenshot={shot}",
            f"--window-size={WIDTH},{HEIGHT}", url)
        if not os.path.isfile(shot) or os.path.getsize(shot) < 10000:
            fail(f"no screenshot, or a trivial one ({shot})")
        w, h, rows = png_pixels(shot)
        if (w, h) != (WIDTH, HEIGHT):
            fail(f"screenshot is {w}x{h}, not {WIDTH}x{HEIGHT}")
        colours = {px for row in rows for px in row}
        if len(colours) < 16:
            fail(f"screenshot has {len(colours)} colours: a blank page?")
        for enc, rgb in BAR_COLOURS.items():
            near = any(all(abs(px[i] - rgb[i]) <= 3 for i in range(3)) for px in colours)
            if not near:
                fail(f"the chart's {enc} colour #{bytes(rgb).hex()} is not in the screenshot")
        dom = Dom()
        dom.feed(run(chrome, os.path.join(tmp, "profile2"), "--dump-dom", url))
    chart = [s for s in dom.svgs if s.get("id") == "chart"]
    if len(chart) != 1:
        fail(f"{len(chart)} <svg id=chart> in the DOM, expected 1")
    if dom.bars != want_bars or dom.bars_outside_svg:
        fail(f"{dom.bars} bars in the chart ({dom.bars_outside_svg} outside it), expected {want_bars}")
    if dom.scripts or dom.imgs:
        fail(f"hostile key names became markup: {dom.scripts} <script>, {dom.imgs} <img>")
    text = "".join(dom.text)
    if "<script>alert(1)</script>" not in text:
        fail("the hostile key name is not shown as text")
    print(f"ok: screenshot {w}x{h} with {len(colours)} colours; chart with {dom.bars} bars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
