// kehoach web page: vanilla JS, one shell, views chosen from the URL (so every state can be bookmarked).
"use strict";

const FACET_LABELS = {
  province: "Tỉnh", locality: "Địa phương", level: "Cấp", year: "Năm", program: "Chương trình",
  doc_type: "Loại văn bản", du_an: "Dự án", agency: "Cơ quan", cites: "Văn bản được trích dẫn", source: "Nguồn vốn",
};
const FACET_ORDER = ["province", "locality", "level", "year", "program", "du_an", "source", "doc_type", "cites", "agency"];
const PROGRAMS = { gnbv: "Giảm nghèo bền vững", ntm: "Nông thôn mới", dtts: "Vùng đồng bào DTTS và miền núi" };
const ENTITY_TYPES = [
  { key: "ref", label: "Văn bản trích dẫn" },
  { key: "amount", label: "Số tiền" },
  { key: "agency", label: "Cơ quan" },
  { key: "target", label: "Chỉ tiêu" },
];
const SOURCES = [
  { key: "NSTW", label: "NSTW", color: "var(--nstw)", hex: "#1565c0" },
  { key: "NSĐP", label: "NSĐP", color: "var(--nsdp)", hex: "#2e7d32" },
  { key: "khác", label: "Nguồn khác", color: "var(--khac)", hex: "#ef6c00" },
];
const FACET_SHOWN = 8;

// ---------------------------------------------------------------- small helpers

const $view = () => document.getElementById("view");

function h(tag, attrs, ...children) {
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
function safeMarked(html) {
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

async function api(path, opts) {
  const r = await fetch(path, opts);
  const ctype = r.headers.get("content-type") || "";
  const body = ctype.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    const msg = body && body.error ? body.error.message : `HTTP ${r.status}`;
    throw new Error(msg);
  }
  return body;
}

function million(vnd) {
  if (vnd === null || vnd === undefined) return "–";
  const m = vnd / 1e6;
  return m.toLocaleString("vi-VN", { maximumFractionDigits: 3 });
}

function showError(container, err) {
  container.appendChild(h("div", { class: "error" }, "Lỗi: " + (err && err.message ? err.message : err)));
}

function go(url) {
  history.pushState(null, "", url);
  route();
}

// Internal links navigate without reloading the page.
document.addEventListener("click", (e) => {
  const a = e.target.closest("a");
  if (!a || a.target || a.hasAttribute("download") || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api") || url.pathname.startsWith("/docs")
      || url.pathname.startsWith("/static")) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  e.preventDefault();
  go(url.pathname + url.search + url.hash);
});
window.addEventListener("popstate", route);

function planUrl(id) { return "/ke-hoach/" + encodeURIComponent(id); }
function refUrl(number) { return "/trich-dan/" + encodeURIComponent(number); }

function place(hit) {
  return [hit.locality, hit.province && hit.province !== hit.locality ? hit.province : null].filter(Boolean).join(", ");
}

// ---------------------------------------------------------------- router

function route() {
  const path = decodeURIComponent(location.pathname);
  let nav = "search";
  const view = $view();
  view.textContent = "";
  if (path.startsWith("/ke-hoach/")) { nav = ""; viewPlan(path.slice("/ke-hoach/".length)); }
  else if (path === "/so-sanh") { nav = "compare"; viewCompare(); }
  else if (path === "/soan-thao") { nav = "draft"; viewDraft(); }
  else if (path === "/trich-dan") { nav = "refs"; viewMostCited(); }
  else if (path.startsWith("/trich-dan/")) { nav = "refs"; viewCiting(path.slice("/trich-dan/".length)); }
  else viewSearch();
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === nav);
}

// ---------------------------------------------------------------- Tìm kiếm

function searchState() {
  const p = new URLSearchParams(location.search);
  const filters = {};
  for (const f of FACET_ORDER) { const vs = p.getAll(f); if (vs.length) filters[f] = vs; }
  return { q: p.get("q") || "", filters, page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
           sort: p.get("sort") === "date" ? "date" : "relevance" };
}

function searchHref(st) {
  const p = new URLSearchParams();
  if (st.q) p.set("q", st.q);
  for (const [f, vs] of Object.entries(st.filters)) for (const v of vs) p.append(f, v);
  if (st.sort !== "relevance") p.set("sort", st.sort);
  if (st.page > 1) p.set("page", String(st.page));
  const s = p.toString();
  return "/" + (s ? "?" + s : "");
}

