// Citations inside the archive: what a plan cites ("Căn cứ / trích dẫn"), what cites it ("Được trích
// dẫn bởi"), and the implementation chain as a tree (a decision -> the province's plan -> the districts').
// From GET /api/plans/{id}/citations and GET /api/chain; a server without them is read through
// GET /api/references/{number} and the plan list instead.
import { ApiError, RELATIONS, api, h, identityOf, planUrl, refUrl, vnDate, vnNumber } from "./util.js";

const MAX_DEPTH = 3;
const MAX_NODES = 60;

// the same key for every written form of a number: "90/QĐ-TTg", "90/QD-TTG", "90 / QĐ - TTg"
export function numberKey(n) {
  return (n || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "D").replace(/[–—]/g, "-")
    .replace(/\s+/g, "").toUpperCase();
}

const enc = (number) => encodeURIComponent(number).replace(/%2F/gi, "/");

// A route this server does not have yet answers 404 not_found: the caller falls back.
async function optional(path) {
  try { return await api(path); }
  catch (err) { if (err instanceof ApiError && err.status === 404 && err.code === "not_found") return null; throw err; }
}

// The archive's plan summaries by number key and by id (first 1.000 plans: enough to name nodes by).
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
  if (!citingCache.has(key)) citingCache.set(key, api("/api/references/" + enc(number)).then((d) => d.plans).catch(() => []));
  return citingCache.get(key);
}

// ---- the tree: nodes {plan_id, identity, relation, children}

function nodeLabel(n, current) {
  if (n.plan_id && n.plan_id === current) return h("strong", { class: "here" }, n.identity, h("span", { class: "muted small" }, " (đang xem)"));
  if (n.plan_id) return h("a", { href: planUrl(n.plan_id) }, n.identity);
  return [h("strong", {}, n.identity), n.number ? h("span", { class: "muted small" }, " (không có trong kho)") : null];
}

function treeList(nodes, current) {
  if (!nodes || !nodes.length) return null;
  return h("ul", { class: "tree" }, nodes.map((n) => h("li", { "data-plan": n.plan_id || "" },
    n.relation ? [h("span", { class: "rel" }, (RELATIONS[n.relation] || n.relation).toLowerCase()), " "] : null,
    nodeLabel(n, current), treeList(n.children, current))));
}

// The fallback: plans citing `number`, each with the plans citing it below, a few levels deep.
async function descendants(number, index, seen, depth, budget) {
  if (!number || depth > MAX_DEPTH) return [];
  const out = [];
  for (const p of await citing(number)) {
    if (seen.has(p.plan_id) || budget.n-- <= 0) continue;
    seen.add(p.plan_id);
    const own = index.byId.get(p.plan_id);
    out.push({ plan_id: p.plan_id, identity: own ? identityOf(own) : (p.title || p.doc), relation: p.relation,
               children: own && own.number ? await descendants(own.number, index, seen, depth + 1, budget) : [] });
  }
  return out;
}

// The implementation chain below a document: the server's tree, else one built from the references.
async function chainBelow(number, index) {
  const tree = await optional("/api/chain?number=" + encodeURIComponent(number));
  if (tree) return tree;
  const doc = index.byNumber.get(numberKey(number));
  const root = doc ? { plan_id: doc.plan_id, identity: identityOf(doc), number } : { plan_id: null, identity: number, number };
  root.children = await descendants(number, index, new Set(doc ? [doc.plan_id] : []), 1, { n: MAX_NODES });
  return root;
}

// plan id -> identity line, from a chain tree (the server words them from each plan's own meta)
export function chainNames(root, out = new Map()) {
  if (root.plan_id) out.set(root.plan_id, root.identity);
  for (const c of root.children || []) chainNames(c, out);
  return out;
}

function docLabel(ref) {
  return [ref.doc_type, ref.number ? "số " + ref.number : ref.title, ref.date ? "ngày " + vnDate(ref.date) : null,
    ref.issuer ? "của " + ref.issuer : null].filter(Boolean).join(" ");
}

// ---- the plan page: its căn cứ (in the archive or not), who cites it, and the chain through it

