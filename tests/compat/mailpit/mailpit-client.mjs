// Mailpit's own node client (mailpit-api 2.1.0) and nodemailer against a running `smtpmock serve --mailpit-port`.
// Starts nothing itself: MAILPIT_URL is the Mailpit port's base URL, SMTP_PORT the SMTP port (host 127.0.0.1).
// Exits 0 after printing "ok: N checks", or 1 with the first failed check.
import assert from "node:assert/strict";
import { MailpitClient } from "mailpit-api";
import nodemailer from "nodemailer";

const baseUrl = process.env.MAILPIT_URL;
const smtpPort = Number(process.env.SMTP_PORT);
if (!baseUrl || !smtpPort) {
  console.error("set MAILPIT_URL (http://127.0.0.1:PORT) and SMTP_PORT");
  process.exit(2);
}

const mailpit = new MailpitClient(baseUrl);
const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: smtpPort, secure: false, ignoreTLS: true });
let checks = 0;
const check = (name, fn) => fn().then(() => { checks++; }, (e) => { throw new Error(`${name}: ${e.message}`); });
const subjects = (summary) => summary.messages.map((m) => m.Subject);
const search = async (query) => subjects(await mailpit.searchMessages({ query }));

await mailpit.deleteMessages();
await smtp.sendMail({
  from: "billing@shop.test",
  to: "Ann Buyer <ann+orders@shop.test>",
  cc: "audit@shop.test",
  subject: "Invoice 17",
  messageId: "<inv-17@shop.test>",
  headers: { "X-Tags": "invoices" },
  text: "Your invoice is attached.",
  attachments: [{ filename: "report.txt", content: "attached words" }],
});
await smtp.sendMail({ from: "news@news.test", to: "zed@news.test", subject: "Weekly news", text: "some words across\nlines" });

await check("list", async () => {
  const list = await mailpit.listMessages();
  assert.equal(list.total, 2);
  assert.equal(list.messages_count, 2);
  assert.deepEqual(subjects(list), ["Weekly news", "Invoice 17"]);
  assert.deepEqual(list.tags, ["invoices", "orders"]);
});

for (const [query, expected] of [
  ["invoice", ["Invoice 17"]],
  ['"words across lines"', ["Weekly news"]],
  ["from:billing@shop.test", ["Invoice 17"]],
  ["to:ann", ["Invoice 17"]],
  ["cc:audit@shop.test", ["Invoice 17"]],
  ['subject:"Weekly news"', ["Weekly news"]],
  ["message-id:inv-17@shop.test", ["Invoice 17"]],
  ["tag:orders", ["Invoice 17"]],
  ["is:unread", ["Weekly news", "Invoice 17"]],
  ["has:attachment", ["Invoice 17"]],
  ["!from:billing", ["Weekly news"]],
  ["-has:attachment", ["Weekly news"]],
  [`after:${new Date(Date.now() - 86400000).toISOString().slice(0, 10)}`, ["Weekly news", "Invoice 17"]],
  [`before:${new Date(Date.now() - 86400000).toISOString().slice(0, 10)}`, []],
]) {
  await check(`search ${query}`, async () => assert.deepEqual(await search(query), expected));
}

const invoiceId = (await mailpit.searchMessages({ query: "subject:Invoice" })).messages[0].ID;
await check("summary, headers, source and attachment part", async () => {
  const message = await mailpit.getMessageSummary(invoiceId);
  assert.equal(message.Subject, "Invoice 17");
  assert.equal(message.To[0].Address, "ann+orders@shop.test");
  assert.equal(message.Attachments[0].FileName, "report.txt");
  const headers = await mailpit.getMessageHeaders(invoiceId);
  assert.deepEqual(headers.Subject, ["Invoice 17"]);
  assert.deepEqual(headers["Message-Id"], ["<inv-17@shop.test>"]);
  assert.match(await mailpit.getMessageSource(invoiceId), /^Subject: Invoice 17\r$/m);
  const part = await mailpit.getMessageAttachment(invoiceId, message.Attachments[0].PartID);
  assert.equal(await part.text(), "attached words");
  assert.match(await mailpit.renderMessageText(invoiceId), /Your invoice is attached/);
});

await check("read status", async () => {
  await mailpit.setReadStatus({ IDs: [invoiceId], Read: true });
  assert.deepEqual(await search("is:read"), ["Invoice 17"]);
  assert.equal((await mailpit.listMessages()).unread, 1);
});

await check("tags", async () => {
  await mailpit.setTags({ IDs: [invoiceId], Tags: ["paid", "invoices"] });
  assert.deepEqual(await mailpit.getTags(), ["invoices", "paid"]);
  assert.deepEqual(await search("tag:paid"), ["Invoice 17"]);
});

await check("send and waitForMessage", async () => {
  const sent = await mailpit.sendMessage({ From: { Email: "api@example.test" }, To: [{ Email: "reader@example.test", Name: "Reader" }], Subject: "API sent", Text: "from the API" });
  assert.ok(sent.ID);
  const found = await mailpit.waitForMessage({ query: 'subject:"API sent"' }, { timeout: 10000, interval: 100 });
  assert.equal(found.ID, sent.ID);
  assert.equal(found.To[0].Name, "Reader");
});

await check("delete by IDs and by search", async () => {
  await mailpit.deleteMessages({ IDs: [invoiceId] });
  assert.deepEqual(subjects(await mailpit.listMessages()), ["API sent", "Weekly news"]);
  await mailpit.deleteMessagesBySearch({ query: "from:news@news.test" });
  assert.deepEqual(subjects(await mailpit.listMessages()), ["API sent"]);
});

await check("chaos", async () => {
  const defaults = await mailpit.getChaosTriggers();
  assert.equal(defaults.Sender.ErrorCode, 451);
  assert.equal(defaults.Authentication.ErrorCode, 535);
  const set = await mailpit.setChaosTriggers({ Recipient: { ErrorCode: 550, Probability: 100 } });
  assert.equal(set.Recipient.ErrorCode, 550);
  const refused = await smtp.sendMail({ from: "a@example.test", to: "b@example.test", subject: "refused", text: "x" }).then(() => null, (e) => e);
  assert.ok(refused, "nodemailer saw no error while chaos refuses every recipient");
  assert.equal(refused.responseCode, 550);
  assert.match(refused.response, /Chaos recipient error/);
  await mailpit.setChaosTriggers({});
  await smtp.sendMail({ from: "a@example.test", to: "b@example.test", subject: "accepted again", text: "x" });
  assert.deepEqual(await search('subject:"accepted again"'), ["accepted again"]);
});

console.log(`ok: ${checks} checks`);
