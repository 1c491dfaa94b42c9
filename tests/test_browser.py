"""The web page in real headless Chromium, against `kehoach serve` over the five sample plans.

Chromium is driven with the DevTools protocol over --remote-debugging-pipe (fd 3/4, JSON
messages ending in NUL), so no extra package is needed. Screenshots of every page go to
./screenshots/ (or $KEHOACH_SCREENSHOTS). Skipped when Debian's `chromium` is not installed.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
SHOTS = Path(os.environ.get("KEHOACH_SCREENSHOTS") or ROOT / "screenshots")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
WAIT_S = float(os.environ.get("KEHOACH_BROWSER_WAIT", 30))  # upper bound for a page to reach a state; not a performance assertion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)"),
]


# ---------------------------------------------------------------- a minimal DevTools client

class Browser:
    def __init__(self, binary: str):
        self.profile = tempfile.mkdtemp(prefix="kehoach-chromium-")
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def fds():  # chromium reads commands on fd 3 and writes answers on fd 4
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=vi", f"--user-data-dir={self.profile}",
             "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), preexec_fn=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(res_w)
        self._id = 0
        self._results: dict[int, dict] = {}
        self.events: list[dict] = []
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.cmd(f"{domain}.enable")
        self.cmd("Emulation.setDeviceMetricsOverride", {"width": 1360, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def _read(self) -> None:
        buf = b""
        while chunk := os.read(self._res_r, 1 << 16):
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._cv:
                    if "id" in msg:
                        self._results[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self._cv.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        with self._cv:
            self._id += 1
            mid = self._id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        with self._cv:
            if not self._cv.wait_for(lambda: mid in self._results, WAIT_S):
                raise TimeoutError(f"chromium did not answer {method}")
            answer = self._results.pop(mid)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def cmd(self, method: str, params: dict | None = None) -> dict:
        return self.send(method, params, self.session)

    def js(self, expression: str):
        r = self.cmd("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, expression: str, what: str):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value not in (None, False, 0, ""):  # a DOM node arrives as {}: it counts as found
                return value
            time.sleep(0.1)
        raise AssertionError(f"page never showed {what} ({expression}); at {self.js('location.href')}:\n"
                             f"{self.js('document.body.innerText')[:1500]}")

    def goto(self, url: str) -> None:
        self.cmd("Page.navigate", {"url": url})
        self.wait("document.readyState === 'complete'", "a loaded document")

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre (so overlays and layout bugs show up)."""
        sel = json.dumps(selector)
        box = self.wait(f"""(() => {{ const el = document.querySelector({sel});
            if (!el) return null; el.scrollIntoView({{block: 'center'}});
            const r = el.getClientRects()[0] || el.getBoundingClientRect();  // first line box of a wrapped link
            if (!r.width || !r.height) return null;
            const x = r.x + r.width / 2, y = r.y + r.height / 2, top = document.elementFromPoint(x, y);
            return {{x, y, hit: !!top && (el === top || el.contains(top)), top: top ? top.outerHTML.slice(0, 200) : null}}; }})()""",
                        selector)
        assert box["hit"], f"{selector} is covered at its centre by {box['top']}"
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.cmd("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.js(f"document.querySelector({json.dumps(selector)}).select?.()")
        self.cmd("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.cmd("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13, **({"text": "\r"} if kind == "keyDown" else {})})

    def screenshot(self, name: str) -> Path:
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        size = self.cmd("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": 1360, "height": min(int(size["height"]), 4000), "scale": 1}
        data = self.cmd("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})["data"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / name
        path.write_bytes(base64.b64decode(data))
        return path

    def page_errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}))[:500])
            elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
            self.proc.wait(10)
        os.close(self._cmd_w)
        shutil.rmtree(self.profile, ignore_errors=True)


