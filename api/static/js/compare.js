// So sánh: one Dự án across plans, for researchers: one table, localities as rows, sources and capital as columns.
// The server answers a page of rows (PAGE_SIZE) with the count and sums of every matching plan; the CSV has every row.
import { $view, CAPITALS, PROGRAMS, SOURCES, ApiError, api, go, h, identityOf, million, planUrl, programs, scopeLabel, showError, table, td, vnNumber, years } from "./util.js";

const LEVELS = [["", "Mọi cấp"], ["tỉnh", "Cấp tỉnh"], ["huyện", "Cấp huyện"], ["xã", "Cấp xã"]];
const PAGE_SIZE = 50;

function compareState() {
  const p = new URLSearchParams(location.search);
  const int = (k) => { const v = parseInt(p.get(k) || "", 10); return v >= 1900 && v <= 2200 ? v : null; };
  const page = parseInt(p.get("page") || "", 10), size = parseInt(p.get("size") || "", 10);
  return { program: PROGRAMS[p.get("program")] ? p.get("program") : "gnbv", du_an: (p.get("du_an") || "").trim(),
           province: p.get("province") || "", level: p.get("level") || "", year_from: int("year_from"), year_to: int("year_to"),
           page: page >= 1 && page <= 100000 ? page : 1, size: size >= 1 && size <= 500 ? size : PAGE_SIZE };
}

function query(st) {
  const p = new URLSearchParams({ program: st.program, du_an: st.du_an });
  if (st.province) p.set("province", st.province);
  if (st.level) p.set("level", st.level);
  if (st.year_from) p.set("year_from", String(st.year_from));
  if (st.year_to) p.set("year_to", String(st.year_to));
  if (st.page > 1) p.set("page", String(st.page));
  if (st.size && st.size !== PAGE_SIZE) p.set("size", String(st.size));
  return p.toString();
}

