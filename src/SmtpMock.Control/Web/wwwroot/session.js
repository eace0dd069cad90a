// One session's SMTP conversation, shown like a terminal; replies a scenario rule wrote are highlighted and named.
import { count, el, get, time, when } from "./api.js";

let current = null;

function line(entry) {
  const prefix = entry.direction === "in" ? "C: " : entry.direction === "out" ? "S: " : "-- ";
  const injected = entry.direction === "out" && entry.rule;
  return el("div", { class: `line ${entry.direction}${injected ? " injected" : ""}`, "data-rule": entry.rule || null },
    el("time", {}, time(entry.at)), el("code", {}, prefix + entry.line),
    injected ? el("span", { class: "rule" }, `rule ${entry.rule}`) : null);
}

export async function showSession(id) {
  current = id;
  const view = document.getElementById("session-view");
  const s = await get(`sessions/${id}`);
  if (current !== id) return;
  view.replaceChildren(
    el("h2", {}, `Session #${s.id}`),
    el("p", { class: "meta" }, `${s.client} · HELO ${s.heloName || "-"}${s.scenario ? ` · scenario ${s.scenario} (${s.scenarioChosenBy})` : ""} · started ${when(s.startedAt)}${s.endedAt ? ` · ended ${time(s.endedAt)} (${s.endReason || ""})` : " · open"}`),
    el("p", { class: "meta" }, `${count(s.commands, "command")} · ${count(s.messages, "message")} · ${count(s.faults, "injected reply", "injected replies")}`),
    el("div", { id: "transcript", class: "terminal" }, s.transcript.map(line)));
}

/** A line from the events stream for the open session. */
export function appendLine(event) {
  const transcript = document.getElementById("transcript");
  if (!transcript || event.sessionId !== current) return;
  transcript.append(line(event));
}
