// Talking to the API: the token (asked once, kept for the tab), JSON calls and the events stream.
let token = sessionStorage.getItem("smtpmock-token") || "";
let tokenRefused = () => {};

/** What /healthz says (open without a token): whether a relay was named (--relay), so "Release…" can work. */
export const health = fetch("/healthz").then((r) => r.json()).catch(() => ({ relay: false }));

/** Whether the page has a token to send (one the server refused still counts). */
export const hasToken = () => token !== "";

/** Called when the API answers 401: with --api-token, no token yet or a wrong one. */
export function onTokenRefused(listener) {
  tokenRefused = listener;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export function setToken(value) {
  token = value;
  sessionStorage.setItem("smtpmock-token", value);
}

export async function call(method, path, body, contentType = "application/json") {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = contentType;
  const response = await fetch(`/api/v1/${path}`, { method, headers, body });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    tokenRefused();
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path) => call("GET", path);

/**
 * Up to `want` items of a paged list (`items`, `nextCursor`), newest first, following the cursor past the API's
 * 1000-item page; `more` says whether the server has older ones.
 */
export async function getPaged(path, want) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(`${path}${path.includes("?") ? "&" : "?"}limit=${Math.min(1000, want - items.length)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < want);
  return { items, more: Boolean(cursor) };
}

/** The raw bytes of a response (attachments), as a blob URL the page can offer for download. */
export async function blobUrl(path) {
  const response = await fetch(`/api/v1/${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new ApiError(response.status, null);
  return URL.createObjectURL(await response.blob());
}

/** Server-sent events; EventSource reconnects by itself (also after a slow reader was dropped). */
export function events(onEvent, onState) {
  const source = new EventSource(`/api/v1/events${token ? `?access_token=${encodeURIComponent(token)}` : ""}`);
  for (const type of ["session-opened", "session-closed", "line", "message-captured", "messages-deleted", "scenario-changed"]) {
    source.addEventListener(type, (e) => onEvent(type, JSON.parse(e.data)));
  }
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  return source;
}

/** A DOM element: el("li", { class: "x", onclick }, "text", child...). Text is always text, never HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "");

/** A time, with its date in front when it is not today ("Mar 3, 6:38:39 PM"; the year too when not this one). */
export function when(iso) {
  if (!iso) return "";
  const at = new Date(iso);
  const now = new Date();
  if (at.toDateString() === now.toDateString()) return at.toLocaleTimeString();
  const date = at.toLocaleDateString(undefined, { month: "short", day: "numeric", year: at.getFullYear() === now.getFullYear() ? undefined : "numeric" });
  return `${date}, ${at.toLocaleTimeString()}`;
}

/** "1 message", "2 messages": a count with its noun. */
export function count(n, singular, plural = `${singular}s`) {
  return `${n} ${n === 1 ? singular : plural}`;
}
