// Trích dẫn: the most cited documents, the plans replacing others, and one number's citing plans and chain.
import { $view, RELATIONS, api, go, h, identityOf, place, planUrl, refUrl, showError, table, td, vnNumber } from "./util.js";
import { archiveIndex, chainNames, chainOf, numberGraph } from "./graph.js";

export async function viewMostCited() {
  const view = $view();
  view.append(h("h1", {}, "Văn bản được trích dẫn nhiều nhất"));
  const input = h("input", { type: "search", placeholder: "Số ký hiệu, ví dụ 90/QĐ-TTg hoặc 90/QD-TTG", "aria-label": "Số ký hiệu" });
  view.append(h("form", { class: "searchbar", onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) go(refUrl(input.value.trim())); } },
    input, h("button", { class: "primary", type: "submit" }, "Tra cứu")));
  try {
    const [docs, repl] = await Promise.all([api("/api/references?limit=50"), api("/api/replacements")]);
    view.append(table(["Số ký hiệu", "Loại", "Cơ quan ban hành", "#Số kế hoạch trích dẫn"], docs.map((d) => h("tr", {},
      td("Số ký hiệu", h("a", { href: refUrl(d.number) }, d.number)), td("Loại", d.doc_type || ""), td("Cơ quan ban hành", d.issuer || ""),
      td("Số kế hoạch trích dẫn", vnNumber(d.count, 0), "num"))), { stack: true, id: "most-cited" }));
    if (repl.length) {
      view.append(h("h2", {}, "Kế hoạch thay thế văn bản khác"),
        table(["Kế hoạch", "Thay thế", "Văn bản bị thay thế trong kho"], repl.map((r) => h("tr", {},
          td("Kế hoạch", h("a", { href: planUrl(r.plan_id) }, r.identity || r.number || "(không số)")), td("Thay thế", h("a", { href: refUrl(r.replaces) }, r.replaces)),
          td("Văn bản bị thay thế", r.replaced_plan_id ? h("a", { href: planUrl(r.replaced_plan_id) }, r.replaced_identity || "mở văn bản") : "(không có trong kho)"))), { stack: true }));
    }
  } catch (err) { showError(view, err); }
}

export async function viewCiting(number) {
  const view = $view();
  view.append(h("h1", {}, `Văn bản ${number}`));
  let data;
  try { data = await api("/api/references/" + encodeURIComponent(number).replace(/%2F/gi, "/")); }
  catch (err) { showError(view, err); return; }
  const from = new URLSearchParams(location.search).get("tu");
  const graph = h("section", { class: "graph", id: "citation-graph" });
  view.append(graph);
  if (!data.plans.length) {
    graph.append(h("p", { class: "empty" }, `Chưa có kế hoạch nào trong kho trích dẫn ${number}.`));
    return;
  }
  let index, root;
  try { [index, root] = await Promise.all([archiveIndex(), chainOf(number)]); }
  catch (err) { showError(graph, err); return; }
  numberGraph(graph, root, data.plans, from);
  const names = chainNames(root);
  const others = data.plans.filter((p) => p.plan_id !== from).length;
  view.append(h("h2", {}, "Các kế hoạch trích dẫn"),
    h("p", { class: "muted" }, `${vnNumber(data.plans.length, 0)} kế hoạch` + (from ? ` (${vnNumber(others, 0)} kế hoạch khác ngoài kế hoạch đang xem)` : "")),
    table(["Kế hoạch", "Địa phương", "Năm", "Quan hệ", "#Lần nhắc"], data.plans.map((p) => h("tr", {},
      td("Kế hoạch", [h("a", { href: planUrl(p.plan_id) }, names.get(p.plan_id) || citingName(p, index)),
        p.plan_id === from ? h("span", { class: "muted small" }, " (đang xem)") : null]),
      td("Địa phương", place(p)), td("Năm", p.year || ""),
      td("Quan hệ", RELATIONS[p.relation] || p.relation || ""), td("Lần nhắc", vnNumber(p.mentions, 0), "num"))), { stack: true, id: "citing" }));
}

// A citing plan by its own identity (the row's `number` is the cited document's, not its own).
function citingName(p, index) {
  if (p.identity) return p.identity;
  const own = index.byId.get(p.plan_id);
  return own ? identityOf(own) : (p.title || p.doc);
}
