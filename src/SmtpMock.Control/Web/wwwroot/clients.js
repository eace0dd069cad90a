// The retries view: attempts per client key, each with the reply it got and the gap since the one before. One table,
// a header row per key, so the columns line up across keys; keys with a refused attempt first, then the newest.
import { el, get, when } from "./api.js";

/** An attempt that did not end in a 2xx: refused (4xx, 5xx) or left without a reply (dropped). */
const refused = (attempt) => !attempt.reply.startsWith("2");

export async function loadClients(openSession) {
  const groups = (await get("clients")).map((g) => ({ ...g, refused: g.attempts.filter(refused).length, last: Date.parse(g.attempts.at(-1).at) }));
  groups.sort((a, b) => (b.refused > 0) - (a.refused > 0) || b.last - a.last);
  const view = document.getElementById("client-groups");
  if (groups.length === 0) {
    view.replaceChildren(el("p", { class: "empty" }, "No delivery attempts yet."));
    return;
  }
  view.replaceChildren(el("table", { class: "clients" },
    el("colgroup", {}, el("col", { class: "at" }), el("col", { class: "session" }), el("col", { class: "reply" }), el("col", { class: "gap" })),
    el("thead", {}, el("tr", {}, el("th", {}, "At"), el("th", {}, "Session"), el("th", {}, "Reply"), el("th", {}, "Gap"))),
    groups.map((g) => el("tbody", { class: g.refused ? "group refused" : "group", "data-key": g.key },
      el("tr", { class: "key" }, el("th", { colspan: "4" },
        el("span", { class: "who" }, `${g.client} · ${g.sender || "<>"} → ${g.recipient}`),
        g.refused ? el("span", { class: "mark bad" }, `⚠ ${g.refused} of ${g.attempts.length} refused`) : el("span", { class: "mark" }, `${g.attempts.length} accepted`))),
      g.attempts.map((a) => el("tr", { class: a.rule ? "injected" : null },
        el("td", {}, when(a.at)),
        el("td", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); openSession(a.sessionId); } }, `#${a.sessionId}`)),
        el("td", {}, a.reply || "(no reply: dropped)", a.rule ? el("span", { class: "rule" }, `rule ${a.rule}`) : null),
        el("td", {}, a.gapSeconds === null ? "first" : `+${a.gapSeconds} s`)))))));
}
