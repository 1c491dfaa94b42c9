// Citations inside the archive: what a plan cites ("Căn cứ / trích dẫn"), what cites it ("Được trích
// dẫn bởi"), and the implementation chain as a tree (a decision -> the province's plan -> the districts').
// Built on GET /api/references/{number} and the plan list: no chain route exists in the API yet.
import { RELATIONS, api, h, identityOf, planUrl, refUrl, vnDate, vnNumber } from "./util.js";

const MAX_DEPTH = 3;
const MAX_NODES = 60;

// the same key for every written form of a number: "90/QĐ-TTg", "90/QD-TTG", "90 / QĐ - TTg"
export function numberKey(n) {
  return (n || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "D").replace(/[–—]/g, "-")
    .replace(/\s+/g, "").toUpperCase();
}

// The archive's plan summaries by number key and by id (first 1.000 plans: enough to draw a graph by).
let indexPromise = null;
export function archiveIndex() {
  if (!indexPromise) {
    indexPromise = (async () => {
      const byNumber = new Map(), byId = new Map();
      for (let page = 1; page <= 10; page++) {
        const data = await api(`/api/plans?size=100&page=${page}`);
        for (const p of data.plans) { byId.set(p.plan_id, p); if (p.number) byNumber.set(numberKey(p.number), p); }
        if (page * 100 >= data.total) break;
      }
      return { byNumber, byId };
    })().catch(() => ({ byNumber: new Map(), byId: new Map() }));
  }
  return indexPromise;
}

const citingCache = new Map();
function citing(number) {
  const key = numberKey(number);
  if (!citingCache.has(key)) {
    citingCache.set(key, api("/api/references/" + encodeURIComponent(number).replace(/%2F/gi, "/"))
      .then((d) => d.plans).catch(() => []));
  }
  return citingCache.get(key);
}

function planLink(p, current) {
  const name = identityOf(p);
  return p.plan_id === current ? h("strong", { class: "here" }, name, h("span", { class: "muted small" }, " (đang xem)"))
    : h("a", { href: planUrl(p.plan_id) }, name);
}

// Children of a node: the archive's plans citing its number, each with its own children below.
async function descendants(number, numbers, seen, depth, budget) {
  if (!number || depth > MAX_DEPTH) return [];
  const rows = (await citing(number)).filter((p) => !seen.has(p.plan_id));
  const out = [];
  for (const p of rows) {
    if (budget.n-- <= 0) break;
    seen.add(p.plan_id);
    const own = numbers.byId.get(p.plan_id);
    out.push({ plan: { ...p, number: null, doc_type: null, date: null, ...(own || {}), identity: p.identity || (own ? identityOf(own) : null) }, relation: p.relation,
               children: own && own.number ? await descendants(own.number, numbers, seen, depth + 1, budget) : [] });
  }
  return out;
}

function treeList(nodes, current) {
  if (!nodes.length) return null;
  return h("ul", { class: "tree" }, nodes.map((n) => h("li", { "data-plan": n.plan.plan_id },
    n.relation ? h("span", { class: "rel" }, (RELATIONS[n.relation] || n.relation).toLowerCase()) : null, " ",
    planLink(n.plan, current), treeList(n.children, current))));
}

function docLabel(ref) {
  return [ref.doc_type, ref.number ? "số " + ref.number : ref.title, ref.date ? "ngày " + vnDate(ref.date) : null,
    ref.issuer ? "của " + ref.issuer : null].filter(Boolean).join(" ");
}

