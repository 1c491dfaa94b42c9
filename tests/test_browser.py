"""The web page in real headless Chromium, against `kehoach serve` over the five sample plans
and one district plan written for this test (tests/data/browser: it cites sample 002's
122/KH-UBND three times, so the implementation chain has a second level).

Chromium is driven with the DevTools protocol over --remote-debugging-pipe (fd 3/4, JSON
messages ending in NUL), so no extra package is needed. Screenshots of every page, at 1360 px
and at 390 px (a phone), go to ./screenshots/ (or $KEHOACH_SCREENSHOTS). Skipped when Debian's
`chromium` is not installed.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
CHAIN_PLAN = ROOT / "tests" / "data" / "browser" / "dak-glong-2024.txt"
# English that must not reach a reader of the page (the list, and a few more)
ENGLISH = re.compile(r"\b(not found|does not look|but the text states|difference|total|error|plans?|unknown|invalid)\b", re.I)
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
        self.viewport(1360, 900)

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.width, self.height = width, height
        self.cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

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

    def screenshot(self, name: str, selector: str | None = None) -> Path:
        """The page from its top (at most 4000 px), or only the element `selector`."""
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        size = self.cmd("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": self.width, "height": min(int(size["height"]), 4000), "scale": 1}
        if selector:
            x, y, w, h = self.js(f"""(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();
                return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }})()""")
            clip = {"x": max(0, x - 8), "y": max(0, y - 8), "width": min(w + 16, self.width), "height": min(h + 16, 4000), "scale": 1}
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


@contextlib.contextmanager
def served(data: Path, env: dict[str, str], ready=lambda health: True):
    """`kehoach serve` on a free port over data, with env; yields its base URL once GET /health
    answers and `ready(health JSON)` holds; stopped after."""
    port = _free_port()
    log = open(data / "serve.log", "wb")
    proc = subprocess.Popen([*_kehoach(), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if ready(json.load(r)):
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("kehoach serve did not start:\n" + (data / "serve.log").read_text(errors="replace"))
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from archive.service import Archive

    data = tmp_path_factory.mktemp("kehoach-browser-data")
    with Archive.open(data) as arc:
        assert arc.ingest([SAMPLES, CHAIN_PLAN]).ok
    env = {**os.environ, "KEHOACH_DATA": str(data), "KEHOACH_BACKEND": "embedded"}
    env.pop("KEHOACH_API_KEY", None)
    with served(data, env, ready=lambda health: health["plans"] == 6) as base:
        yield base, data


@pytest.fixture(scope="module")
def browser(server):
    b = Browser(CHROMIUM)
    b.send("Browser.grantPermissions", {"origin": server[0], "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield b
    b.close()


# ---------------------------------------------------------------- what every page must hold

def _no_english(b: Browser, where: str) -> None:
    """No English sentence reaches the reader: the visible text of the page, tooltips included."""
    text = b.js("document.getElementById('view').innerText + '\\n' + Array.from(document.querySelectorAll('#view [title]'))"
                ".map(e => e.getAttribute('title')).join('\\n')")
    found = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    assert not found, f"English on {where}: {found}"


def _fits(b: Browser, what: str) -> None:
    """Nothing wider than the screen: no horizontal scroll of the page."""
    sw, cw = b.js("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sw <= cw, f"{what}: the page is {sw} px wide on a {cw} px screen"


# ---------------------------------------------------------------- the walk through the page

def test_walk_through_the_page(server, browser):
    base, data = server
    b = browser
    b.viewport(1360, 900)
    # Tìm kiếm: type the query without diacritics, submit with Enter
    b.goto(base + "/")
    b.wait("document.querySelector('input[name=q]')", "the search box")
    b.type("input[name=q]", "ho tro nha o")
    b.press_enter()
    b.wait("location.search.includes('q=ho+tro+nha+o') && document.querySelectorAll('.hit').length > 0", "results")
    total = b.js("document.getElementById('total').textContent")
    assert "kế hoạch" in total
    assert b.js("document.querySelectorAll('.hit mark').length") > 0, "no highlighted words"
    assert b.js("document.querySelectorAll('.facet[data-facet=province] li a').length") >= 2
    # identity: cards say what officers say, never the file name
    names = b.js("Array.from(document.querySelectorAll('.hit h3 a')).map(a => a.textContent)")
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" in names, names
    assert not re.search(r"\.(txt|docx|pdf)\b", b.js("document.getElementById('results').innerText"))
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", b.js("document.getElementById('results').innerText")), "an ISO date"
    # facets say what they count
    heads = b.js("Array.from(document.querySelectorAll('.facet h3')).map(x => x.textContent)")
    assert "Năm thực hiện" in heads and "Năm" not in heads, heads
    du_an = b.js("Array.from(document.querySelectorAll('.facet[data-facet=du_an] li a .v')).map(x => x.textContent)")
    assert any(v.startswith("Dự án 5 — Hỗ trợ nhà ở") for v in du_an), du_an
    _no_english(b, "the results")
    b.screenshot("01-tim-kiem.png")

    # a facet: filter on the first province, the URL carries it, the count matches the results
    value, count = b.js("""(() => { const a = document.querySelector('.facet[data-facet=province] li a');
        return [a.dataset.value, Number(a.querySelector('.n').textContent)]; })()""")
    b.click(".facet[data-facet=province] li a")
    b.wait("location.search.includes('province=') && document.querySelector('.facet[data-facet=province] a.on')", "the facet on")
    b.wait(f"document.querySelectorAll('.hit').length === {min(count, 10)}", f"{count} plans of {value}")
    assert b.js("document.querySelectorAll('.chip').length") == 1
    b.screenshot("02-bo-loc.png")
    url = b.js("location.href")  # bookmarkable: reloading the URL gives the same state
    b.goto(url)
    b.wait(f"document.querySelectorAll('.hit').length === {min(count, 10)} && document.querySelector('a.on')", "the same state after reload")
    b.click(".facet[data-facet=province] a.on")
    b.wait("!location.search.includes('province=') && document.querySelectorAll('.chip').length === 0", "the facet off")
    b.wait("document.querySelectorAll('.hit').length > 0", "results again")
    # an empty result gives no pointless tip (search already ignores diacritics)
    b.goto(base + "/?q=zzqqxxkhongco")
    b.wait("document.getElementById('total')", "the empty result")
    assert "Thử bỏ dấu" not in b.js("document.getElementById('total').textContent")

    # Trang kế hoạch: the plan of Phong Thổ, entities highlighted in their colours
    b.goto(base + "/?q=ho+tro+nha+o")
    b.wait("document.querySelector(\".hit[data-locality='Phong Thổ'] h3 a\")", "the Phong Thổ card")
    b.click(".hit[data-locality='Phong Thổ'] h3 a")
    b.wait("location.pathname.startsWith('/ke-hoach/') && document.querySelector('.plan-text .ent') && document.querySelector('#chain')", "highlighted plan text")
    kinds = b.js("""(() => { const n = {}; for (const e of document.querySelectorAll('.plan-text .ent'))
        n[e.dataset.type] = (n[e.dataset.type] || 0) + 1; return n; })()""")
    assert all(kinds.get(k, 0) > 0 for k in ("ref", "amount", "agency", "target")), kinds
    colours = b.js("""(() => Object.fromEntries(['ref','amount','agency','target'].map(t =>
        [t, getComputedStyle(document.querySelector('.legend .ent-' + t)).backgroundColor])))()""")
    assert len(set(colours.values())) == 4, colours
    # identity in the header, the file name only on the source line, dates dd/mm/yyyy
    assert b.js("document.getElementById('plan-identity').textContent").startswith("Kế hoạch")
    assert ".txt" not in b.js("document.getElementById('plan-identity').textContent")
    assert ".txt" in b.js("document.querySelector('.source-line').textContent")
    # every mention of 90/QĐ-TTg is marked, not only the first
    plan_id = b.js("location.pathname.split('/').pop()")
    plan = json.load(urllib.request.urlopen(f"{base}/api/plans/{plan_id}"))
    i90 = next(i for i, r in enumerate(plan["references"]) if r["number"] == "90/QĐ-TTg")
    text = urllib.request.urlopen(f"{base}/api/plans/{plan_id}/text").read().decode()
    marked = b.js(f"Array.from(document.querySelectorAll('.plan-text .ent-ref[data-idx=\"{i90}\"]')).map(e => e.textContent).join('|')")
    assert marked.count("90/QĐ-TTg") == text.count("90/QĐ-TTg") >= 2, marked
    # tables in full: every row, no box scrolling inside the page
    rows = b.js("document.querySelectorAll('#table-amounts tbody tr').length")
    assert rows == len(plan["amounts"]) > 10
    inner = b.js("Array.from(document.querySelectorAll('.side .tablewrap')).filter(w => w.scrollHeight > w.clientHeight + 1).length")
    assert inner == 0, "a side table scrolls inside a fixed box"
    # scopes by name, budget checks under their own heading with both figures
    assert b.js("document.querySelectorAll('#table-amounts .scope-name').length") > 0
    assert "Hỗ trợ nhà ở" in b.js("document.getElementById('table-amounts').innerText")
    checks = b.js("document.getElementById('budget-checks').textContent")  # closed when all agree
    assert "Kiểm tra cộng kinh phí" in checks and "Văn bản ghi tổng" in checks and "Cộng các phần" in checks
    assert b.js("document.getElementById('not-a-plan')") is None
    assert b.js("document.querySelector('.side a[href^=\"/trich-dan/\"]') !== null"), "references do not link to citing plans"
    _no_english(b, "the plan page")
    b.screenshot("03-ke-hoach.png")
    # a reference leads to its page: the citing plans and the chain below the document
    b.click(".side a[href^='/trich-dan/']")
    b.wait("location.pathname.startsWith('/trich-dan/') && document.querySelector('#chain li')", "citing plans and the chain")
    _no_english(b, "the citation page")
    b.screenshot("04-trich-dan.png")

    # So sánh: choose gnbv and DA5 in the form, see the table, the bars and the CSV link
    b.click("a[data-nav=compare]")
    b.wait("document.querySelector('select[name=du_an] option[value=DA5]')", "DA5 among the choices")
    assert b.js("document.querySelector('select[name=du_an] option[value=DA5]').textContent").startswith("Dự án 5: Hỗ trợ nhà ở")
    assert b.js("document.querySelector('select[name=du_an] option[value=DA99]')") is None
    b.js("document.querySelector('select[name=program]').value = 'gnbv'")
    b.js("document.querySelector('select[name=du_an]').value = 'DA5'")
    b.click("form.controls button")
    b.wait("location.search.includes('du_an=DA5') && document.querySelector('#compare-table tbody tr')", "the comparison table")
    rows = b.js("""Array.from(document.querySelectorAll('#compare-table tbody tr')).map(tr =>
        Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))""")
    heads = b.js("Array.from(document.querySelectorAll('#compare-table th')).map(th => th.textContent)")
    assert {"Tổng", "NSTW", "NSĐP", "Vốn đầu tư", "Vốn sự nghiệp", "Cơ quan chủ trì", "Chỉ tiêu chính"} <= set(heads), heads
    by_place = {r[0].split("\n")[0]: r for r in rows}
    assert by_place["Phong Thổ, Lai Châu"][heads.index("Tổng")] == "13.260"  # Vietnamese thousands
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024" in by_place["Đắk Nông"][0]
    assert b.js("document.querySelectorAll('#chart .seg[data-source]').length") >= len(rows)
    csv_bytes = bytes(b.js("""fetch(document.getElementById('csv-link').href).then(r => r.arrayBuffer())
        .then(b => Array.from(new Uint8Array(b)))"""))
    assert csv_bytes.startswith(b"\xef\xbb\xbf" + "Văn bản,Số ký hiệu".encode())
    cli = subprocess.run([*_kehoach(), "compare", "DA5", "--csv"], capture_output=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "KEHOACH_DATA": str(data), "KEHOACH_BACKEND": "embedded"})
    assert cli.returncode == 0 and cli.stdout == csv_bytes, "the web CSV and `kehoach compare --csv` differ"
    assert "Hiển thị 1–3 trong 3 kế hoạch" in b.js("document.getElementById('compare-shown').textContent")
    assert "Cộng cả 3 kế hoạch" in b.js("document.getElementById('compare-sums').textContent")
    _no_english(b, "the comparison")
    b.screenshot("05-so-sanh.png")
    # pages (one plan a page here): Trang sau keeps the province filter, the bars keep one scale
    b.goto(base + "/so-sanh?program=gnbv&du_an=DA5&province=" + urllib.parse.quote("Đắk Nông") + "&size=1")
    b.wait("document.querySelector('#compare-table tbody tr') && document.querySelector('#pager a[rel=next]')", "page 1 of 2")
    first = b.js("document.querySelector('#compare-table tbody tr').dataset.plan")
    assert b.js("document.getElementById('compare-shown').textContent") == "Hiển thị 1–1 trong 2 kế hoạch"
    assert b.js("document.querySelector('#pager a[rel=prev]')") is None
    b.click("#pager a[rel=next]")
    b.wait("location.search.includes('page=2') && document.querySelector('#compare-table tbody tr') "
           f"&& document.querySelector('#compare-table tbody tr').dataset.plan !== '{first}'", "page 2")
    assert b.js("document.getElementById('compare-shown').textContent") == "Hiển thị 2–2 trong 2 kế hoạch"
    assert "province=" in b.js("location.search") and b.js("document.querySelector('select[name=province]').value") == "Đắk Nông"
    assert b.js("document.querySelector('#pager a[rel=prev]').textContent") == "‹ Trang trước"
    assert b.js("document.querySelector('#pager a[rel=next]')") is None
    assert "Cộng cả 2 kế hoạch" in b.js("document.getElementById('compare-sums').textContent")
    csv_page = bytes(b.js("""fetch(document.getElementById('csv-link').href).then(r => r.arrayBuffer())
        .then(b => Array.from(new Uint8Array(b)))"""))
    assert csv_page.count(b"\r\n") == 3, "the CSV of a paged comparison has every plan (header + 2)"
    _no_english(b, "a page of the comparison")
    # a Dự án the program does not have says so, with no CSV to download
    b.goto(base + "/so-sanh?program=gnbv&du_an=DA99")
    b.wait("document.getElementById('no-du-an')", "the no-such-Dự-án state")
    assert "Không có Dự án này" in b.js("document.getElementById('no-du-an').textContent")
    assert b.js("document.getElementById('csv-link')") is None
    _no_english(b, "an unknown Dự án")

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

    # the most-cited documents, 90/QĐ-TTg (cited by all six) first
    b.click("a[data-nav=refs]")
    b.wait("location.pathname === '/trich-dan' && document.querySelectorAll('table tbody tr').length > 0", "the most cited")
    assert b.js("document.querySelector('table tbody tr td').textContent") == "90/QĐ-TTg"
    _no_english(b, "the most cited")
    b.screenshot("07-trich-dan-nhieu-nhat.png")

    # the API documentation renders from the app's own files
    b.goto(base + "/docs")
    b.wait("document.querySelectorAll('.swagger-ui .opblock').length >= 10", "the API operations")
    b.screenshot("08-api-docs.png")
    assert b.page_errors() == []


def test_the_implementation_chain(server, browser):
    """Quyết định 90/QĐ-TTg -> Kế hoạch 122/KH-UBND of the province -> the district's plan citing it."""
    base, _ = server
    b = browser
    b.viewport(1360, 900)
    b.goto(base + "/?q=122%2FKH-UBND")
    b.wait("document.querySelector('.hit')", "results")
    pid = b.js("""Array.from(document.querySelectorAll('.hit')).find(h => h.querySelector('h3 a').textContent
        .startsWith('Kế hoạch số 122/KH-UBND')).dataset.plan""")
    b.goto(f"{base}/ke-hoach/{pid}")
    b.wait("document.querySelector('#chain li li')", "the chain under the province's plan")
    cited_by = b.js("document.getElementById('graph-cited-by').innerText")
    assert "Kế hoạch số 45/KH-UBND ngày 15/03/2024 của UBND huyện Đắk Glong" in cited_by, cited_by
    cites = b.js("document.getElementById('graph-cites').innerText")
    assert "Quyết định số 90/QĐ-TTg ngày 18/01/2022" in cites
    # the tree: this plan (marked), the district's plan one level below
    tree = b.js("""(() => { const here = document.querySelector('#chain .here').closest('li');
        return Array.from(here.querySelectorAll(':scope > ul > li')).map(li => li.innerText); })()""")
    assert any("45/KH-UBND" in t for t in tree), tree
    _no_english(b, "the chain")
    b.screenshot("09-chuoi-trien-khai.png", "#citation-graph")
    # the district's plan marks each of its three mentions of 122/KH-UBND
    b.click("#graph-cited-by a")
    b.wait("document.querySelector('.plan-text .ent-ref') && document.querySelector('#chain')", "the district's plan")
    assert b.js("Array.from(document.querySelectorAll('.plan-text .ent-ref')).filter(e => e.textContent.includes('122/KH-UBND')).length") == 3
    assert "122/KH-UBND" in b.js("document.querySelector('#chain').innerText")
    # the citation page of the province's number: the document is in the archive, the district below it
    b.goto(base + "/trich-dan/122/KH-UBND")
    b.wait("document.querySelector('#chain li li')", "the chain of 122/KH-UBND")
    assert "có trong kho" in b.js("document.querySelector('.doc-line').textContent")
    assert "Đắk Glong" in b.js("document.getElementById('chain').innerText")
    assert b.page_errors() == []