function toggled(st, facet, value) {
  const filters = { ...st.filters };
  const cur = filters[facet] || [];
  filters[facet] = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
  if (!filters[facet].length) delete filters[facet];
  return { ...st, filters, page: 1 };
}

function facetLabel(facet, value) {
  if (facet === "program") return PROGRAMS[value] || value;
  if (facet === "du_an") {
    const [prog, id] = value.split(":");
    return id ? `${id.replace(".TDA", ", Tiểu dự án ").replace("DA", "Dự án ")} (${prog.toUpperCase()})` : value;
  }
  return value;
}

async function viewSearch() {
  const st = searchState();
  const view = $view();
  const input = h("input", { type: "search", name: "q", value: st.q, placeholder: "Tìm trong các kế hoạch, ví dụ: hỗ trợ nhà ở cho hộ nghèo", "aria-label": "Tìm kiếm", autofocus: true, maxlength: 1000 });
  const sort = h("select", { name: "sort", "aria-label": "Sắp xếp" },
    h("option", { value: "relevance", selected: st.sort === "relevance" }, "Phù hợp nhất"),
    h("option", { value: "date", selected: st.sort === "date" }, "Mới nhất"));
  const form = h("form", { class: "searchbar", role: "search", onsubmit: (e) => { e.preventDefault(); go(searchHref({ ...st, q: input.value.trim(), sort: sort.value, page: 1 })); } },
    input, sort, h("button", { class: "primary", type: "submit" }, "Tìm"));
  sort.addEventListener("change", () => go(searchHref({ ...st, sort: sort.value, page: 1 })));
  const facetsEl = h("aside", { class: "facets", "aria-label": "Bộ lọc" });
  const results = h("section", { class: "results" }, h("p", { class: "loading" }, "Đang tìm…"));
  view.append(h("h1", {}, "Tìm kiếm trong kế hoạch"), form, h("div", { class: "search-layout" }, facetsEl, results));

  const params = new URLSearchParams(location.search);
  params.set("page", String(st.page)); params.set("size", "10"); params.set("clauses", "3");
  let data;
  try { data = await api("/api/search?" + params.toString()); }
  catch (err) { results.textContent = ""; showError(results, err); return; }

  renderFacets(facetsEl, st, data.facets || {});
  results.textContent = "";
  const chips = h("div", { class: "chips" });
  for (const [f, vs] of Object.entries(st.filters)) for (const v of vs)
    chips.append(h("a", { class: "chip", href: searchHref(toggled(st, f, v)), title: "Bỏ bộ lọc" }, `${FACET_LABELS[f]}: ${facetLabel(f, v)} ✕`));
  if (chips.childNodes.length) results.append(chips);
  results.append(h("p", { class: "summary", id: "total" },
    data.total ? `Tìm thấy ${data.total} kế hoạch` + (st.q ? ` cho “${st.q}”` : "") : "Không tìm thấy kế hoạch nào." + (st.q ? " Thử bỏ dấu, bớt từ hoặc bỏ bộ lọc." : "")));
  for (const hit of data.hits) results.append(renderHit(hit));
  results.append(renderPager(st, data.total, 10));
}

function renderFacets(el, st, facets) {
  el.textContent = "";
  for (const f of FACET_ORDER) {
    const values = facets[f] || [];
    const selected = st.filters[f] || [];
    if (!values.length && !selected.length) continue;
    const list = h("ul", {});
    const seen = new Set();
    const items = values.map((fv) => ({ value: fv.value, count: fv.count }));
    for (const v of selected) if (!items.some((i) => i.value === v)) items.unshift({ value: v, count: 0 });
    items.forEach((item, i) => {
      if (seen.has(item.value)) return;
      seen.add(item.value);
      const on = selected.includes(item.value);
      const li = h("li", { class: i >= FACET_SHOWN && !on ? "extra" : null, hidden: i >= FACET_SHOWN && !on },
        h("a", { href: searchHref(toggled(st, f, item.value)), class: on ? "on" : null, "data-facet": f, "data-value": item.value, title: on ? "Bỏ lọc" : "Lọc" },
          h("span", {}, facetLabel(f, item.value)), h("span", { class: "n" }, item.count)));
      list.append(li);
    });
    const group = h("div", { class: "facet", "data-facet": f }, h("h3", {}, FACET_LABELS[f] || f), list);
    if (items.length > FACET_SHOWN) {
      const more = h("a", { href: "#", class: "more" }, `Xem thêm (${items.length - FACET_SHOWN})`);
      more.addEventListener("click", (e) => { e.preventDefault(); e.stopPropagation(); for (const li of list.querySelectorAll("li.extra")) li.hidden = false; more.remove(); });
      group.append(more);
    }
    el.append(group);
  }
}