export async function viewCompare() {
  const view = $view();
  const st = compareState();
  view.append(h("h1", {}, "So sánh một Dự án giữa các kế hoạch"));

  const progSel = h("select", { name: "program" }, Object.entries(PROGRAMS).map(([k, v]) => h("option", { value: k, selected: k === st.program }, v)));
  const daSel = h("select", { name: "du_an" });
  const provSel = h("select", { name: "province" }, h("option", { value: "" }, "Mọi tỉnh"));
  const levelSel = h("select", { name: "level" }, LEVELS.map(([v, l]) => h("option", { value: v, selected: v === st.level }, l)));
  const yearFrom = h("input", { type: "number", name: "year_from", min: 2000, max: 2100, placeholder: "từ", value: st.year_from || null, inputmode: "numeric" });
  const yearTo = h("input", { type: "number", name: "year_to", min: 2000, max: 2100, placeholder: "đến", value: st.year_to || null, inputmode: "numeric" });
  const form = h("form", { class: "controls compare-form", onsubmit: (e) => {
    e.preventDefault();
    go("/so-sanh?" + query({ program: progSel.value, du_an: daSel.value, province: provSel.value, level: levelSel.value,
      year_from: parseInt(yearFrom.value, 10) || null, year_to: parseInt(yearTo.value, 10) || null }));
  } },
    h("label", { class: "wide" }, "Chương trình", progSel), h("label", { class: "wide" }, "Dự án", daSel),
    h("label", {}, "Tỉnh", provSel), h("label", {}, "Cấp", levelSel),
    h("label", { class: "years" }, "Năm thực hiện", h("span", { class: "range" }, yearFrom, "–", yearTo)),
    h("button", { class: "primary", type: "submit" }, "So sánh"));
  view.append(form);
  const out = h("section", { id: "compare-out" });
  view.append(out);

  // Dự án choices: those the archive holds (the du_an facet), named; provinces likewise
  let choices = [], progs = {};
  try {
    const [data, p] = await Promise.all([api("/api/search?size=1&clauses=1"), programs()]);
    progs = p;
    choices = ((data.facets || {}).du_an || []).map((f) => ({ value: f.value, count: f.count }));
    for (const f of (data.facets || {}).province || []) provSel.append(h("option", { value: f.value, selected: f.value === st.province }, f.value));
  } catch (err) { showError(out, err); }
  if (st.province && provSel.value !== st.province) provSel.append(h("option", { value: st.province, selected: true }, st.province));
  const nameOf = (prog, id) => (progs[prog] && progs[prog].components[id]) || "";
  const fill = () => {
    daSel.textContent = "";
    const ids = choices.filter((c) => c.value.startsWith(progSel.value + ":")).map((c) => ({ id: c.value.split(":")[1], count: c.count }));
    ids.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
    for (const x of ids) {
      const name = nameOf(progSel.value, x.id);
      daSel.append(h("option", { value: x.id, selected: x.id === st.du_an.toUpperCase(), title: name },
        `${scopeLabel(x.id)}${name ? ": " + (name.length > 60 ? name.slice(0, 58) + "…" : name) : ""} (${vnNumber(x.count, 0)} kế hoạch)`));
    }
    if (!ids.length) daSel.append(h("option", { value: "" }, "(kho chưa có Dự án nào của chương trình này)"));
  };
  progSel.addEventListener("change", fill);
  fill();
  if (!st.du_an) { out.append(h("p", { class: "muted" }, "Chọn chương trình và Dự án để xem kinh phí theo nguồn vốn, cơ quan chủ trì và chỉ tiêu chính của từng địa phương.")); return; }

  const noSuch = (message) => out.append(h("div", { class: "empty", id: "no-du-an" }, h("strong", {}, "Không có Dự án này. "), message + ".",
    h("div", { class: "small" }, "Chọn một Dự án trong danh sách ở trên.")));
  // a code the program lacks is answered here; other written forms ("Dự án 5") the server reads
  const code = st.du_an.toUpperCase();
  if (/^(DA\d+(\.TDA\d+)?|ND\d+)$/.test(code) && progs[st.program] && !progs[st.program].components[code]) {
    noSuch(`Không có ${scopeLabel(code)} trong ${progs[st.program].name}`);
    return;
  }
  out.append(h("p", { class: "loading" }, "Đang tải…"));
  let data;
  // the sections' text is not shown here: left out of the answer
  try { data = await api("/api/compare?" + query({ ...st, size: null }) + "&size=" + st.size + "&text=false"); }
  catch (err) {
    out.textContent = "";
    if (err instanceof ApiError && err.code === "unknown_du_an") noSuch(err.message);
    else showError(out, err);
    return;
  }
  out.textContent = "";
  const label = scopeLabel(data.du_an);
  const name = nameOf(data.program, data.du_an);
  if (!data.total) {
    out.append(h("div", { class: "empty", id: "no-rows" }, `Chưa có kế hoạch nào trong kho có ${label} (${PROGRAMS[data.program]})`
      + (st.province || st.level || st.year_from || st.year_to ? " khớp các bộ lọc này." : ".")));
    return;
  }
  // the CSV: every matching plan, whatever the page
  out.append(h("p", { class: "compare-head" }, h("strong", {}, `${vnNumber(data.total, 0)} kế hoạch có ${label}`), name ? ` — ${name}` : "",
    ` (${PROGRAMS[data.program]}). `,
    h("a", { class: "button", href: "/api/compare?" + query({ ...st, page: 1, size: null }) + "&format=csv", download: `so-sanh-${data.program}-${data.du_an}.csv`, id: "csv-link",
      title: `Mọi ${vnNumber(data.total, 0)} kế hoạch, không chỉ trang này` }, "⬇ Tải CSV")));
  out.append(sumsLine(data));
  if (!data.rows.length) {
    out.append(h("div", { class: "empty", id: "no-rows" }, `Trang ${data.page} không có kế hoạch nào. `,
      h("a", { href: "/so-sanh?" + query({ ...st, page: 1 }) }, "Về trang đầu")));
    return;
  }
  out.append(shown(data), pager(st, data.total, data.size, "pager-top"));
  out.append(h("h2", {}, "Kinh phí theo nguồn vốn (triệu đồng)"), budgetBars(data.rows, data.sums.bar_max_vnd));
  out.append(h("h2", {}, "Bảng so sánh"), compareTable(data.rows), pager(st, data.total, data.size, "pager"));
}

// "Hiển thị 51–100 trong 1.234 kế hoạch"
function shown(data) {
  const first = (data.page - 1) * data.size + 1;
  return h("p", { class: "summary", id: "compare-shown" },
    `Hiển thị ${vnNumber(first, 0)}–${vnNumber(first + data.rows.length - 1, 0)} trong ${vnNumber(data.total, 0)} kế hoạch`);
}

// The sums of every matching plan (all pages), in million đồng.
function sumsLine(data) {
  const s = data.sums || {};
  const parts = SOURCES.filter((x) => s.sources && s.sources[x.key] != null).map((x) => `${x.short} ${million(s.sources[x.key])}`);
  if (s.total_vnd == null && !parts.length) return h("p", { class: "summary", id: "compare-sums" }, "Không kế hoạch nào ghi kinh phí của Dự án này.");
  return h("p", { class: "summary", id: "compare-sums" }, h("strong", {}, "Cộng cả " + vnNumber(data.total, 0) + " kế hoạch: "),
    s.total_vnd != null ? `tổng ${million(s.total_vnd)} triệu đồng` : "", parts.length ? ` (${parts.join("; ")})` : "",
    s.with_total < data.total ? ` — ${vnNumber(data.total - s.with_total, 0)} kế hoạch không ghi tổng.` : ".");
}

