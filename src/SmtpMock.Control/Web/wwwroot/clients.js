// The retries view: attempts per client key, each with the reply it got and the gap since the one before.
import { el, get, time } from "./api.js";

export async function loadClients(openSession) {
  const groups = await get("clients");
  const view = document.getElementById("client-groups");
  view.replaceChildren(...groups.map((g) => el("section", { class: "group" },
    el("h3", {}, `${g.client} · ${g.sender || "<>"} → ${g.recipient}`),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "At"), el("th", {}, "Session"), el("th", {}, "Reply"), el("th", {}, "Gap"))),
      el("tbody", {}, g.attempts.map((a) => el("tr", { class: a.rule ? "injected" : null },
        el("td", {}, time(a.at)),
        el("td", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); openSession(a.sessionId); } }, `#${a.sessionId}`)),
        el("td", {}, a.reply, a.rule ? el("span", { class: "rule" }, `rule ${a.rule}`) : null),
        el("td", {}, a.gapSeconds === null ? "first" : `+${a.gapSeconds} s`))))))));
  if (groups.length === 0) view.append(el("p", { class: "empty" }, "No delivery attempts yet."));
}