function renderHit(hit) {
  const title = hit.title || hit.doc;
  const where = [place(hit), hit.year].filter(Boolean).join(" · ");
  const box = h("article", { class: "hit", "data-plan": hit.plan_id, "data-locality": hit.locality || "" },
    h("h3", {}, h("a", { href: planUrl(hit.plan_id) }, title)),
    h("div", { class: "where" }, where, " · ", h("span", { class: "muted" }, hit.doc)));
  for (const c of hit.clauses || []) {
    const body = h("div", {});
    body.append(safeMarked(c.highlight || c.text));
    const sec = h("div", { class: "sec" }, c.section ? c.section + " · " : "", h("a", { href: planUrl(hit.plan_id) + "#" + c.id }, "xem trong văn bản"));
    box.append(h("div", { class: "clause" }, sec, body));
  }
  return box;
}

function renderPager(st, total, size) {
  const pages = Math.ceil(total / size);
  const nav = h("nav", { class: "pager", "aria-label": "Trang" });
  if (pages <= 1) return nav;
  const link = (p, text) => h("a", { href: searchHref({ ...st, page: p }) }, text || String(p));
  if (st.page > 1) nav.append(link(st.page - 1, "‹ Trước"));
  const from = Math.max(1, st.page - 4), to = Math.min(pages, from + 8);
  for (let p = from; p <= to; p++) nav.append(p === st.page ? h("span", { class: "cur" }, String(p)) : link(p));
  if (st.page < pages) nav.append(link(st.page + 1, "Sau ›"));
  return nav;
}

// ---------------------------------------------------------------- Trang kế hoạch

// Entity spans on the original text, in code points (Python offsets), with an anchor per entity.
function entitySpans(plan) {
  const out = [];
  const add = (type, idx, e, title) => { if (e.start >= 0 && e.end > e.start) out.push({ type, idx, start: e.start, end: e.end, title }); };
  plan.references.forEach((r, i) => add("ref", i, r, `Văn bản: ${r.number}${r.relation ? " (" + r.relation + ")" : ""}`));
  plan.amounts.forEach((a, i) => add("amount", i, a, `Số tiền: ${million(a.value_vnd)} triệu đồng · ${a.scope} · ${a.source}${a.capital ? " · " + a.capital : ""}`));
  plan.agencies.forEach((a, i) => (a.mentions || []).forEach((m) => add("agency", i, m, `Cơ quan: ${a.name}`)));
  plan.targets.forEach((t, i) => add("target", i, t, `Chỉ tiêu: ${t.indicator} = ${t.value} ${t.unit}${t.year ? " (" + t.year + ")" : ""}`));
  // a clause named in the URL (#c0042, from search or drafting) is framed
  const focus = location.hash.slice(1);
  plan.clauses.forEach((c, i) => { if (c.id === focus) add("focus", c.id, c, `Điều khoản ${c.id}`); });
  return out;
}

function highlightedText(text, spans) {
  const chars = Array.from(text);
  const n = chars.length;
  const bounds = new Set([0, n]);
  for (const s of spans) { bounds.add(Math.min(s.start, n)); bounds.add(Math.min(s.end, n)); }
  const cuts = Array.from(bounds).sort((a, b) => a - b);
  // sweep: spans sorted by start enter the active set at their start and leave after their end,
  // so a long plan with thousands of entities stays linear-ish
  const byStart = [...spans].sort((x, y) => x.start - y.start);
  let next = 0;
  let active = [];
  const frag = document.createDocumentFragment();
  const anchored = new Set();
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i], b = cuts[i + 1];
    while (next < byStart.length && byStart[next].start <= a) active.push(byStart[next++]);
    active = active.filter((s) => s.end > a);
    const piece = chars.slice(a, b).join("");
    const cover = active.filter((s) => s.end >= b);
    if (!cover.length) { frag.append(piece); continue; }
    // the innermost entity gives the colour; a focused clause only frames
    cover.sort((x, y) => (x.type === "focus") - (y.type === "focus") || (x.end - x.start) - (y.end - y.start));
    const inner = cover[0];
    const classes = ["ent", "ent-" + inner.type, ...new Set(cover.slice(1).filter((s) => s.type !== inner.type).map((s) => "in-" + s.type))];
    const el = h("span", { class: classes.join(" "), title: cover.map((s) => s.title).join("\n"), "data-type": inner.type }, piece);
    const key = inner.type === "focus" ? inner.idx : `ent-${inner.type}-${inner.idx}`;
    if (!anchored.has(key) && !document.getElementById(key)) { el.id = key; anchored.add(key); }
    frag.append(el);
  }
  return frag;
}

