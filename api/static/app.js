// kehoach web page: vanilla JS modules, one shell, views chosen from the URL (every state can be bookmarked).
// Views: js/search.js (Tìm kiếm), js/plan.js (Trang kế hoạch), js/compare.js (So sánh), js/draft.js (Soạn thảo),
// js/refs.js + js/graph.js (Trích dẫn, quan hệ trích dẫn), js/upload.js (Nạp tệp, with the write key); js/util.js holds the shared helpers and formats.
import { $view, go } from "./js/util.js";
import { viewSearch } from "./js/search.js";
import { viewPlan } from "./js/plan.js";
import { viewCompare } from "./js/compare.js";
import { viewDraft } from "./js/draft.js";
import { viewCiting, viewMostCited } from "./js/refs.js";
import { viewUpload } from "./js/upload.js";

function route() {
  const path = decodeURIComponent(location.pathname);
  let nav = "search";
  const view = $view();
  view.textContent = "";
  document.body.classList.remove("noscroll");
  document.title = "Kế hoạch MTQG — tra cứu";
  if (path.startsWith("/ke-hoach/")) { nav = ""; viewPlan(path.slice("/ke-hoach/".length)); }
  else if (path === "/so-sanh") { nav = "compare"; viewCompare(); }
  else if (path === "/soan-thao") { nav = "draft"; viewDraft(); }
  else if (path === "/trich-dan") { nav = "refs"; viewMostCited(); }
  else if (path === "/nap-tep") { nav = "upload"; viewUpload(); }
  else if (path.startsWith("/trich-dan/")) { nav = "refs"; viewCiting(path.slice("/trich-dan/".length)); }
  else viewSearch();
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === nav);
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
window.addEventListener("kehoach:route", route);

route();
