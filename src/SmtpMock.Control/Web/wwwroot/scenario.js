// The scenario view: the active YAML and rule hit counts, a switcher, an editor that PUTs and marks problems at their line.
import { call, el, get } from "./api.js";

function gutter(problems = []) {
  const lines = document.getElementById("yaml").value.split("\n").length;
  const byLine = new Map(problems.map((p) => [p.line, p.message]));
  document.getElementById("yaml-gutter").replaceChildren(...Array.from({ length: lines }, (_, i) =>
    el("span", { class: byLine.has(i + 1) ? "bad" : null, "data-line": String(i + 1), title: byLine.get(i + 1) || null }, String(i + 1))));
}

function problems(list) {
  document.getElementById("yaml-problems").replaceChildren(...list.map((p) =>
    el("li", { "data-line": String(p.line) }, `line ${p.line}, column ${p.column}: ${p.message}`)));
  gutter(list);
}

function show(s, keepText) {
  document.getElementById("scenario-name").textContent = s.name ? `${s.name}${s.description ? ` — ${s.description}` : ""}` : "No scenario: the server answers correctly";
  const select = document.getElementById("scenario-switch");
  select.replaceChildren(el("option", { value: "" }, "(none)"), ...s.loaded.map((n) => el("option", { value: n, selected: n === s.name }, n)));
  if (s.name && !s.loaded.includes(s.name)) select.append(el("option", { value: s.name, selected: true, disabled: true }, `${s.name} (from the editor)`));
  document.querySelector("#rule-table tbody").replaceChildren(...s.rules.map((r) =>
    el("tr", {}, el("td", {}, r.name), el("td", {}, r.on.join(", ")), el("td", {}, String(r.line)), el("td", { class: "count" }, String(r.fired)))));
  if (!keepText) document.getElementById("yaml").value = s.yaml || "";
  gutter();
}

export async function loadScenario() {
  const editing = document.activeElement === document.getElementById("yaml");
  show(await get("scenario"), editing);
}

async function act(promise) {
  try {
    show(await promise, false);
    problems([]);
  } catch (e) {
    problems(e.body?.problems || [{ line: 0, column: 0, message: e.message }]);
  }
}

export function wireScenario() {
  const yaml = document.getElementById("yaml");
  yaml.addEventListener("input", () => gutter());
  yaml.addEventListener("scroll", () => { document.getElementById("yaml-gutter").scrollTop = yaml.scrollTop; });
  document.getElementById("scenario-apply").addEventListener("click", () => act(call("PUT", "scenario", yaml.value, "application/yaml")));
  document.getElementById("scenario-reset").addEventListener("click", () => act(call("POST", "scenario/reset")));
  document.getElementById("scenario-clear").addEventListener("click", () => act(call("DELETE", "scenario")));
  document.getElementById("scenario-switch").addEventListener("change", (e) =>
    act(e.target.value ? call("PUT", `scenario?name=${encodeURIComponent(e.target.value)}`) : call("DELETE", "scenario")));
}