function flashTo(id) {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView({ block: "center", behavior: "smooth" });
  el.classList.add("flash");
  setTimeout(() => el.classList.remove("flash"), 1600);
}

function jump(type, idx, label) {
  return h("a", { href: "#ent-" + type + "-" + idx, onclick: (e) => { e.preventDefault(); flashTo("ent-" + type + "-" + idx); } }, label);
}

function table(headers, rows, full) {
  return h("div", { class: full ? "tablewrap full" : "tablewrap" }, h("table", {},
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { class: x.startsWith("#") ? "num" : null }, x.replace(/^#/, ""))))),
    h("tbody", {}, rows)));
}

async function viewPlan(planId) {
  const view = $view();
  view.append(h("p", { class: "loading" }, "Đang tải kế hoạch…"));
  let plan, text;
  try {
    [plan, text] = await Promise.all([api(`/api/plans/${encodeURIComponent(planId)}`), api(`/api/plans/${encodeURIComponent(planId)}/text`)]);
  } catch (err) { view.textContent = ""; showError(view, err); return; }
  view.textContent = "";
  const m = plan.meta;
  document.title = (m.title || plan.doc) + " — Kế hoạch MTQG";
  view.append(h("h1", {}, [m.doc_type, m.title].filter(Boolean).join(": ") || plan.doc));

  const loc = m.locality || {};
  const rows = [
    ["Số ký hiệu", m.number || "(để trống)"],
    ["Cơ quan ban hành", m.issuer],
    ["Địa phương", [loc.name, loc.level ? `(${loc.level})` : null, loc.province && loc.province !== loc.name ? "— " + loc.province : null].filter(Boolean).join(" ")],
    ["Ngày ban hành", m.issue_date || (m.issue_year ? `năm ${m.issue_year}` : null)],
    ["Năm kế hoạch", (m.plan_years || []).join(", ")],
    ["Chương trình", m.program],
    ["Người ký", m.signer],
    ["Tệp nguồn", plan.doc],
  ];
  view.append(h("dl", { class: "meta" }, rows.filter((r) => r[1]).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));

  const bad = (plan.checks || []).filter((c) => !c.ok);
  if (bad.length || (plan.warnings || []).length) {
    view.append(h("div", { class: "warn", id: "budget-warnings" }, h("strong", {}, "Cảnh báo kiểm tra kinh phí"),
      h("ul", {}, bad.map((c) => h("li", {}, `${c.message} (ghi ${million(c.stated)}, cộng các phần ${million(c.computed)} triệu đồng)`)),
        (plan.warnings || []).map((w) => h("li", {}, w)))));
  } else if ((plan.checks || []).length) {
    view.append(h("p", { class: "ok small" }, `✓ ${plan.checks.length} phép cộng kinh phí đều khớp.`));
  }

  const legend = h("div", { class: "legend" }, h("span", { class: "muted" }, "Chú giải:"),
    ENTITY_TYPES.map((t) => h("span", { class: "ent ent-" + t.key }, t.label)));
  const textEl = h("div", { class: "plan-text", id: "plan-text" });
  textEl.append(highlightedText(text, entitySpans(plan)));
  const side = h("div", { class: "side" });
  view.append(h("div", { class: "plan-layout" }, h("section", {}, h("h2", {}, "Văn bản"), legend, textEl), side));

  side.append(h("h2", {}, `Văn bản trích dẫn (${plan.references.length})`),
    table(["Số ký hiệu", "Loại, ngày", "Quan hệ", "Cùng trích dẫn"], plan.references.map((r, i) => h("tr", {},
      h("td", {}, jump("ref", i, r.number)), h("td", {}, [r.doc_type, r.date].filter(Boolean).join(", ")), h("td", {}, r.relation || ""),
      h("td", {}, h("a", { href: refUrl(r.number) + "?tu=" + encodeURIComponent(plan.plan_id), class: "small", title: "Các kế hoạch khác trích dẫn văn bản này" }, "kế hoạch khác →"))))));

  side.append(h("h2", {}, `Kinh phí (${plan.amounts.length})`),
    table(["Phạm vi", "Nguồn", "Loại vốn", "#Triệu đồng"], plan.amounts.map((a, i) => h("tr", {},
      h("td", {}, a.scope === "total" ? "Toàn kế hoạch" : a.scope), h("td", {}, a.source === "total" ? "Tổng" : a.source),
      h("td", {}, a.capital || ""), h("td", { class: "num" }, jump("amount", i, million(a.value_vnd)))))));

  side.append(h("h2", {}, `Cơ quan (${plan.agencies.length})`),
    table(["Cơ quan", "Cấp", "Vai trò"], plan.agencies.map((a, i) => h("tr", {},
      h("td", {}, (a.mentions || []).length ? jump("agency", i, a.name) : a.name), h("td", {}, a.level || ""),
      h("td", {}, [...new Set((a.roles || []).map((r) => r.role + (r.du_an ? " " + r.du_an : "")))].join("; "))))));

  side.append(h("h2", {}, `Chỉ tiêu (${plan.targets.length})`),
    table(["Chỉ tiêu", "#Giá trị", "Năm"], plan.targets.map((t, i) => h("tr", {},
      h("td", {}, jump("target", i, t.indicator || t.text)),
      h("td", { class: "num" }, `${t.comparator ? t.comparator + " " : ""}${Number(t.value).toLocaleString("vi-VN")} ${t.unit}`),
      h("td", {}, t.year || "")))));

  if ((plan.du_an || []).length) {
    side.append(h("h2", {}, `Dự án (${plan.du_an.length})`),
      table(["Mã", "Tên"], plan.du_an.map((d) => h("tr", {},
        h("td", {}, d.program && !d.parent ? h("a", { href: `/so-sanh?program=${d.program}&du_an=${encodeURIComponent(d.id)}`, title: "So sánh với kế hoạch khác" }, d.id) : d.id),
        h("td", {}, d.name)))));
  }
  if (location.hash) setTimeout(() => flashTo(location.hash.slice(1)), 50);
}

// ---------------------------------------------------------------- Trích dẫn

async function viewMostCited() {
  const view = $view();
  view.append(h("h1", {}, "Văn bản được trích dẫn nhiều nhất"));
  const form = h("form", { class: "searchbar", onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) go(refUrl(input.value.trim())); } });
  const input = h("input", { type: "search", placeholder: "Số ký hiệu, ví dụ 90/QĐ-TTg hoặc 90/QD-TTG", "aria-label": "Số ký hiệu" });
  form.append(input, h("button", { class: "primary", type: "submit" }, "Tra cứu"));
  view.append(form);
  try {
    const [docs, repl] = await Promise.all([api("/api/references?limit=50"), api("/api/replacements")]);
    view.append(table(["Số ký hiệu", "Loại", "Cơ quan ban hành", "#Số kế hoạch trích dẫn"], docs.map((d) => h("tr", {},
      h("td", {}, h("a", { href: refUrl(d.number) }, d.number)), h("td", {}, d.doc_type || ""), h("td", {}, d.issuer || ""),
      h("td", { class: "num" }, d.count))), true));
    if (repl.length) {
      view.append(h("h2", {}, "Kế hoạch thay thế văn bản khác"),
        table(["Kế hoạch", "Thay thế", "Văn bản bị thay thế trong kho"], repl.map((r) => h("tr", {},
          h("td", {}, h("a", { href: planUrl(r.plan_id) }, r.number || r.doc)), h("td", {}, h("a", { href: refUrl(r.replaces) }, r.replaces)),
          h("td", {}, r.replaced_plan_id ? h("a", { href: planUrl(r.replaced_plan_id) }, r.replaced_doc || r.replaced_plan_id) : "(không có trong kho)"))), true));
    }
  } catch (err) { showError(view, err); }
}