// The plan page: its căn cứ (in the archive or not), who cites it, and the chain through it.
export async function citationGraph(el, { plan }) {
  el.append(h("h2", {}, "Quan hệ trích dẫn trong kho"), h("p", { class: "loading" }, "Đang dựng quan hệ trích dẫn…"));
  const numbers = await archiveIndex();
  el.querySelector(".loading").remove();
  const cols = h("div", { class: "graph-cols" });
  el.append(cols);

  // Căn cứ / trích dẫn: every cited document, the ones the archive holds as links to the plan
  const parents = [];
  const cites = h("div", { class: "graph-col", id: "graph-cites" }, h("h3", {}, "Căn cứ / trích dẫn"));
  const byRel = {};
  for (const r of plan.references) (byRel[r.relation || "khác"] ||= []).push(r);
  for (const rel of ["thay thế", "căn cứ", "khác"]) {
    const refs = byRel[rel];
    if (!refs) continue;
    cites.append(h("div", { class: "small muted" }, RELATIONS[rel] || rel), h("ul", { class: "plain" }, refs.map((r) => {
      const inArchive = r.number ? numbers.byNumber.get(numberKey(r.number)) : null;
      if (inArchive && inArchive.plan_id !== plan.plan_id) parents.push({ plan: inArchive, relation: r.relation });
      return h("li", {}, inArchive ? h("a", { href: planUrl(inArchive.plan_id), class: "in-archive", title: "Có trong kho" }, identityOf(inArchive))
        : r.number ? h("a", { href: refUrl(r.number) }, docLabel(r)) : docLabel(r),
        inArchive ? h("span", { class: "badge" }, "trong kho") : null);
    })));
  }
  if (!plan.references.length) cites.append(h("p", { class: "muted" }, "Văn bản không trích dẫn văn bản nào."));
  cols.append(cites);

  // Được trích dẫn bởi: the archive's plans citing this plan's number
  const by = h("div", { class: "graph-col", id: "graph-cited-by" }, h("h3", {}, "Được trích dẫn bởi"));
  const own = plan.meta.number;
  const seen = new Set([plan.plan_id]);
  const budget = { n: MAX_NODES };
  const children = own ? await descendants(own, numbers, seen, 1, budget) : [];
  if (!own) by.append(h("p", { class: "muted" }, "Văn bản không ghi số ký hiệu, nên không văn bản nào trích dẫn được nó theo số."));
  else if (!children.length) by.append(h("p", { class: "muted" }, `Chưa có kế hoạch nào trong kho trích dẫn ${own}.`));
  else by.append(h("ul", { class: "plain" }, children.map((c) => h("li", {}, planLink(c.plan), c.relation ? h("span", { class: "muted small" }, ` (${(RELATIONS[c.relation] || c.relation).toLowerCase()})`) : null))));
  cols.append(by);

  // the implementation chain: the cited plans above, this plan, who carries it out below
  const self = { plan: { ...plan, identity: plan.identity }, children };
  const roots = parents.length ? parents.map((p) => ({ ...p, children: [self] })) : [self];
  el.append(h("h3", {}, "Chuỗi triển khai"), h("div", { class: "chain", id: "chain" }, treeList(roots, plan.plan_id)),
    h("p", { class: "small muted" }, "Văn bản trên là căn cứ của văn bản dưới; chỉ gồm các văn bản có trong kho."));
}

// The citation page of one number: the document (if the archive has it), who cites it, and the chain below it.
export async function numberGraph(el, number, plans, from) {
  const numbers = await archiveIndex();
  const doc = numbers.byNumber.get(numberKey(number));
  const head = plans.find((p) => p.doc_type || p.date) || {};
  el.append(h("p", { class: "doc-line" }, doc ? ["Văn bản này có trong kho: ", h("a", { href: planUrl(doc.plan_id) }, identityOf(doc))]
    : [[head.doc_type, "số " + number, head.date ? "ngày " + vnDate(head.date) : null].filter(Boolean).join(" "), h("span", { class: "muted" }, " (không có trong kho)")]));
  const seen = new Set(doc ? [doc.plan_id] : []);
  const tree = await descendants(number, numbers, seen, 1, { n: MAX_NODES });
  el.append(h("h2", {}, `Được trích dẫn bởi (${vnNumber(plans.length, 0)} kế hoạch)`),
    h("h3", {}, "Chuỗi triển khai"),
    h("div", { class: "chain", id: "chain" }, h("ul", { class: "tree" }, h("li", {},
      doc ? h("a", { href: planUrl(doc.plan_id) }, identityOf(doc)) : h("strong", {}, number), treeList(tree, from)))),
    h("p", { class: "small muted" }, "Mỗi nhánh là một văn bản trong kho trích dẫn văn bản ở trên nó."));
}