// Trang trước / 1 2 3 … / Trang sau: links keep the filters (the URL is the state).
function pager(st, total, size, id) {
  const pages = Math.ceil(total / size);
  const nav = h("nav", { class: "pager", id, "aria-label": "Trang" });
  if (pages <= 1) return nav;
  const link = (p, text, rel) => h("a", { href: "/so-sanh?" + query({ ...st, page: p }), rel: rel || null, "data-page": p }, text || vnNumber(p, 0));
  if (st.page > 1) nav.append(link(st.page - 1, "‹ Trang trước", "prev"));
  const from = Math.max(1, Math.min(st.page - 2, pages - 4)), to = Math.min(pages, from + 4);  // five around this one: fits a phone
  if (from > 1) nav.append(link(1), from > 2 ? h("span", { class: "gap" }, "…") : null);
  for (let p = from; p <= to; p++) nav.append(p === st.page ? h("span", { class: "cur", "aria-current": "page" }, vnNumber(p, 0)) : link(p));
  if (to < pages) nav.append(to < pages - 1 ? h("span", { class: "gap" }, "…") : null, link(pages));
  if (st.page < pages) nav.append(link(st.page + 1, "Trang sau ›", "next"));
  return nav;
}

// Horizontal bars, one per plan, split by source: HTML widths in %, so they fit any screen. One scale
// for every page (the server's largest bar of all matching plans), so pages compare with each other.
function budgetBars(rows, scale) {
  const max = Math.max(1, scale || 0, ...rows.map((r) => r.total_vnd || SOURCES.reduce((s, x) => s + (r.sources[x.key] || 0), 0)));
  const used = new Set();
  const list = h("div", { class: "bars" }, rows.map((r) => {
    const segs = SOURCES.filter((s) => r.sources[s.key]).map((s) => { used.add(s.key); return { ...s, v: r.sources[s.key] }; });
    if (!segs.length && r.total_vnd) { used.add("total"); segs.push({ key: "total", short: "Tổng", label: "Tổng (không tách nguồn)", hex: "#757575", v: r.total_vnd }); }
    const name = [r.locality || "?", years(r.years, r.year)].filter(Boolean).join(" · ");
    return h("div", { class: "bar-row", "data-plan": r.plan_id },
      h("div", { class: "bar-label" }, h("a", { href: planUrl(r.plan_id), title: identityOf(r) }, name),
        h("span", { class: "bar-total" }, r.total_vnd != null ? million(r.total_vnd) : "không ghi tổng")),
      h("div", { class: "bar" }, segs.map((s) => h("span", { class: "seg", "data-source": s.key, style: `width:${(100 * s.v / max).toFixed(2)}%;background:${s.hex}`,
        title: `${r.locality || ""} · ${s.label}: ${million(s.v)} triệu đồng` }))));
  }));
  const legend = h("div", { class: "legend" }, [...SOURCES, { key: "total", short: "Tổng (không tách nguồn)", hex: "#757575" }]
    .filter((s) => used.has(s.key)).map((s) => h("span", {}, h("span", { class: "swatch", style: `background:${s.hex}` }), s.short)));
  return h("div", { class: "chart", id: "chart" }, legend, list);
}

function compareTable(rows) {
  const head = ["Địa phương, văn bản", "Năm", "#Tổng", ...SOURCES.map((s) => "#" + s.short), ...CAPITALS.map((c) => "#" + c.label),
    "Cơ quan chủ trì", "Chỉ tiêu chính"];
  const body = rows.map((r) => h("tr", { "data-plan": r.plan_id, "data-locality": r.locality || "" },
    td("Địa phương", [h("strong", {}, [r.locality, r.province && r.province !== r.locality ? r.province : null].filter(Boolean).join(", ") || "?"),
      h("div", { class: "small" }, h("a", { href: planUrl(r.plan_id), class: "identity" }, identityOf(r)))]),
    td("Năm", years(r.years, r.year)),
    td("Tổng", million(r.total_vnd), "num"),
    SOURCES.map((s) => td(s.label, million(r.sources[s.key]), "num")),
    CAPITALS.map((c) => td(c.label, million(r.capitals[c.key]), "num")),
    td("Cơ quan chủ trì", r.lead.length ? r.lead.join("; ") : "–"),
    td("Chỉ tiêu chính", r.main_target || (r.targets[0] && r.targets[0].text) || "–")));
  return table(head, body, { id: "compare-table", stack: true });
}