async function viewCiting(number) {
  const view = $view();
  view.append(h("h1", {}, `Các kế hoạch trích dẫn ${number}`));
  try {
    const data = await api("/api/references/" + encodeURIComponent(number).replace(/%2F/gi, "/"));
    if (!data.plans.length) { view.append(h("p", {}, "Chưa có kế hoạch nào trong kho trích dẫn văn bản này.")); return; }
    const from = new URLSearchParams(location.search).get("tu");
    const others = data.plans.filter((p) => p.plan_id !== from).length;
    view.append(h("p", { class: "muted" }, `${data.plans.length} kế hoạch` + (from ? ` (${others} kế hoạch khác ngoài kế hoạch đang xem)` : "")),
      table(["Kế hoạch", "Địa phương", "Năm", "Quan hệ", "#Số lần"], data.plans.map((p) => h("tr", {},
        h("td", {}, h("a", { href: planUrl(p.plan_id) }, p.title || p.doc), p.plan_id === from ? h("span", { class: "muted small" }, " (đang xem)") : null),
        h("td", {}, place(p)), h("td", {}, p.year || ""),
        h("td", {}, p.relation || ""), h("td", { class: "num" }, p.mentions)))));
  } catch (err) { showError(view, err); }
}

// ---------------------------------------------------------------- So sánh

