// Nạp tệp: for users holding the write key. Drop files (or choose them), each goes to
// POST /api/plans with X-API-Key, one at a time, with its own progress bar; the answer is the
// API's own (the same checks: key, size, type, "không phải văn bản kế hoạch", duplicates).
// XMLHttpRequest, not fetch: only it reports upload progress.
import { $view, h, planUrl } from "./util.js";

const KEY = "kehoach.apiKey";   // kept for this tab only (sessionStorage), never in the URL

export function viewUpload() {
  const view = $view();
  document.title = "Nạp tệp — Kế hoạch MTQG";
  const key = h("input", { type: "password", name: "key", autocomplete: "off", "aria-label": "Khóa ghi (X-API-Key)",
    placeholder: "Khóa ghi (KEHOACH_API_KEY)" });
  key.value = sessionStorage.getItem(KEY) || "";
  key.addEventListener("change", () => sessionStorage.setItem(KEY, key.value.trim()));
  const input = h("input", { type: "file", multiple: true, hidden: true, "aria-label": "Chọn tệp" });
  const list = h("ul", { class: "uploads", "aria-live": "polite" });
  const zone = h("div", { class: "dropzone", tabindex: "0", role: "button",
    "aria-label": "Kéo thả tệp vào đây hoặc bấm để chọn tệp" },
    h("strong", {}, "Kéo thả tệp vào đây"), h("span", { class: "muted" }, " hoặc bấm để chọn"),
    h("div", { class: "small muted" }, ".txt, .docx, .doc, .pdf (cả bản quét), .xlsx, .html …; tệp trùng nội dung gộp vào kế hoạch đã có"));
  const queue = [];
  let busy = false;
  const add = (files) => {
    for (const f of files) queue.push({ file: f, row: uploadRow(f) });
    for (const q of queue) if (!q.row.isConnected) list.append(q.row);
    if (!busy) next();
  };
  const next = async () => {
    busy = true;
    while (queue.length) {
      const q = queue.shift();
      await send(q.file, key.value.trim(), q.row);
    }
    busy = false;
  };
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  input.addEventListener("change", () => { add(Array.from(input.files)); input.value = ""; });
  for (const ev of ["dragenter", "dragover"]) zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.add("over"); });
  for (const ev of ["dragleave", "drop"]) zone.addEventListener(ev, () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); add(Array.from(e.dataTransfer.files || [])); });
  view.append(h("h1", {}, "Nạp tệp kế hoạch"),
    h("p", { class: "muted" }, "Dành cho cán bộ có khóa ghi. Mỗi tệp được đọc (bản quét đọc bằng OCR), trích xuất và đưa vào kho; tệp không phải văn bản hành chính bị từ chối."),
    h("div", { class: "controls" }, key), zone, input, list);
}

function uploadRow(file) {
  const bar = h("progress", { max: "100", value: "0", "aria-label": "Tiến độ " + file.name });
  const status = h("span", { class: "small" }, "Đang chờ…");
  const row = h("li", { class: "upload" }, h("span", { class: "name" }, file.name), bar, status);
  row.bar = bar;
  row.status = status;
  return row;
}

const STATUS = { ingested: "Đã nạp", replaced: "Đã thay bản cũ", unchanged: "Đã có trong kho, không đổi" };

function send(file, key, row) {
  return new Promise((resolve) => {
    const done = (cls, ...content) => {
      row.classList.add(cls);
      row.status.textContent = "";
      row.status.append(...content.filter((c) => c !== null && c !== undefined));
      resolve();
    };
    if (!key) { done("is-failed", "Chưa nhập khóa ghi."); return; }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/plans");
    xhr.setRequestHeader("X-API-Key", key);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) row.bar.value = Math.round((e.loaded / e.total) * 100);
      row.status.textContent = row.bar.value >= 100 ? "Đang đọc và trích xuất…" : `Đang gửi ${row.bar.value}%`;
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON: a proxy's page */ }
      row.bar.value = 100;
      if (xhr.status === 200 || xhr.status === 201) {
        const link = h("a", { href: planUrl(body.plan_id) }, "mở kế hoạch");
        done(body.status === "unchanged" ? "is-same" : "is-new", (STATUS[body.status] || body.status) + " · ", link,
          body.note ? h("span", { class: "muted" }, " · " + body.note) : null);
      } else if (xhr.status === 429) {
        done("is-failed", `Máy chủ đang bận, thử lại sau ${xhr.getResponseHeader("Retry-After") || "ít"} giây.`);
      } else {
        const msg = (body && (body.message || (body.error && body.error.message) || body.detail)) || `Lỗi ${xhr.status}`;
        done("is-failed", typeof msg === "string" ? msg : JSON.stringify(msg));
      }
    });
    xhr.addEventListener("error", () => done("is-failed", "Không kết nối được máy chủ."));
    const form = new FormData();
    form.append("file", file, file.name);
    row.status.textContent = "Đang gửi…";
    xhr.send(form);
  });
}
