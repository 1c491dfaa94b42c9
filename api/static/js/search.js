// Tìm kiếm: the search box, results first, filters (facets) beside them or behind a button on a phone.
import { $view, PROGRAMS, SOURCES, api, go, h, identityOf, place, planUrl, programs, safeMarked, scopeLabel, showError, vnNumber } from "./util.js";

// What each facet counts: "Năm thực hiện" is every year a plan covers, "Năm ban hành" the year it was signed.
export const FACET_LABELS = {
  province: "Tỉnh", locality: "Địa phương", level: "Cấp", year: "Năm thực hiện", issue_year: "Năm ban hành",
  program: "Chương trình", du_an: "Dự án", source: "Nguồn vốn", doc_type: "Loại văn bản",
  cites: "Văn bản được trích dẫn", agency: "Cơ quan",
};
const FACET_ORDER = ["province", "locality", "level", "issue_year", "year", "program", "du_an", "source", "doc_type", "cites", "agency"];
const FACET_SHOWN = 8;
const LEVELS = { "tỉnh": "Cấp tỉnh", "huyện": "Cấp huyện", "xã": "Cấp xã" };

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

// A facet value with its name: "gnbv:DA5" -> "Dự án 5 — Hỗ trợ nhà ở ...", "NSTW" -> "NSTW (ngân sách trung ương)".
export function facetLabel(facet, value, progs) {
  if (facet === "program") return PROGRAMS[value] || value;
  if (facet === "level") return LEVELS[value] || value;
  if (facet === "source") { const s = SOURCES.find((x) => x.key === value); return s ? `${s.short} (${s.label.toLowerCase()})` : value; }
  if (facet === "du_an") {
    const [prog, id] = value.split(":");
    if (!id) return value;
    const name = progs && progs[prog] ? progs[prog].components[id] : "";
    return `${scopeLabel(id)}${prog !== "gnbv" ? " (" + (PROGRAMS[prog] || prog) + ")" : ""}${name ? " — " + name : ""}`;
  }
  return value;
}

export async function viewSearch() {
  const st = searchState();
  const view = $view();
  const input = h("input", { type: "search", name: "q", value: st.q, placeholder: "Ví dụ: hỗ trợ nhà ở cho hộ nghèo", "aria-label": "Tìm kiếm", autofocus: true, maxlength: 1000 });
  const sort = h("select", { name: "sort", "aria-label": "Sắp xếp" },
    h("option", { value: "relevance", selected: st.sort === "relevance" }, "Phù hợp nhất"),
    h("option", { value: "date", selected: st.sort === "date" }, "Mới nhất"));
  const form = h("form", { class: "searchbar", role: "search", onsubmit: (e) => { e.preventDefault(); go(searchHref({ ...st, q: input.value.trim(), sort: sort.value, page: 1 })); } },
    input, h("button", { class: "primary", type: "submit", id: "search-button" }, "Tìm"));
  sort.addEventListener("change", () => go(searchHref({ ...st, sort: sort.value, page: 1 })));
  const nFilters = Object.values(st.filters).reduce((n, vs) => n + vs.length, 0);
  const facetsEl = h("aside", { class: "facets", id: "facets", "aria-label": "Bộ lọc" });
  const toggle = h("button", { type: "button", class: "filters-toggle", id: "filters-toggle", "aria-controls": "facets", "aria-expanded": "false",
    onclick: () => { const open = facetsEl.classList.toggle("open"); toggle.setAttribute("aria-expanded", String(open)); document.body.classList.toggle("noscroll", open); } },
    "Bộ lọc" + (nFilters ? ` (${nFilters})` : ""));
  const results = h("section", { class: "results", id: "results" }, h("p", { class: "loading" }, "Đang tìm…"));
  view.append(h("h1", { class: "search-title" }, "Tìm kiếm trong kế hoạch"), form,
    h("div", { class: "toolbar" }, toggle, h("label", { class: "sort" }, "Sắp xếp ", sort)),
    h("div", { class: "search-layout" }, results, facetsEl));

  const params = new URLSearchParams(location.search);
  params.set("page", String(st.page)); params.set("size", "10"); params.set("clauses", "3");
  let data, progs;
  try { [data, progs] = await Promise.all([api("/api/search?" + params.toString()), programs()]); }
  catch (err) { results.textContent = ""; showError(results, err); return; }

  renderFacets(facetsEl, st, data.facets || {}, progs, data.total, () => toggle.click());
  results.textContent = "";
  const chips = h("div", { class: "chips" });
  for (const [f, vs] of Object.entries(st.filters)) for (const v of vs)
    chips.append(h("a", { class: "chip", href: searchHref(toggled(st, f, v)), title: "Bỏ bộ lọc" }, `${FACET_LABELS[f] || f}: ${facetLabel(f, v, progs)} ✕`));
  if (chips.childNodes.length) results.append(chips);
  results.append(h("p", { class: "summary", id: "total" },
    data.total ? `Tìm thấy ${vnNumber(data.total, 0)} kế hoạch` + (st.q ? ` cho “${st.q}”` : "")
      : "Không tìm thấy kế hoạch nào." + (st.q || nFilters ? " Hãy bớt từ hoặc bỏ bớt bộ lọc." : "")));
  if (data.notice) results.append(h("p", { class: "notice small" }, data.notice));
  for (const hit of data.hits) results.append(renderHit(hit));
  results.append(renderPager(st, data.total, 10));
}