# ---------------------------------------------------------------- server and browser fixtures

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kehoach() -> list[str]:
    script = Path(sys.executable).parent / "kehoach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kehoach.cli"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from archive.service import Archive

    data = tmp_path_factory.mktemp("kehoach-browser-data")
    with Archive.open(data) as arc:
        assert arc.ingest([SAMPLES]).ok
    port = _free_port()
    env = {**os.environ, "KEHOACH_DATA": str(data), "KEHOACH_BACKEND": "embedded"}
    env.pop("KEHOACH_API_KEY", None)
    log = open(data / "serve.log", "wb")
    proc = subprocess.Popen([*_kehoach(), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if json.load(r)["plans"] == 5:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("kehoach serve did not start:\n" + (data / "serve.log").read_text(errors="replace"))
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    log.close()


@pytest.fixture(scope="module")
def browser(server):
    b = Browser(CHROMIUM)
    b.send("Browser.grantPermissions", {"origin": server, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield b
    b.close()


# ---------------------------------------------------------------- the walk through the page

def test_walk_through_the_page(server, browser):
    b = browser
    # Tìm kiếm: type the query without diacritics, submit with Enter
    b.goto(server + "/")
    b.wait("document.querySelector('input[name=q]')", "the search box")
    b.type("input[name=q]", "ho tro nha o")
    b.press_enter()
    b.wait("location.search.includes('q=ho+tro+nha+o') && document.querySelectorAll('.hit').length > 0", "results")
    total = b.js("document.getElementById('total').textContent")
    assert "kế hoạch" in total
    assert b.js("document.querySelectorAll('.hit mark').length") > 0, "no highlighted words"
    assert b.js("document.querySelectorAll('.facet[data-facet=province] li a').length") >= 2
    b.screenshot("01-tim-kiem.png")

    # a facet: filter on the first province, the URL carries it, the count matches the results
    value, count = b.js("""(() => { const a = document.querySelector('.facet[data-facet=province] li a');
        return [a.dataset.value, Number(a.querySelector('.n').textContent)]; })()""")
    b.click(".facet[data-facet=province] li a")
    b.wait("location.search.includes('province=') && document.querySelector('.facet[data-facet=province] a.on')", "the facet on")
    b.wait(f"document.querySelectorAll('.hit').length === {min(count, 10)}", f"{count} plans of {value}")
    assert b.js("document.querySelectorAll('.chip').length") == 1
    b.screenshot("02-bo-loc.png")
    # bookmarkable: reloading the URL gives the same state
    url = b.js("location.href")
    b.goto(url)
    b.wait(f"document.querySelectorAll('.hit').length === {min(count, 10)} && document.querySelector('a.on')", "the same state after reload")
    # click again removes the filter
    b.click(".facet[data-facet=province] a.on")
    b.wait("!location.search.includes('province=') && document.querySelectorAll('.chip').length === 0", "the facet off")
    b.wait("document.querySelectorAll('.hit').length > 0", "results again")

    # Trang kế hoạch: open the plan of Phong Thổ, entities highlighted in their colours
    b.click(".hit[data-locality='Phong Thổ'] h3 a")
    b.wait("location.pathname.startsWith('/ke-hoach/') && document.querySelector('.plan-text .ent')", "highlighted plan text")
    kinds = b.js("""(() => { const n = {}; for (const e of document.querySelectorAll('.plan-text .ent'))
        n[e.dataset.type] = (n[e.dataset.type] || 0) + 1; return n; })()""")
    assert all(kinds.get(k, 0) > 0 for k in ("ref", "amount", "agency", "target")), kinds
    colours = b.js("""(() => Object.fromEntries(['ref','amount','agency','target'].map(t =>
        [t, getComputedStyle(document.querySelector('.legend .ent-' + t)).backgroundColor])))()""")
    assert len(set(colours.values())) == 4, colours
    assert b.js("document.querySelectorAll('.side table').length") >= 4
    assert b.js("document.querySelector('.side a[href^=\"/trich-dan/\"]') !== null"), "references do not link to citing plans"
    b.screenshot("03-ke-hoach.png")
    # a reference leads to the plans citing it
    b.click(".side a[href^='/trich-dan/']")
    b.wait("location.pathname.startsWith('/trich-dan/') && document.querySelector('table a[href^=\"/ke-hoach/\"]')", "citing plans")
    b.screenshot("04-trich-dan.png")

    # So sánh: choose gnbv and DA5 in the form, see the chart and the CSV link
    b.click("a[data-nav=compare]")
    b.wait("document.querySelector('select[name=du_an] option[value=DA5]')", "DA5 among the choices")
    b.js("document.querySelector('select[name=program]').value = 'gnbv'")
    b.js("document.querySelector('select[name=du_an]').value = 'DA5'")
    b.click("form.controls button")
    b.wait("location.search.includes('du_an=DA5') && document.querySelector('#chart svg rect[data-source]')", "the chart")
    bars = b.js("document.querySelectorAll('#chart svg rect[data-source]').length")
    rows = b.js("document.querySelectorAll('.card').length")
    assert rows >= 2 and bars >= rows
    assert "Phong Thổ" in b.js("document.getElementById('chart').textContent")
    csv_head = b.js("""fetch(document.getElementById('csv-link').href).then(r => r.arrayBuffer())
        .then(b => Array.from(new Uint8Array(b.slice(0, 3))))""")
    assert csv_head == [0xEF, 0xBB, 0xBF]
    b.screenshot("05-so-sanh.png")

    # Soạn thảo: paste a clause, see similar clauses with plan and locality, copy one
    b.click("a[data-nav=draft]")
    b.wait("document.querySelector('textarea[name=text]')", "the drafting box")
    clause = "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo"
    b.type("textarea[name=text]", clause)
    b.click("form button[type=submit]")
    b.wait("document.querySelectorAll('#similar .sim').length > 0", "similar clauses")
    first = b.js("document.querySelector('#similar .sim').innerText")
    place = b.js("document.querySelector('#similar .sim a[href^=\"/ke-hoach/\"]').textContent")
    assert "%" in first and place and "Dự án 5" in first, first
    b.click("#similar .sim button.copy")
    b.wait("document.querySelector('#similar .sim .copied').textContent === 'Đã sao chép'", "the copy confirmation")
    b.screenshot("06-soan-thao.png")

    # the most-cited documents, 90/QĐ-TTg (cited by all five) first
    b.click("a[data-nav=refs]")
    b.wait("location.pathname === '/trich-dan' && document.querySelectorAll('table tbody tr').length > 0", "the most cited")
    assert b.js("document.querySelector('table tbody tr td').textContent") == "90/QĐ-TTg"
    b.screenshot("07-trich-dan-nhieu-nhat.png")

    # the API documentation renders from the app's own files
    b.goto(server + "/docs")
    b.wait("document.querySelectorAll('.swagger-ui .opblock').length >= 10", "the API operations")
    b.screenshot("08-api-docs.png")

    assert b.page_errors() == []
