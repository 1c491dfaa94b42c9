// Trang kế hoạch: identity, the text with every entity marked, full side tables, budget checks, citations.
import { $view, RELATIONS, api, h, identityOf, million, programs, refUrl, scopeLabel, scopeName, showError, table, td, vnDate, vnNumber } from "./util.js";
import { citationGraph } from "./graph.js";

const ENTITY_TYPES = [
  { key: "ref", label: "Văn bản trích dẫn" },
  { key: "amount", label: "Số tiền" },
  { key: "agency", label: "Cơ quan" },
  { key: "target", label: "Chỉ tiêu" },
];
const SOURCE_NAMES = { total: "Tổng", NSTW: "NSTW", "NSĐP": "NSĐP", "khác": "Nguồn khác" };
// why the extraction thinks a text is not a plan (extraction/structure.py words it in English)
// extraction's reasons (Vietnamese now; the English ones of archives extracted before)
const NOT_PLAN_REASONS = [
  [/no KẾ HOẠCH\/QUYẾT ĐỊNH title line|không có dòng tên loại/, "không có dòng tên văn bản (KẾ HOẠCH, QUYẾT ĐỊNH)"],
  [/no Căn cứ|không có phần Căn cứ/, "không có phần Căn cứ"],
  [/no 'Số: \.\.\.\/KH-\.\.\.'|không có dòng 'Số:/, "không có dòng “Số: …/KH-…”"],
  [/no numbered headings or Dự án|không có đề mục đánh số/, "không có mục đánh số hay Dự án"],
  [/text too short|văn bản quá ngắn/, "văn bản quá ngắn"],
];

// Every place the text names a cited document, not only the first: its number, however spaced,
// or the title of a law cited by title. Offsets in code points, as the API gives them.
function mentionSpans(text, ref) {
  const needle = ref.number || ref.title;
  if (!needle) return [];
  const pattern = needle.split("").map((ch) => {
    if (ch === "/" || ch === "-") return "\\s*[" + (ch === "-" ? "\\-–—" : "/") + "]\\s*";
    if (/\s/.test(ch)) return "\\s+";
    return ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("");
  let rx;
  try { rx = new RegExp("(?<![\\p{L}\\p{N}])" + pattern + "(?![\\p{L}\\p{N}])", "giu"); } catch (_) { return []; }
  const out = [];
  const toCp = codePointIndex(text);
  for (const m of text.matchAll(rx)) out.push({ start: toCp(m.index), end: toCp(m.index + m[0].length) });
  return out;
}

function codePointIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) { map[i] = cp; const c = text.charCodeAt(i); if (c < 0xD800 || c > 0xDBFF) cp++; }
  map[text.length] = cp;
  return (i) => map[i];
}

function entitySpans(plan, text) {
  const out = [];
  const add = (type, idx, e, title) => { if (e.start >= 0 && e.end > e.start) out.push({ type, idx, start: e.start, end: e.end, title }); };
  plan.references.forEach((r, i) => {
    const title = `Văn bản: ${r.number || r.title}${r.relation ? " (" + (RELATIONS[r.relation] || r.relation).toLowerCase() + ")" : ""}`;
    const spans = mentionSpans(text, r);
    if (r.start >= 0 && !spans.some((s) => s.start <= r.start && s.end >= r.end)) spans.unshift(r);
    spans.forEach((s) => add("ref", i, s, title));
  });
  plan.amounts.forEach((a, i) => add("amount", i, a, `Số tiền: ${million(a.value_vnd)} triệu đồng · ${scopeLabel(a.scope)} · ${SOURCE_NAMES[a.source] || a.source}${a.capital ? " · vốn " + a.capital : ""}`));
  plan.agencies.forEach((a, i) => (a.mentions || []).forEach((m) => add("agency", i, m, `Cơ quan: ${a.name}`)));
  plan.targets.forEach((t, i) => add("target", i, t, `Chỉ tiêu: ${t.indicator} = ${vnNumber(t.value)} ${t.unit}${t.year ? " (" + t.year + ")" : ""}`));
  const focus = location.hash.slice(1);  // a clause named in the URL (#c0042, from search or drafting) is framed
  plan.clauses.forEach((c) => { if (c.id === focus) add("focus", c.id, c, `Điều khoản ${c.id}`); });
  return out;
}

function highlightedText(text, spans) {
  const chars = Array.from(text);
  const n = chars.length;
  const bounds = new Set([0, n]);
  for (const s of spans) { bounds.add(Math.min(s.start, n)); bounds.add(Math.min(s.end, n)); }
  const cuts = Array.from(bounds).sort((a, b) => a - b);
  // sweep: spans enter the active set at their start and leave after their end (linear-ish on long plans)
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
    const el = h("span", { class: classes.join(" "), title: cover.map((s) => s.title).join("\n"), "data-type": inner.type, "data-idx": inner.idx }, piece);
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

// "DA1.TDA1" -> "Dự án 1, Tiểu dự án 1" over its name, small
function scopeCell(scope, plan, progs, repeated) {
  const name = scope === "total" || repeated ? "" : scopeName(scope, plan.du_an, progs, plan.meta.program_code);
  return [h("span", { class: "scope" }, scopeLabel(scope)), name ? h("div", { class: "small muted scope-name" }, name) : null];
}

// A budget check in words: the whole the text states, the parts it states, and which one differs.
function checkItem(c, plan, progs) {
  const what = c.kind === "capital" ? `vốn ${c.source}: đầu tư + sự nghiệp` : "NSTW + NSĐP + nguồn khác";
  // the parts as the extraction lists them ("NSTW 45.500 triệu đồng + NSĐP 4.550 triệu đồng"), without the scope
  const head = (c.message || "").split(" = ")[0];
  const parts = head.includes(": ") ? head.slice(head.indexOf(": ") + 2) : head;
  const scope = [scopeLabel(c.scope), scopeName(c.scope, plan.du_an, progs, plan.meta.program_code)].filter(Boolean).join(" — ");
  return h("li", { class: c.ok ? "check ok" : "check bad", "data-ok": String(c.ok) },
    h("div", {}, h("strong", {}, c.ok ? "✓ Khớp · " : "⚠ Lệch · "), scope, h("span", { class: "muted" }, ` (${what})`)),
    h("dl", { class: "figures" },
      h("dt", {}, "Văn bản ghi tổng"), h("dd", {}, `${million(c.stated)} triệu đồng`),
      h("dt", {}, "Cộng các phần văn bản ghi"), h("dd", {}, `${parts} = ${million(c.computed)} triệu đồng`),
      c.ok ? null : [h("dt", {}, "Chênh lệch"), h("dd", {}, `${million(Math.abs(c.stated - c.computed))} triệu đồng — `
        + (c.computed > c.stated ? "các phần cộng lại lớn hơn tổng văn bản ghi" : "các phần cộng lại nhỏ hơn tổng văn bản ghi"))]));
}

export async function viewPlan(planId) {
  const view = $view();
  view.append(h("p", { class: "loading" }, "Đang tải kế hoạch…"));
  let plan, text, progs;
  try {
    [plan, text, progs] = await Promise.all([api(`/api/plans/${encodeURIComponent(planId)}`), api(`/api/plans/${encodeURIComponent(planId)}/text`), programs()]);
  } catch (err) { view.textContent = ""; showError(view, err); return; }
  view.textContent = "";
  const m = plan.meta;
  const ident = identityOf({ ...plan, ...m, locality: (m.locality || {}).name, province: (m.locality || {}).province, identity: plan.identity });
  document.title = ident + " — Kế hoạch MTQG";
  view.append(h("h1", { class: "identity", id: "plan-identity" }, ident));
  if (m.title) view.append(h("p", { class: "trich-yeu" }, m.title));

  const loc = m.locality || {};
  const rows = [
    ["Loại văn bản", m.doc_type],
    ["Số ký hiệu", m.number || "(để trống trong văn bản)"],
    ["Ngày ban hành", m.issue_date ? vnDate(m.issue_date) : (m.issue_year ? `năm ${m.issue_year} (ngày, tháng để trống)` : null)],
    ["Cơ quan ban hành", m.issuer],
    ["Địa phương", [loc.level && loc.name ? `${loc.level} ${loc.name}` : loc.name, loc.province && loc.province !== loc.name ? "tỉnh " + loc.province : null].filter(Boolean).join(", ")],
    ["Năm thực hiện", (m.plan_years || []).join(", ")],
    ["Chương trình", m.program],
    ["Người ký", m.signer],
    ["Nguồn", (plan.sources || []).length > 1
      ? `${vnNumber(plan.sources.length, 0)} tệp cùng nội dung: ${plan.sources.join(", ")}` : `tệp ${plan.doc}`],
  ];
  view.append(h("dl", { class: "meta", id: "plan-meta" }, rows.filter((r) => r[1]).map(([k, v]) => [h("dt", {}, k), h("dd", { class: k === "Nguồn" ? "source-line" : null }, v)])));

  if (plan.ocr) {
    const pages = (plan.ocr_pages || []).length;
    view.append(h("div", { class: "note ocr-note", id: "ocr-note" }, h("strong", {}, "Văn bản đọc bằng OCR từ bản quét"),
      ` (${pages ? vnNumber(pages, 0) + " trang" : "bản quét"}${plan.ocr_confidence != null ? ", độ tin cậy trung bình " + vnNumber(plan.ocr_confidence, 1) + "%" : ""}):`
      + " chữ và số liệu có thể bị đọc sai, cần đối chiếu với bản gốc."));
  }

  if (plan.is_plan === false) {
    const reasons = [];
    for (const w of plan.warnings || []) for (const [rx, vi] of NOT_PLAN_REASONS) if (rx.test(w)) reasons.push(vi);
    view.append(h("div", { class: "note", id: "not-a-plan" }, h("strong", {}, "Văn bản này có vẻ không phải một kế hoạch"),
      " (bài báo, công văn hoặc trích đoạn): vẫn được lưu và tìm được, nhưng số liệu trích xuất cần đối chiếu lại.",
      reasons.length ? h("div", { class: "small" }, "Lý do: " + reasons.join("; ") + ".") : null));
  }

  const checks = plan.checks || [];
  if (checks.length) {
    const bad = checks.filter((c) => !c.ok);
    const box = h("details", { class: "checks" + (bad.length ? " has-bad" : ""), id: "budget-checks", open: bad.length ? true : null },
      h("summary", {}, h("strong", {}, "Kiểm tra cộng kinh phí: "), bad.length
        ? `${vnNumber(bad.length, 0)} trong ${vnNumber(checks.length, 0)} phép cộng lệch`
        : `cả ${vnNumber(checks.length, 0)} phép cộng đều khớp`),
      h("p", { class: "small muted" }, "So tổng văn bản ghi với cộng các phần văn bản ghi (NSTW + NSĐP + nguồn khác; vốn đầu tư + sự nghiệp). Cả hai phía đều lấy từ văn bản."),
      h("ul", {}, [...bad, ...checks.filter((c) => c.ok)].map((c) => checkItem(c, plan, progs))));
    view.append(box);
  }

  // the citation graph before the long tables: what the plan rests on, who carries it out
  const graph = h("section", { class: "graph", id: "citation-graph" });
  view.append(graph);
  const legend = h("div", { class: "legend" }, h("span", { class: "muted" }, "Chú giải:"),
    ENTITY_TYPES.map((t) => h("span", { class: "ent ent-" + t.key }, t.label)));
  const textEl = h("div", { class: "plan-text", id: "plan-text" });
  textEl.append(highlightedText(text, entitySpans(plan, text)));
  const side = h("div", { class: "side" });
  view.append(h("div", { class: "plan-layout" }, h("section", { class: "text-col" }, h("h2", {}, "Văn bản"), legend, textEl), side));

  side.append(h("h2", {}, `Kinh phí (${vnNumber(plan.amounts.length, 0)})`),
    table(["Phạm vi", "Nguồn", "Loại vốn", "#Triệu đồng"], plan.amounts.map((a, i) => h("tr", {},
      td("Phạm vi", scopeCell(a.scope, plan, progs, i > 0 && plan.amounts[i - 1].scope === a.scope)), td("Nguồn", SOURCE_NAMES[a.source] || a.source),
      td("Loại vốn", a.capital || ""), td("Triệu đồng", jump("amount", i, million(a.value_vnd)), "num"))), { id: "table-amounts", stack: true }));

  if ((plan.du_an || []).length) {
    side.append(h("h2", {}, `Dự án (${vnNumber(plan.du_an.length, 0)})`),
      table(["Dự án", "Tên"], plan.du_an.map((d) => h("tr", {},
        td("Dự án", d.program && !d.parent ? h("a", { href: `/so-sanh?program=${d.program}&du_an=${encodeURIComponent(d.id)}`, title: "So sánh với kế hoạch khác" }, scopeLabel(d.id)) : scopeLabel(d.id)),
        td("Tên", d.name))), { id: "table-du-an", stack: true }));
  }

  side.append(h("h2", {}, `Cơ quan (${vnNumber(plan.agencies.length, 0)})`),
    table(["Cơ quan", "Cấp", "Vai trò"], plan.agencies.map((a, i) => h("tr", {},
      td("Cơ quan", (a.mentions || []).length ? jump("agency", i, a.name) : a.name), td("Cấp", a.level || ""),
      td("Vai trò", [...new Set((a.roles || []).map((r) => r.role + (r.du_an ? " " + scopeLabel(r.du_an) : "")))].join("; ")))), { id: "table-agencies", stack: true }));

  side.append(h("h2", {}, `Chỉ tiêu (${vnNumber(plan.targets.length, 0)})`),
    table(["Chỉ tiêu", "#Giá trị", "Năm"], plan.targets.map((t, i) => h("tr", {},
      td("Chỉ tiêu", jump("target", i, t.indicator || t.text)),
      td("Giá trị", `${t.comparator ? t.comparator + " " : ""}${vnNumber(t.value)} ${t.unit}`, "num"),
      td("Năm", t.year || ""))), { id: "table-targets", stack: true }));

  side.append(h("h2", {}, `Văn bản trích dẫn (${vnNumber(plan.references.length, 0)})`),
    table(["Văn bản", "Loại, ngày", "Quan hệ", "Lần nhắc"], plan.references.map((r, i) => h("tr", {},
      td("Văn bản", r.number ? jump("ref", i, r.number) : jump("ref", i, r.title || "")),
      td("Loại, ngày", [r.doc_type, r.date ? vnDate(r.date) : null, r.issuer].filter(Boolean).join(", ")),
      td("Quan hệ", RELATIONS[r.relation] || r.relation || ""),
      td("Lần nhắc", r.number ? h("a", { href: refUrl(r.number) + "?tu=" + encodeURIComponent(plan.plan_id), class: "small", title: "Các kế hoạch khác trích dẫn văn bản này" }, `${vnNumber(r.mentions || 1, 0)} · kế hoạch khác →`) : vnNumber(r.mentions || 1, 0)))),
    { id: "table-refs", stack: true }));

  citationGraph(graph, { plan }).catch((err) => showError(graph, err));
  if (location.hash) setTimeout(() => flashTo(location.hash.slice(1)), 50);
}
