// "Send a test message": the server sends it to its own SMTP port, so the active scenario applies; then its session opens.
import { call } from "./api.js";

export function wireSend(openSession) {
  const form = document.getElementById("send-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const result = document.getElementById("send-result");
    const data = Object.fromEntries(new FormData(form));
    try {
      const sent = await call("POST", "send", JSON.stringify({ from: data.from, to: data.to.split(",").map((t) => t.trim()), subject: data.subject, text: data.text }));
      result.textContent = sent.replies.join("\n");
      result.hidden = false;
      if (sent.sessionId) openSession(sent.sessionId);
    } catch (err) {
      result.textContent = err.message;
      result.hidden = false;
    }
  });
}
