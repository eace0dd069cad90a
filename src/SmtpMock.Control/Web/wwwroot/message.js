// One message: envelope, how it came in (TLS, login, injected faults), headers, text, HTML in a sandboxed frame
// (no scripts, own opaque origin), attachments, raw source.
import { blobUrl, call, count, el, get, health, when } from "./api.js";

export async function showMessage(id, openSession, onDeleted) {
  const view = document.getElementById("message-view");
  const [m, { relay }] = await Promise.all([get(`messages/${id}`), health]);
  const html = el("iframe", { sandbox: "", title: "HTML body", class: "html", referrerpolicy: "no-referrer" });
  html.srcdoc = m.html || "";
  const raw = el("pre", { class: "raw" });
  const released = el("pre", { class: "released", hidden: true });
  const attachments = m.attachments.map((a) => el("li", {}, el("a", {
    href: "#",
    onclick: (e) => {
      e.preventDefault();
      download(`messages/${id}/attachments/${a.index}`, a.fileName || `attachment-${a.index}`);
    },
  }, a.fileName || `attachment ${a.index}`), ` ${a.contentType}, ${a.size} bytes`));
  // replaceChildren would show a null part (no HTML, no attachments) as the text "null": leave those out.
  view.replaceChildren(...[
    el("div", { class: "title" }, el("h2", {}, m.subject || "(no subject)"),
      el("span", { class: "actions" },
        el("button", { type: "button", class: "download", onclick: () => download(`messages/${id}/raw`, `${id}.eml`) }, "Download .eml"),
        // Without --relay the API can only answer 409: the button says how to turn it on instead of offering it.
        el("button", {
          type: "button",
          class: "release",
          disabled: !relay,
          title: relay ? "Send it on to the relay smtpmock was started with" : "Releasing needs a relay: start smtpmock with --relay HOST[:PORT]",
          onclick: () => release(id, m.envelope.recipients.map((r) => r.address), released),
        }, "Release…"),
        // Already deleted elsewhere (404) or refused: the list is read again either way.
        el("button", { type: "button", class: "delete danger", onclick: async () => { await call("DELETE", `messages/${id}`).catch(() => null); onDeleted(); } }, "Delete"))),
    released,
    el("p", { class: "meta" }, `MAIL FROM <${m.envelope.from}> · RCPT TO ${m.envelope.recipients.map((r) => `<${r.address}>`).join(" ")} · ${m.size} bytes · ${when(m.receivedAt)}`,
      // A generated message (a bounce...) came from no session: it links to the message it is about instead.
      m.sessionId > 0 ? [" · ", el("a", { href: "#", onclick: (e) => { e.preventDefault(); openSession(m.sessionId); } }, `session #${m.sessionId}`)] : null),
    origin(m, (other) => showMessage(other, openSession, onDeleted)),
    el("p", { class: "meta security" },
      el("span", { class: "tls" }, m.tls ? `over ${m.tls.protocol} ${m.tls.cipher}` : "no TLS (plaintext)"), " · ",
      el("span", { class: "login" }, m.authenticatedUser ? `logged in as ${m.authenticatedUser} (${m.authMechanism})` : "no login"),
      m.faults ? [" · ", el("span", { class: "faults bad" }, `⚠ ${count(m.faults, "reply", "replies")} injected by the scenario in its transaction`)] : null),
    el("details", { class: "headers" }, el("summary", {}, `Headers (${m.headers.length})`),
      el("table", { class: "headers" }, m.headers.map((h) => el("tr", {}, el("th", {}, h.name), el("td", {}, h.value))))),
    m.text !== null ? el("section", {}, el("h3", {}, "Text"), el("pre", { class: "text" }, m.text)) : null,
    m.html !== null ? el("section", {}, el("h3", {}, "HTML"), html) : null,
    attachments.length ? el("section", {}, el("h3", {}, "Attachments"), el("ul", {}, attachments)) : null,
    // Read as text from the API itself: a blob: URL would be a fetch the page's CSP (connect-src 'self') refuses.
    el("details", { class: "raw", ontoggle: async (e) => { if (e.target.open && !raw.textContent) raw.textContent = await rawText(id); } },
      el("summary", {}, "Raw source"), raw),
  ].filter((part) => part !== null));
}

/** "Generated from <message>" on a bounce, auto-reply or complaint; "Produced: bounce <message>" on its original. */
function origin(m, open) {
  const link = (id) => el("a", { href: "#", class: "message-link", onclick: (e) => { e.preventDefault(); open(id); } }, id);
  if (m.generatedFrom) return el("p", { class: "meta origin" }, `Generated from (${m.generatedFrom.kind}) `, link(m.generatedFrom.id));
  if (m.produced.length === 0) return null;
  return el("p", { class: "meta origin" }, "Produced: ", ...m.produced.flatMap((p, i) => [i > 0 ? ", " : "", `${p.kind} `, link(p.id)]));
}

/** Sends the message on to the relay smtpmock was started with (--relay), to the recipients the user confirms. */
async function release(id, recipients, output) {
  const to = prompt("Release to (comma-separated addresses):", recipients.join(", "));
  if (to === null) return;
  output.hidden = false;
  // A cleared field releases nothing (the API would refuse an empty list with 400): said here, without a request.
  const addresses = to.split(",").map((t) => t.trim()).filter(Boolean);
  if (addresses.length === 0) {
    output.textContent = "Nothing released: no address given.";
    return;
  }
  output.textContent = "Releasing…";
  try {
    const result = await call("POST", `messages/${id}/release`, JSON.stringify({ to: addresses }));
    output.textContent = [`Released to ${result.relay}:`, ...result.replies].join("\n");
  } catch (e) {
    // 502: the relay did not take it, and its answers say why; 409: no relay was named at start.
    output.textContent = e.body?.replies ? [`Not released to ${e.body.relay}:`, ...e.body.replies].join("\n") : e.message;
  }
}

/** Saves an API resource as a file (through a blob URL: the request carries the token when there is one). */
async function download(path, fileName) {
  const url = await blobUrl(path);
  el("a", { href: url, download: fileName }).click();
  // The browser has taken the file by then; the URL would otherwise hold the bytes until the page closes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The message as it was captured (message/rfc822, read as UTF-8 text), or why it could not be read. */
async function rawText(id) {
  try {
    return await call("GET", `messages/${id}/raw`);
  } catch (e) {
    return `Could not read the raw source: ${e.message}`;
  }
}
