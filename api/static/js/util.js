// Shared helpers of the web page: DOM builder, API calls, Vietnamese formats, links, names of programs and Dự án.

export const PROGRAMS = { gnbv: "Giảm nghèo bền vững", ntm: "Nông thôn mới", dtts: "Vùng đồng bào DTTS và miền núi" };
export const SOURCES = [
  { key: "NSTW", label: "Ngân sách trung ương", short: "NSTW", hex: "#1565c0" },
  { key: "NSĐP", label: "Ngân sách địa phương", short: "NSĐP", hex: "#2e7d32" },
  { key: "khác", label: "Nguồn khác", short: "Khác", hex: "#ef6c00" },
];
export const CAPITALS = [{ key: "đầu tư", label: "Vốn đầu tư" }, { key: "sự nghiệp", label: "Vốn sự nghiệp" }];
export const RELATIONS = { "căn cứ": "Căn cứ", "thay thế": "Thay thế", "khác": "Trích dẫn khác" };

export const $view = () => document.getElementById("view");

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Highlights come HTML-escaped with <mark> from the engine; keep only <mark>, whatever arrives.
export function safeMarked(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html || "";
  const walk = (node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.tagName === "MARK") {
          for (const a of Array.from(child.attributes)) child.removeAttribute(a.name);
          walk(child);
        } else {
          child.replaceWith(document.createTextNode(child.textContent));
        }
      } else if (child.nodeType !== Node.TEXT_NODE) {
        child.remove();
      }
    }
  };
  walk(tpl.content);
  return tpl.content;
}

export class ApiError extends Error {
  constructor(message, code, status) { super(message); this.code = code; this.status = status; }
}

export async function api(path, opts) {
  let r;
  try { r = await fetch(path, opts); }
  catch (_) { throw new ApiError("Không kết nối được máy chủ.", "network", 0); }
  const ctype = r.headers.get("content-type") || "";
  const body = ctype.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    const e = body && body.error ? body.error : { message: `Máy chủ trả lỗi ${r.status}.`, code: "http" };
    throw new ApiError(e.message, e.code, r.status);
  }
  return body;
}

// ---- Vietnamese formats: 13.260; 5,3; 29/02/2024

export function vnNumber(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return "–";
  return Number(x).toLocaleString("vi-VN", { maximumFractionDigits: digits });
}

export function million(vnd) {
  return vnd === null || vnd === undefined ? "–" : vnNumber(vnd / 1e6);
}

export function vnDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso || "");
}

export function years(list, single) {
  const ys = (list || []).filter(Boolean);
  if (!ys.length) return single ? String(single) : "";
  return ys.length > 1 ? `${ys[0]}–${ys[ys.length - 1]}` : String(ys[0]);
}

export function showError(container, err) {
  container.appendChild(h("div", { class: "error", role: "alert" }, "Lỗi: " + (err && err.message ? err.message : err)));
}

export function go(url) {
  history.pushState(null, "", url);
  window.dispatchEvent(new Event("kehoach:route"));
}

export const planUrl = (id) => "/ke-hoach/" + encodeURIComponent(id);
export const refUrl = (number) => "/trich-dan/" + encodeURIComponent(number).replace(/%2F/gi, "/");

export function place(x) {
  return [x.locality, x.province && x.province !== x.locality ? x.province : null].filter(Boolean).join(", ");
}

// A plan as officers name it: the server's identity line; a built one only if an old server gives none.
export function identityOf(x) {
  if (x.identity) return x.identity;
  const parts = [x.doc_type || "Văn bản"];
  if (x.number) parts.push("số " + x.number);
  if (x.issue_date) parts.push("ngày " + vnDate(x.issue_date));
  const where = place(x);
  if (where) parts.push("— " + where);
  return parts.length > 1 ? parts.join(" ") : (x.title || x.doc);
}

// ---- programs and their Dự án names (GET /api/programs, fetched once)

let programsPromise = null;
export function programs() {
  if (!programsPromise) {
    programsPromise = api("/api/programs").then((list) => Object.fromEntries(list.map((p) => [p.code, p])))
      .catch(() => ({}));
  }
  return programsPromise;
}

// "DA4.TDA2" -> "Dự án 4, Tiểu dự án 2"; "ND3" -> "Nội dung 3"; "total" -> "Toàn kế hoạch"
export function scopeLabel(scope) {
  if (!scope || scope === "total") return "Toàn kế hoạch";
  if (/^ND\d+$/.test(scope)) return "Nội dung " + scope.slice(2);
  const m = /^DA(\d+)(?:\.TDA(\d+))?$/.exec(scope);
  if (!m) return scope;
  return "Dự án " + m[1] + (m[2] ? ", Tiểu dự án " + m[2] : "");
}

// The name of a scope: as the plan writes it (its du_an list), else the program's official name.
export function scopeName(scope, planDuAn, progs, program) {
  const own = (planDuAn || []).find((d) => d.id === scope);
  if (own && own.name) return own.name;
  const p = progs && program ? progs[program] : null;
  return p && p.components ? p.components[scope] || "" : "";
}

export function table(headers, rows, opts = {}) {
  return h("div", { class: "tablewrap" + (opts.stack ? " stack" : ""), id: opts.id || null }, h("table", {},
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { class: x.startsWith("#") ? "num" : null, scope: "col" }, x.replace(/^#/, ""))))),
    h("tbody", {}, rows)));
}

// a cell that stacked tables (mobile) label with its column name
export function td(label, content, cls) {
  return h("td", { "data-label": label, class: cls || null }, h("span", { class: "cell" }, content));
}