export async function citationGraph(el, { plan }) {
  el.append(h("h2", {}, "Quan hệ trích dẫn trong kho"), h("p", { class: "loading" }, "Đang dựng quan hệ trích dẫn…"));
  const [index, served] = await Promise.all([archiveIndex(), optional(`/api/plans/${encodeURIComponent(plan.plan_id)}/citations`)]);
  const nameOf = (pid) => { const s = index.byId.get(pid); return s ? identityOf(s) : "kế hoạch trong kho"; };
  // what it cites, each with the archived plan that is that document (if any)
  const refs = served ? served.cites : plan.references.filter((r) => r.number).map((r) => {
    const s = index.byNumber.get(numberKey(r.number));
    return { ...r, archived: s && s.plan_id !== plan.plan_id ? [s.plan_id] : [] };
  });
  const untitled = plan.references.filter((r) => !r.number);  // laws cited by title
  el.querySelector(".loading").remove();
  const cols = h("div", { class: "graph-cols" });
  el.append(cols);

  const parents = [];
  const cites = h("div", { class: "graph-col", id: "graph-cites" }, h("h3", {}, "Căn cứ / trích dẫn"));
  const byRel = {};
  for (const r of [...refs, ...untitled]) (byRel[r.relation || "khác"] ||= []).push(r);
  for (const rel of ["thay thế", "căn cứ", "khác"]) {
    if (!byRel[rel]) continue;
    cites.append(h("div", { class: "small muted" }, RELATIONS[rel] || rel), h("ul", { class: "plain" }, byRel[rel].map((r) => {
      const pid = (r.archived || [])[0];
      if (pid) parents.push({ plan_id: pid, number: r.number, relation: r.relation });
      return h("li", {}, pid ? h("a", { href: planUrl(pid), class: "in-archive" }, nameOf(pid))
        : r.number ? h("a", { href: refUrl(r.number) }, docLabel(r)) : docLabel(r),
        pid ? h("span", { class: "badge" }, "trong kho") : null);
    })));
  }
  if (!plan.references.length) cites.append(h("p", { class: "muted" }, "Văn bản không trích dẫn văn bản nào."));
  cols.append(cites);

  // the chain first: its lines name the plans below the same way everywhere on the page
  const own = plan.meta.number;
  const parent = parents.find((p) => p.relation === "căn cứ") || parents[0];
  let root = { plan_id: plan.plan_id, identity: plan.identity || identityOf(plan.meta), children: [] };
  if (parent && parent.number) root = await chainBelow(parent.number, index);
  else if (own) root = await chainBelow(own, index);
  const names = chainNames(root);
  const by = h("div", { class: "graph-col", id: "graph-cited-by" }, h("h3", {}, "Được trích dẫn bởi"));
  const citedBy = served ? served.cited_by : own ? (await citing(own)).filter((p) => p.plan_id !== plan.plan_id) : [];
  if (!own) by.append(h("p", { class: "muted" }, "Văn bản không ghi số ký hiệu, nên không văn bản nào trích dẫn được nó theo số."));
  else if (!citedBy.length) by.append(h("p", { class: "muted" }, `Chưa có kế hoạch nào trong kho trích dẫn ${own}.`));
  else by.append(h("ul", { class: "plain" }, citedBy.map((c) => h("li", {}, h("a", { href: planUrl(c.plan_id) }, c.identity || names.get(c.plan_id) || nameOf(c.plan_id)),
    c.relation ? h("span", { class: "muted small" }, ` (${(RELATIONS[c.relation] || c.relation).toLowerCase()})`) : null))));
  cols.append(by);

  // the chain: from the archived document this plan rests on (căn cứ first), else from this plan
  el.append(h("h3", {}, "Chuỗi triển khai"), h("div", { class: "chain", id: "chain" }, treeList([root], plan.plan_id)),
    h("p", { class: "small muted" }, "Văn bản trên là căn cứ của văn bản dưới; chỉ gồm các văn bản có trong kho."));
}

// ---- the citation page of one number: the document (if the archive has it) and the chain below it

export async function chainOf(number) {
  return chainBelow(number, await archiveIndex());
}

export function numberGraph(el, root, plans, from) {
  el.append(h("p", { class: "doc-line" }, root.plan_id ? ["Văn bản này có trong kho: ", h("a", { href: planUrl(root.plan_id) }, root.identity)]
    : [root.identity, h("span", { class: "muted" }, " (không có trong kho)")]));
  el.append(h("h2", {}, `Được trích dẫn bởi (${vnNumber(plans.length, 0)} kế hoạch)`),
    h("h3", {}, "Chuỗi triển khai"), h("div", { class: "chain", id: "chain" }, treeList([root], from)),
    h("p", { class: "small muted" }, "Mỗi nhánh là một văn bản trong kho thực hiện văn bản ở trên nó."));
}
