// The `mailhog` npm client (4.16.0, written for MailHog) and nodemailer against SmtpMock's MailHog API.
//
//   MAILHOG_URL        SmtpMock's --mailhog-port, e.g. http://127.0.0.1:8025/
//   SMTP_PORT          its SMTP port
//   RELAY_MAILHOG_URL  a second smtpmock's --mailhog-port: the relay the first was started with (--relay)
//   RELAY_SMTP_PORT    that second smtpmock's SMTP port
//
// Exits 0 after printing "ok: N checks", or 1 with the first check that failed.
'use strict';

const assert = require('node:assert/strict');
const nodemailer = require('nodemailer');
const mailhog = require('mailhog');

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (see the top of ${__filename})`);
  }
  return value;
}

function client(url) {
  const parsed = new URL(url);
  return mailhog({ host: parsed.hostname, port: Number(parsed.port) });
}

const api = env('MAILHOG_URL');
const smtpPort = Number(env('SMTP_PORT'));
const relayPort = env('RELAY_SMTP_PORT');
const mh = client(api);
const relay = client(env('RELAY_MAILHOG_URL'));
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

let checks = 0;
async function check(what, test) {
  await test();
  checks++;
  console.log(`ok ${checks} ${what}`);
}

async function eventually(what, read, holds, seconds = 10) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (holds(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${seconds} s; last seen ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function jim(method, body) {
  const response = await fetch(new URL('api/v2/jim', api), { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return response.status;
}

// The mailhog client decodes RFC 2047 Q words without turning '_' into a space, so the subjects have none to encode.
const qpText = 'Grüße aus Zürich: a line long enough that quoted-printable has to break it with a soft line break somewhere = here.';
const b64Text = 'Hällo in base64 ✓, und noch ein paar Wörter.';

async function main() {
  await mh.deleteAll();

  await transport.sendMail({
    from: 'Alice <alice@example.test>', to: 'bob@example.test', subject: 'Grüße-QP',
    text: qpText, html: `<p>${qpText}</p>`, textEncoding: 'quoted-printable',
  });
  await transport.sendMail({
    from: 'Zoe <zoe@other.test>', to: 'carol@example.test', subject: 'Base64 part',
    text: b64Text, html: `<p>${b64Text}</p>`, textEncoding: 'base64',
  });

  const all = await mh.messages();
  await check('messages: both, newest first', () => {
    assert.equal(all.total, 2);
    assert.equal(all.count, 2);
    assert.deepEqual(all.items.map((m) => m.subject), ['Base64 part', 'Grüße-QP']);
  });

  await check('search kind=to', async () => assert.equal((await mh.search('BOB@example.test', 'to')).count, 1));
  await check('search kind=from', async () => {
    const fromAlice = await mh.search('alice@', 'from');
    assert.deepEqual(fromAlice.items.map((m) => m.from), ['Alice <alice@example.test>']);
  });
  await check('search kind=containing (headers and raw body)', async () => {
    assert.equal((await mh.search('Base64 part', 'containing')).count, 1);
    assert.equal((await mh.search('example.test', 'containing')).count, 2);
  });

  const qp = await mh.latestTo('bob@example.test');
  await check('latestTo and a quoted-printable part decoded', () => {
    assert.ok(qp, 'latestTo found the message to bob');
    assert.match(qp.MIME.Parts[0].Headers['Content-Transfer-Encoding'][0], /quoted-printable/i);
    assert.equal(qp.text.trim(), qpText);
    assert.equal(qp.html.trim(), `<p>${qpText}</p>`);
    assert.equal(qp.subject, 'Grüße-QP');
    assert.equal(qp.to, 'bob@example.test');
  });

  const b64 = await mh.latestTo('carol@example.test');
  await check('latestTo and a base64 part decoded', () => {
    assert.match(b64.MIME.Parts[0].Headers['Content-Transfer-Encoding'][0], /base64/i);
    assert.equal(b64.text.trim(), b64Text);
    assert.ok(b64.deliveryDate instanceof Date && !Number.isNaN(b64.deliveryDate.getTime()), 'Created parses as a date');
  });
  await check('latestTo with no match is 0', async () => assert.equal(await mh.latestTo('nobody@example.test'), 0));

  await relay.deleteAll();
  const released = await mh.releaseMessage(qp.ID, { host: '127.0.0.1', port: relayPort, email: 'dave@example.test' });
  await check('releaseMessage answers 200', () => assert.equal(released.statusCode, 200));
  const arrived = await eventually('the released message at the relay', () => relay.latestTo('dave@example.test'), (m) => m);
  await check('releaseMessage delivers to the relay', () => {
    assert.equal(arrived.subject, 'Grüße-QP');
    assert.equal(arrived.text.trim(), qpText);
  });

  const deleted = await mh.deleteMessage(b64.ID);
  await check('deleteMessage', async () => {
    assert.equal(deleted.statusCode, 200);
    assert.equal((await mh.messages()).total, 1);
  });
  const cleared = await mh.deleteAll();
  await check('deleteAll', async () => {
    assert.equal(cleared.statusCode, 200);
    assert.equal((await mh.messages()).total, 0);
  });

  // Jim: every recipient refused, then every sender; nodemailer sees MailHog's 550s. Then off: mail goes again.
  await check('Jim on (POST)', async () => assert.equal(await jim('POST', { AcceptChance: 1, RejectRecipientChance: 1 }), 201));
  const recipientRefused = await transport.sendMail({ from: 'a@example.test', to: 'x@example.test', subject: 'jim', text: 'x' }).then(() => null, (e) => e);
  await check('Jim refuses the recipient', () => {
    assert.ok(recipientRefused, 'nodemailer failed');
    assert.equal(recipientRefused.responseCode, 550);
    assert.match(recipientRefused.response, /Invalid recipient/);
  });
  await check('Jim changed (PUT)', async () => assert.equal(await jim('PUT', { AcceptChance: 1, RejectSenderChance: 1 }), 200));
  const senderRefused = await transport.sendMail({ from: 'a@example.test', to: 'x@example.test', subject: 'jim', text: 'x' }).then(() => null, (e) => e);
  await check('Jim refuses the sender', () => {
    assert.ok(senderRefused, 'nodemailer failed');
    assert.equal(senderRefused.responseCode, 550);
    assert.match(senderRefused.response, /Invalid sender/);
  });
  await check('Jim off (DELETE)', async () => {
    assert.equal(await jim('DELETE'), 200);
    assert.equal(await jim('GET'), 404);
  });
  await check('Jim off: mail is taken again', async () => {
    await transport.sendMail({ from: 'a@example.test', to: 'x@example.test', subject: 'after jim', text: 'x' });
    assert.equal((await mh.latestTo('x@example.test')).subject, 'after jim');
  });

  console.log(`ok: ${checks} checks`);
}

main().then(
  () => transport.close(),
  (error) => {
    console.error(`FAILED after ${checks} checks: ${error.stack || error}`);
    transport.close();
    process.exit(1);
  },
);
