// Sends mail with nodemailer to SmtpMock on 127.0.0.1 and prints, as JSON, what an application would see for each
// message: the fields of the error nodemailer rejects with, or the info it resolves with (accepted, rejected and the
// errors of the rejected recipients), and every reply nodemailer read ("heard", from its own transaction log).
// Run by tests/SmtpMock.EndToEnd.Tests/Clients/Matrix/NodemailerRunner.cs: node matrix.js '{"port": 2525, ...}'
// Keys: port, from, to (list), helo, messages (how many, one after another; more than one share a pooled connection),
// starttls (bool), user and password (login after STARTTLS), timeout (seconds).
'use strict';
const nodemailer = require('nodemailer');

const spec = JSON.parse(process.argv[2]);
const timeout = (spec.timeout || 20) * 1000;
const heard = [];
const quiet = () => {};
const logger = {
    trace: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet,
    debug: (entry, message, ...args) => {
        if (entry && entry.tnx === 'server') {
            heard.push(...require('util').format(message, ...args).split(/\r?\n/));
        }
    },
};
const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: spec.port,
    secure: false,
    ignoreTLS: !spec.starttls,
    requireTLS: !!spec.starttls,
    tls: { rejectUnauthorized: false },
    name: spec.helo || 'node.test',
    auth: spec.user ? { user: spec.user, pass: spec.password || 'secret' } : undefined,
    pool: (spec.messages || 1) > 1,
    maxConnections: 1,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger,
    debug: true,
});

const fields = err => ({
    step: 'send',
    error: err.code || err.name,
    command: err.command || null,
    code: err.responseCode || null,
    text: err.response || null,
    message: err.message,
});

async function main() {
    const steps = [];
    for (let i = 1; i <= (spec.messages || 1); i++) {
        try {
            const info = await transport.sendMail({ from: spec.from, to: spec.to, subject: `message ${i}`, text: 'body' });
            steps.push({
                step: 'send',
                error: null,
                response: info.response,
                accepted: info.accepted,
                rejected: info.rejected,
                refused: (info.rejectedErrors || []).map(e => ({ recipient: e.recipient, code: e.responseCode, text: e.response })),
            });
        } catch (err) {
            steps.push(fields(err));
            if (!spec.keepGoing) break;
        }
    }
    transport.close();
    // Exit once the outcome is known: after a timeout nodemailer ends its socket and waits for the server's close,
    // which a server still holding its reply back (slow-server) never sends.
    process.stdout.write(JSON.stringify({ steps, heard }) + '\n', () => process.exit(0));
}

main();
