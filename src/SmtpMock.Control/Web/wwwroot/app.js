// The page: tabs, the live lists of messages and sessions (refreshed from the events stream) and the views.
import { call, count, el, events, get, getPaged, hasToken, onTokenRefused, setToken, when } from "./api.js";
import { showMessage } from "./message.js";
import { appendLine, showSession } from "./session.js";
import { loadScenario, wireScenario } from "./scenario.js";
import { wireSend } from "./send.js";
import { loadClients } from "./clients.js";

/** How many messages the list shows: 200 newest, 200 more per "Show older" click. */
const PAGE = 200;
const state = { message: null, session: null, pending: null, shown: PAGE, live: false, tokenRefused: false };

function tab(name) {
  for (const button of document.querySelectorAll("nav button")) button.classList.toggle("active", button.dataset.tab === name);
  for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== `tab-${name}`;
  if (name === "scenario") loadScenario();
  if (name === "clients") loadClients(openSession);
}

export function openSession(id) {
  tab("sessions");
  state.session = id;
  showSession(id).then(() => reveal("session-view"));
  refreshSessions();
}

/** On a phone the view is below its list: bring it into sight once it shows what was picked. */
function reveal(id) {
  if (matchMedia("(max-width: 760px)").matches) document.getElementById(id).scrollIntoView({ block: "start" });
}

async function refreshMessages() {
  const filter = document.getElementById("message-filter").value.trim();
  const page = await getPaged(`messages${filter ? `?q=${encodeURIComponent(filter)}` : ""}`, state.shown);
  const list = document.getElementById("message-list");
  list.replaceChildren(...page.items.map((m) => el("li", {
    class: m.id === state.message ? "selected" : null,
    "data-id": m.id,
    onclick: () => { state.message = m.id; showMessage(m.id, openSession, messageDeleted).then(() => reveal("message-view")); refreshMessages(); },
  }, el("div", { class: "top" }, el("strong", {}, m.subject || "(no subject)"), el("time", { datetime: m.receivedAt }, when(m.receivedAt))),
  el("span", {}, `${m.from || "<>"} → ${m.to.join(", ")}`), marks(m))));
  if (page.items.length === 0) list.append(el("li", { class: "empty" }, "No messages yet: send one to the SMTP port."));
  if (page.more) {
    list.append(el("li", { class: "more" }, el("button", { type: "button", onclick: () => { state.shown += PAGE; refreshMessages(); } },
      `${page.items.length} newest shown: show ${PAGE} older`)));
  }
}

/** What the list marks a message with; each mark says more on hover. Nothing when there is nothing to mark. */
function marks(m) {
  const all = [
    m.tls ? el("span", { class: "mark tls", title: `${m.tls.protocol} ${m.tls.cipher}` }, "TLS") : null,
    m.authenticatedUser ? el("span", { class: "mark login", title: `logged in as ${m.authenticatedUser} with ${m.authMechanism}` }, `AUTH ${m.authenticatedUser}`) : null,
    m.hasHtml ? el("span", { class: "mark html", title: "has an HTML part" }, "HTML") : null,
    m.attachments ? el("span", { class: "mark attachments" }, count(m.attachments, "attachment")) : null,
    m.faults ? el("span", { class: "mark bad", title: "replies a scenario rule wrote in this message's transaction (a refused recipient, a replaced or delayed reply)" }, `⚠ ${m.faults} injected`) : null,
  ].filter(Boolean);
  return all.length ? el("div", { class: "marks" }, all) : null;
}

async function refreshSessions() {
  const sessions = await get("sessions?limit=200");
  const list = document.getElementById("session-list");
  list.replaceChildren(...sessions.map((s) => el("li", {
    class: [s.id === state.session ? "selected" : "", s.faults > 0 ? "faulty" : ""].join(" ").trim() || null,
    "data-id": String(s.id),
    onclick: () => openSession(s.id),
  }, el("div", { class: "top" }, el("strong", {}, `#${s.id} ${s.heloName || ""}`), el("time", { datetime: s.startedAt }, s.endedAt ? when(s.startedAt) : "open")),
  el("span", {}, `${s.client} · ${count(s.commands, "command")} · ${count(s.messages, "message")}`),
  s.faults ? el("div", { class: "marks" }, el("span", { class: "mark bad", title: "replies a scenario rule wrote in this session" }, `⚠ ${s.faults} injected`)) : null)));
  if (sessions.length === 0) list.append(el("li", { class: "empty" }, "No sessions yet."));
}

/** After "Delete" or "Delete all" (here or in another tab: the messages-deleted event): the view empties, the list is read again. */
function messageDeleted() {
  state.message = null;
  document.getElementById("message-view").replaceChildren(el("p", { class: "empty" }, "Select a message."));
  refreshMessages();
}

/** Many events in a burst cause one refresh. */
function refreshSoon() {
  if (state.pending) return;
  state.pending = setTimeout(async () => {
    state.pending = null;
    await Promise.allSettled([refreshMessages(), refreshSessions()]);
    if (!document.getElementById("tab-clients").hidden) loadClients(openSession);
  }, 150);
}

function onEvent(type, data) {
  if (type === "line" && data.sessionId === state.session) appendLine(data);
  if (type === "scenario-changed" && !document.getElementById("tab-scenario").hidden) loadScenario();
  if (type === "messages-deleted" && state.message !== null && (data.messageId == null || data.messageId === state.message)) messageDeleted();
  if (type !== "line") refreshSoon();
}

function start() {
  for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => tab(button.dataset.tab));
  document.getElementById("message-filter").addEventListener("input", refreshSoon);
  document.getElementById("messages-clear").addEventListener("click", async () => {
    // Every captured message, not only those a search shows: asked first, as Mailpit does.
    if (!confirm("Delete every captured message (not only those shown)?")) return;
    await call("DELETE", "messages");
    messageDeleted();
  });
  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    setToken(document.getElementById("token").value);
    location.reload();
  });
  wireScenario();
  wireSend(openSession);
  // With --api-token and no token (or a wrong one) the events stream cannot connect either: the status says why.
  onTokenRefused(() => {
    state.tokenRefused = true;
    showStatus();
  });
  events(onEvent, (live) => {
    state.live = live;
    showStatus();
    if (!live) return;
    refreshSoon();
    // Events sent while the stream was down are lost: a message shown then and deleted meanwhile leaves the view too.
    if (state.message !== null) get(`messages/${state.message}`).catch((e) => { if (e.status === 404) messageDeleted(); });
  });
  refreshSoon();
}

function showStatus() {
  const status = document.getElementById("status");
  status.textContent = state.tokenRefused ? (hasToken() ? "API token refused: enter it again" : "API token needed") : state.live ? "live" : "reconnecting…";
  status.classList.toggle("live", state.live && !state.tokenRefused);
  status.classList.toggle("bad", state.tokenRefused);
}

start();