async function viewCompare() {
  const view = $view();
  const p = new URLSearchParams(location.search);
  const program = PROGRAMS[p.get("program")] ? p.get("program") : "gnbv";
  const duAn = (p.get("du_an") || "").toUpperCase();
  view.append(h("h1", {}, "So sánh một Dự án giữa các kế hoạch"));

  const progSel = h("select", { name: "program" }, Object.entries(PROGRAMS).map(([k, v]) => h("option", { value: k, selected: k === program }, v)));
  const daSel = h("select", { name: "du_an" });
  const form = h("form", { class: "controls", onsubmit: (e) => { e.preventDefault(); go(`/so-sanh?program=${progSel.value}&du_an=${encodeURIComponent(daSel.value)}`); } },
    h("label", {}, "Chương trình", progSel), h("label", {}, "Dự án", daSel), h("button", { class: "primary", type: "submit" }, "So sánh"));
  view.append(form);
  const out = h("section", {});
  view.append(out);

  // Dự án choices: the du_an facet over the whole archive.
  let choices = [];
  try {
    const facets = (await api("/api/search?size=1&clauses=1")).facets || {};
    choices = (facets.du_an || []).map((f) => ({ value: f.value, count: f.count }));
  } catch (err) { showError(out, err); }
  const fill = () => {
    daSel.textContent = "";
    const ids = choices.filter((c) => c.value.startsWith(progSel.value + ":")).map((c) => ({ id: c.value.split(":")[1], count: c.count }));
    ids.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
    if (duAn && !ids.some((x) => x.id === duAn)) ids.unshift({ id: duAn, count: 0 });
    for (const x of ids) daSel.append(h("option", { value: x.id, selected: x.id === duAn }, `${x.id}${x.count ? ` (${x.count} kế hoạch)` : ""}`));
    if (!ids.length) daSel.append(h("option", { value: "" }, "(chưa có)"));
  };
  progSel.addEventListener("change", fill);
  fill();
  if (!duAn) { out.append(h("p", { class: "muted" }, "Chọn chương trình và Dự án để xem kinh phí, cơ quan chủ trì và chỉ tiêu của từng kế hoạch.")); return; }

  out.append(h("p", { class: "loading" }, "Đang tải…"));
  let data;
  try { data = await api(`/api/compare?program=${program}&du_an=${encodeURIComponent(duAn)}`); }
  catch (err) { out.textContent = ""; showError(out, err); return; }
  out.textContent = "";
  const csvHref = `/api/compare?program=${program}&du_an=${encodeURIComponent(duAn)}&format=csv`;
  out.append(h("p", {}, h("strong", {}, `${data.rows.length} kế hoạch có ${duAn}`), ` — ${PROGRAMS[program]}. `,
    h("a", { class: "button", href: csvHref, download: `so-sanh-${program}-${duAn}.csv`, id: "csv-link" }, "⬇ Tải CSV")));
  if (!data.rows.length) return;
  out.append(h("h2", {}, "Kinh phí theo địa phương và nguồn vốn (triệu đồng)"), h("div", { class: "chart", id: "chart" }, budgetChart(data.rows)));
  const cards = h("div", { class: "cards" });
  for (const r of data.rows) cards.append(compareCard(r));
  out.append(h("h2", {}, "Chi tiết từng kế hoạch"), cards);
}

function rowSources(r) {
  const s = {};
  for (const src of SOURCES) s[src.key] = r.sources ? r.sources[src.key] : null;
  return s;
}

