// Soạn thảo: paste a paragraph, get the most similar clauses of earlier plans, copy one.
import { $view, api, h, place, planUrl, showError, vnNumber } from "./util.js";

export function viewDraft() {
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
  const others = hit.plans > 1 ? ` · lặp lại ở ${vnNumber(hit.plans, 0)} kế hoạch` : (hit.count > 1 ? ` · lặp lại ${vnNumber(hit.count, 0)} lần` : "");
  return h("div", { class: "sim" },
    h("div", { class: "head" }, h("span", {}, h("span", { class: "score", title: "Độ giống (cosine)" }, Math.round(hit.score * 100) + "%"), " ",
      h("a", { href: planUrl(hit.plan_id) + "#" + hit.clause_id, title: "Mở kế hoạch tại điều khoản này" }, hit.identity || place(hit) || "mở kế hoạch"),
      hit.identity && place(hit) ? h("span", { class: "small" }, " · " + place(hit)) : null, others),
      h("span", {}, btn, note)),
    hit.section ? h("div", { class: "small muted" }, hit.section) : null,
    h("div", { class: "body" }, hit.text));
}

