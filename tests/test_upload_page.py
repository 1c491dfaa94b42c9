"""The web page's Nạp tệp (/nap-tep, api/static/js/upload.js) in headless Chromium against a
real `kehoach serve` with a write key: files chosen in the page go to POST /api/plans with
X-API-Key, each with its progress bar and the API's answer (a new plan, a copy of it joined to
it, junk refused by name)."""
from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from test_browser import CHROMIUM, Browser, served

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
KEY = "khoa-ghi-5b2d"

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("kehoach-upload-data")
    env = {**os.environ, "KEHOACH_DATA": str(data), "KEHOACH_BACKEND": "embedded", "KEHOACH_API_KEY": KEY}
    with served(data, env) as base:
        yield base


def test_files_chosen_in_the_page_are_uploaded_with_the_key(server, tmp_path):
    text = SAMPLES[1].read_text(encoding="utf-8")
    files = [tmp_path / "son-ha-2024.txt", tmp_path / "son-ha-ban-sao.md", tmp_path / "hello.txt"]
    files[0].write_text(text, encoding="utf-8")
    files[1].write_text(text.replace("**", ""), encoding="utf-8")
    files[2].write_text("hello world\n", encoding="utf-8")
    b = Browser(CHROMIUM)
    try:
        b.goto(server + "/nap-tep")
        b.wait("document.querySelector('.dropzone')", "the drop zone")
        assert b.js("document.querySelector('[data-nav=upload]').classList.contains('active')")
        b.type("input[name=key]", KEY)
        b.js("document.querySelector('input[name=key]').dispatchEvent(new Event('change'))")
        root = b.cmd("DOM.getDocument")["root"]["nodeId"]
        node = b.cmd("DOM.querySelector", {"nodeId": root, "selector": "input[type=file]"})["nodeId"]
        b.cmd("DOM.setFileInputFiles", {"nodeId": node, "files": [str(f) for f in files]})
        b.js("document.querySelector('input[type=file]').dispatchEvent(new Event('change'))")
        b.wait("document.querySelectorAll('li.upload.is-new, li.upload.is-same, li.upload.is-failed').length === 3",
               "three answers")
        rows = b.js("[...document.querySelectorAll('li.upload')].map(li => [li.className, li.innerText])")
        assert "is-new" in rows[0][0] and "Đã nạp" in rows[0][1], rows
        assert "is-same" in rows[1][0] and "Đã có trong kho" in rows[1][1] and "cùng nội dung với son-ha-2024.txt" in rows[1][1], rows
        assert "null" not in rows[0][1], rows
        assert "is-failed" in rows[2][0] and "hello.txt: không phải văn bản kế hoạch" in rows[2][1], rows
        assert b.js("[...document.querySelectorAll('li.upload progress')].every(p => p.value === 100)")
        b.screenshot("upload")
    finally:
        b.close()
    with urllib.request.urlopen(server + "/health") as r:
        assert json.load(r)["plans"] == 1
