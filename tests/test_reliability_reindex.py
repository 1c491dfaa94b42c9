"""Reliability with real processes: a `kehoach reindex` in another process while the server
takes uploads (issue 14, finding 1), and a server killed mid-upload (finding 6).

The server runs as `kehoach serve` on a free 127.0.0.1 port over a tmp KEHOACH_DATA; uploads
are sent with httpx. These tests start processes and wait on them: marked slow.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kehoach.bench import free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
KEHOACH = str(Path(sys.executable).parent / "kehoach")
KEY = "k-reliability"

pytestmark = pytest.mark.slow


_WORDS = ("hỗ trợ nhà ở hộ nghèo xã huyện tỉnh đào tạo nghề nước sinh hoạt giao thông trường học trạm y tế "
          "vốn vay sinh kế chăn nuôi trồng trọt thủy lợi điện lưới chợ văn hóa rừng du lịch").split()


def _variant(i: int) -> str:
    """A sample plan with a numbered note and a section of its own (a copy with one line changed
    would be the same plan: archive/duplicates.py)."""
    import random

    rnd = random.Random(i)
    lines = SAMPLES[i % len(SAMPLES)].read_text(encoding="utf-8").splitlines()
    own = [f"- Nội dung {k}: " + " ".join(rnd.choice(_WORDS) for _ in range(40)) + "." for k in range(60)]
    lines[len(lines) // 2:len(lines) // 2] = [f"Ghi chú: bản số {i} để thử độ bền."] + own
    return "\n".join(lines) + "\n"


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(_variant(i), encoding="utf-8")


class _Serve:
    def __init__(self, data: Path, **extra_env: str):
        self.port = free_port()
        env = {**os.environ, "KEHOACH_DATA": str(data), "KEHOACH_API_KEY": KEY, **extra_env}
        self.proc = subprocess.Popen([KEHOACH, "serve", "--port", str(self.port), "--log-level", "warning"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not start")

    def upload(self, name: str, text: str, replace: str | None = None, timeout: float = 120) -> httpx.Response:
        params = {"filename": name}
        if replace:
            params["replace"] = replace
        return httpx.post(self.url + "/api/plans", params=params, content=text.encode("utf-8"),
                          headers={"X-API-Key": KEY, "Content-Type": "application/octet-stream"}, timeout=timeout)

    def search(self, q: str) -> httpx.Response:
        return httpx.get(self.url + "/api/search", params={"q": q, "size": 100}, timeout=60)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc.stderr.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        self.proc.stderr.close()


def _ids(resp: httpx.Response) -> set[str]:
    return {h["plan_id"] for h in resp.json()["hits"]}


def test_upload_during_reindex_in_another_process(tmp_path):
    data = tmp_path / "data"
    _corpus(tmp_path / "in", 30)
    env = {**os.environ, "KEHOACH_DATA": str(data)}
    subprocess.run([KEHOACH, "ingest", "--quiet", str(tmp_path / "in")], env=env, check=True,
                   capture_output=True, timeout=600)
    srv = _Serve(data)
    try:
        assert srv.search("Ghi chú bản số").status_code == 200
        reindex = subprocess.Popen([KEHOACH, "reindex", "--quiet"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        try:
            # the rebuild has started writing its new version directory
            deadline = time.monotonic() + 120
            while (len([p for p in (data / "tantivy").iterdir() if p.is_dir()]) < 2 and reindex.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.05)
            uploads = [srv.upload(f"moi-{i}.txt", _variant(100 + i)) for i in range(3)]
            during = srv.search("Ghi chú bản số")
            assert reindex.wait(timeout=600) == 0, reindex.stderr.read().decode()
        finally:
            if reindex.poll() is None:
                reindex.kill()
            reindex.stderr.close()
        for r in uploads:  # an upload succeeds, or (engine busy) says so in Vietnamese: never 500
            assert r.status_code in (201, 503), r.text
            if r.status_code == 503:
                assert r.json()["error"]["code"] == "unavailable"
        assert during.status_code == 200, during.text  # the README: search keeps working during reindex
        after = srv.upload("sau.txt", _variant(200))
        assert after.status_code == 201, after.text
        res = srv.search("Ghi chú bản số")
        assert res.status_code == 200, res.text
        wanted = {r.json()["plan_id"] for r in uploads + [after] if r.status_code == 201}
        assert wanted <= _ids(res)  # every upload the server accepted is searchable
        assert httpx.post(srv.url + "/api/similar", json={"text": _variant(200)[:2000]}, timeout=60).json()["hits"]
    finally:
        srv.stop()


def test_restart_after_a_crash_between_store_and_index_repairs(tmp_path):
    """A server killed after the store committed an upload and before the engine did: the plan
    is in archive.db only. The state is made exactly (the store's commit alone, as the killed
    server left it: the window is milliseconds wide, a real kill rarely lands in it); the
    restarted server makes it searchable by itself, and the client's retry finds it there."""
    from archive.service import Archive, now_iso
    from archive.store import Pending
    from archive.workers import prepare_bytes

    data = tmp_path / "data"
    _corpus(tmp_path / "in", 3)
    env = {**os.environ, "KEHOACH_DATA": str(data)}
    subprocess.run([KEHOACH, "ingest", "--quiet", str(tmp_path / "in")], env=env, check=True, capture_output=True,
                   timeout=600)
    text = _variant(300)
    prep = prepare_bytes("mat-dien.txt", text.encode("utf-8"), now_iso(), frozenset())
    with Archive.open(data) as a:
        a.store.commit_batch([Pending(prep.record, f"mat-dien.txt ({prep.plan_id})")])
        assert prep.plan_id not in a.backend.plan_ids()
    srv = _Serve(data)
    try:
        deadline = time.monotonic() + 60
        while prep.plan_id not in _ids(srv.search("bản số 300")) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert prep.plan_id in _ids(srv.search("bản số 300"))  # repaired at start, no write needed
        retry = srv.upload("mat-dien.txt", text)
        assert retry.status_code == 200 and retry.json()["status"] == "unchanged", retry.text
        assert prep.plan_id in _ids(srv.search("bản số 300"))
    finally:
        srv.stop()