def test_a_phone_screen(server, browser):
    """390 px: no sideways scroll, the search button in view, results first, filters behind a button."""
    base, _ = server
    b = browser
    b.viewport(390, 844, mobile=True)
    try:
        b.goto(base + "/?q=ho+tro+nha+o")
        b.wait("document.querySelector('.hit')", "results on a phone")
        _fits(b, "the results")
        button = b.js("(() => { const r = document.getElementById('search-button').getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; })()")
        assert button[0] >= 0 and button[1] <= 390 and button[3] <= 844, f"the search button is off-screen: {button}"
        top = b.js("document.querySelector('.hit').getBoundingClientRect().top")
        assert top < 844 - 100, f"the first result starts at {top} px, below the first screen"
        assert b.js("getComputedStyle(document.getElementById('facets')).display") == "none"
        b.screenshot("10-di-dong-tim-kiem.png")
        b.click("#filters-toggle")
        b.wait("document.getElementById('facets').classList.contains('open') && getComputedStyle(document.getElementById('facets')).display !== 'none'", "the filters")
        b.screenshot("11-di-dong-bo-loc.png")
        b.click("#facets .facet[data-facet=province] li a")
        b.wait("location.search.includes('province=') && document.querySelector('.hit')", "filtered results")
        _fits(b, "the filtered results")

        b.goto(base + "/so-sanh?program=gnbv&du_an=DA5")
        b.wait("document.querySelector('#compare-table tbody tr')", "the comparison on a phone")
        _fits(b, "the comparison")
        right = b.js("Math.max(...Array.from(document.querySelectorAll('#chart .bar')).map(e => e.getBoundingClientRect().right))")
        assert right <= 390, f"the chart is cut at {right} px"
        b.screenshot("12-di-dong-so-sanh.png")

        b.click("#compare-table a.identity")
        b.wait("document.querySelector('#table-amounts') && document.querySelector('#chain')", "a plan on a phone")
        _fits(b, "the plan page")
        b.screenshot("13-di-dong-ke-hoach.png")
    finally:
        b.viewport(1360, 900)
    assert b.page_errors() == []