function renderFacets(el, st, facets, progs, total, close) {
  el.textContent = "";
  el.append(h("div", { class: "facets-head" }, h("strong", {}, "Bộ lọc"), h("span", { class: "muted small" }, " · số kế hoạch"),
    h("button", { type: "button", class: "close", onclick: close }, `Xem ${vnNumber(total, 0)} kết quả`)));
  const order = [...FACET_ORDER, ...Object.keys(facets).filter((f) => !FACET_ORDER.includes(f))];
  for (const f of order) {
    const values = facets[f] || [];
    const selected = st.filters[f] || [];
    if (!values.length && !selected.length) continue;
    const list = h("ul", {});
    const seen = new Set();
    const items = values.map((fv) => ({ value: String(fv.value), count: fv.count }));
    for (const v of selected) if (!items.some((i) => i.value === v)) items.unshift({ value: v, count: 0 });
    items.forEach((item, i) => {
      if (seen.has(item.value)) return;
      seen.add(item.value);
      const on = selected.includes(item.value);
      const label = facetLabel(f, item.value, progs);
      list.append(h("li", { class: i >= FACET_SHOWN && !on ? "extra" : null, hidden: i >= FACET_SHOWN && !on },
        h("a", { href: searchHref(toggled(st, f, item.value)), class: on ? "on" : null, "data-facet": f, "data-value": item.value, title: (on ? "Bỏ lọc: " : "Lọc: ") + label },
          h("span", { class: "v" }, label), h("span", { class: "n" }, vnNumber(item.count, 0)))));
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
  const where = [place(hit), hit.year ? "năm " + hit.year : null].filter(Boolean).join(" · ");
  const box = h("article", { class: "hit", "data-plan": hit.plan_id, "data-locality": hit.locality || "" },
    h("h3", {}, h("a", { href: planUrl(hit.plan_id), class: "identity" }, identityOf(hit))),
    hit.title ? h("div", { class: "trich-yeu" }, hit.title) : null,
    where ? h("div", { class: "where" }, where) : null);
  for (const c of hit.clauses || []) {
    const body = h("div", {});
    body.append(safeMarked(c.highlight || c.text));
    const sec = h("div", { class: "sec" }, c.section ? c.section + " · " : "", h("a", { href: planUrl(hit.plan_id) + "#" + c.id }, "xem trong văn bản"));
    box.append(h("div", { class: "clause" }, sec, body));
  }
  if (hit.more_clauses) box.append(h("div", { class: "small muted" }, `và ${vnNumber(hit.more_clauses, 0)} điều khoản khác khớp`));
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