function budgetChart(rows) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs, text) => {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const groups = rows.map((r) => {
    const s = rowSources(r);
    const bars = SOURCES.filter((src) => s[src.key]).map((src) => ({ label: src.label, color: src.hex, v: s[src.key] }));
    if (!bars.length && r.total_vnd) bars.push({ label: "Tổng", color: "#757575", v: r.total_vnd });
    return { name: [r.locality || r.doc, r.year].filter(Boolean).join(" "), sub: r.province || "", bars, total: r.total_vnd };
  });
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.v)));
  const barW = 28, gap = 6, left = 72, top = 46, plotH = 260, bottom = 64;
  const barsW = (g) => Math.max(1, g.bars.length) * (barW + gap) - gap;
  const natural = (g) => Math.max(barsW(g) + 60, 24 + 8.5 * Math.max(g.name.length, g.sub.length, 12));
  // few localities: widen the slots so the chart does not sit in a corner
  const spare = Math.max(0, 760 - left - 20 - groups.reduce((w, g) => w + natural(g), 0));
  const slotW = (g) => natural(g) + spare / groups.length;
  const width = left + groups.reduce((w, g) => w + slotW(g), 0) + 20;
  const height = top + plotH + bottom;
  const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Biểu đồ kinh phí theo địa phương và nguồn vốn" });
  // y axis in million đồng, round steps
  const step = niceStep(max / 1e6 / 5);
  for (let t = 0; t * step * 1e6 <= max * 1.0001; t++) {
    const y = top + plotH - (t * step * 1e6 / max) * plotH;
    root.append(svg("line", { x1: left - 4, x2: width - 10, y1: y, y2: y, stroke: t ? "#eee" : "#999" }));
    root.append(svg("text", { x: left - 8, y: y + 4, "text-anchor": "end" }, (t * step).toLocaleString("vi-VN")));
  }
  let x = left;
  for (const g of groups) {
    const x0 = x + (slotW(g) - barsW(g)) / 2;
    g.bars.forEach((b, i) => {
      const hgt = Math.max(1, (b.v / max) * plotH);
      const bx = x0 + i * (barW + gap);
      const rect = svg("rect", { x: bx, y: top + plotH - hgt, width: barW, height: hgt, fill: b.color, "data-source": b.label });
      rect.append(svg("title", {}, `${g.name} · ${b.label}: ${million(b.v)} triệu đồng`));
      root.append(rect);
      root.append(svg("text", { x: bx + barW / 2, y: top + plotH - hgt - 4, "text-anchor": "middle", style: "font-size:10px" }, million(b.v)));
    });
    const cx = x + slotW(g) / 2;
    root.append(svg("text", { x: cx, y: top + plotH + 18, "text-anchor": "middle", style: "font-weight:600" }, g.name));
    root.append(svg("text", { x: cx, y: top + plotH + 34, "text-anchor": "middle", fill: "#777" }, g.sub));
    if (g.total) root.append(svg("text", { x: cx, y: top + plotH + 50, "text-anchor": "middle", fill: "#333" }, `Tổng ${million(g.total)}`));
    x += slotW(g);
  }
  // legend: only the series drawn
  const used = new Set(groups.flatMap((g) => g.bars.map((b) => b.label)));
  let lx = left;
  for (const src of [...SOURCES, { label: "Tổng", hex: "#757575" }]) {
    if (!used.has(src.label)) continue;
    root.append(svg("rect", { x: lx, y: 10, width: 12, height: 12, fill: src.hex }));
    root.append(svg("text", { x: lx + 16, y: 20 }, src.label));
    lx += 34 + src.label.length * 7;
  }
  return root;
}

function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function compareCard(r) {
  // budget table: rows (scope, source), columns total / đầu tư / sự nghiệp
  const cells = new Map();
  for (const a of r.amounts || []) {
    const key = a.scope + "|" + a.source;
    if (!cells.has(key)) cells.set(key, { scope: a.scope, source: a.source, total: null, "đầu tư": null, "sự nghiệp": null });
    cells.get(key)[a.capital || "total"] = a.value_vnd;
  }
  const srcOrder = { total: 0, NSTW: 1, "NSĐP": 2, "khác": 3 };
  const budget = Array.from(cells.values()).sort((a, b) => a.scope.localeCompare(b.scope, "en", { numeric: true }) || (srcOrder[a.source] ?? 9) - (srcOrder[b.source] ?? 9));
  const title = [r.locality, r.province && r.province !== r.locality ? r.province : null].filter(Boolean).join(", ") || r.doc;
  return h("div", { class: "card", "data-plan": r.plan_id },
    h("h3", {}, h("a", { href: planUrl(r.plan_id) }, title), " ", h("span", { class: "muted small" }, (r.years.length ? r.years.join("–") : r.year || ""))),
    r.name ? h("div", { class: "small muted" }, `${r.du_an}: ${r.name}`) : null,
    h("p", {}, "Tổng kinh phí Dự án: ", h("strong", {}, r.total_vnd != null ? million(r.total_vnd) + " triệu đồng" : "không ghi")),
    budget.length ? h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Phạm vi"), h("th", {}, "Nguồn"), h("th", { class: "num" }, "Tổng"), h("th", { class: "num" }, "Đầu tư"), h("th", { class: "num" }, "Sự nghiệp"))),
      h("tbody", {}, budget.map((b) => h("tr", {}, h("td", {}, b.scope), h("td", {}, b.source === "total" ? "Tổng" : b.source),
        h("td", { class: "num" }, b.total != null ? million(b.total) : ""), h("td", { class: "num" }, b["đầu tư"] != null ? million(b["đầu tư"]) : ""),
        h("td", { class: "num" }, b["sự nghiệp"] != null ? million(b["sự nghiệp"]) : ""))))) : null,
    h("p", { class: "small" }, h("strong", {}, "Chủ trì: "), r.lead.length ? r.lead.join("; ") : "–"),
    r.coordinating.length ? h("p", { class: "small" }, h("strong", {}, "Phối hợp: "), r.coordinating.join("; ")) : null,
    r.targets.length ? [h("div", { class: "small" }, h("strong", {}, "Chỉ tiêu:")), h("ul", { class: "small" }, r.targets.map((t) => h("li", {}, t.text)))] : null);
}

// ---------------------------------------------------------------- Soạn thảo

function viewDraft() {
  const view = $view();
  const p = new URLSearchParams(location.search);
  view.append(h("h1", {}, "Soạn thảo: tìm điều khoản tương tự"),
    h("p", { class: "muted" }, "Dán một đoạn đang soạn; trang tìm các điều khoản giống nhất trong các kế hoạch đã có, để tham khảo hoặc sao chép."));
  const area = h("textarea", { name: "text", placeholder: "Ví dụ: Hỗ trợ xây dựng mới, sửa chữa nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn…", "aria-label": "Đoạn văn" });
  area.value = p.get("text") || "";
  const k = h("select", { name: "k", "aria-label": "Số kết quả" }, [5, 10, 20].map((n) => h("option", { value: n, selected: n === 10 }, `${n} kết quả`)));
  const out = h("section", { id: "similar" });
  const run = async () => {
    const text = area.value.trim();
    if (!text) return;
    out.textContent = "";
    out.append(h("p", { class: "loading" }, "Đang tìm…"));
    try {
      const data = await api("/api/similar", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text, k: Number(k.value) }) });
      out.textContent = "";
      if (!data.hits.length) out.append(h("p", {}, "Không có điều khoản nào đủ giống."));
      for (const hit of data.hits) out.append(similarCard(hit));
    } catch (err) { out.textContent = ""; showError(out, err); }
  };
  view.append(h("form", { onsubmit: (e) => { e.preventDefault(); run(); } }, area,
    h("div", { class: "controls", style: "margin-top:.5rem" }, h("button", { class: "primary", type: "submit" }, "Tìm điều khoản tương tự"), k)), out);
  if (area.value) run();
}

async function copyText(text) {
  try { await navigator.clipboard.writeText(text); return true; }
  catch (_) {
    const ta = h("textarea", { style: "position:fixed;left:-9999px" });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    return ok;
  }
}

function similarCard(hit) {
  const note = h("span", { class: "copied", role: "status" });
  const btn = h("button", { type: "button", class: "copy", onclick: async () => { note.textContent = (await copyText(hit.text)) ? "Đã sao chép" : "Không sao chép được"; } }, "Sao chép");
  const others = hit.plans > 1 ? ` · lặp lại ở ${hit.plans} kế hoạch` : (hit.count > 1 ? ` · lặp lại ${hit.count} lần` : "");
  return h("div", { class: "sim" },
    h("div", { class: "head" }, h("span", {}, h("span", { class: "score", title: "Độ giống (cosine)" }, Math.round(hit.score * 100) + "%"), " ",
      h("a", { href: planUrl(hit.plan_id) + "#" + hit.clause_id, title: "Mở kế hoạch tại điều khoản này" }, place(hit) || hit.doc),
      place(hit) ? h("span", { class: "small" }, " · " + hit.doc) : null, others),
      h("span", {}, btn, note)),
    hit.section ? h("div", { class: "small muted" }, hit.section) : null,
    h("div", { class: "body" }, hit.text));
}

route();
