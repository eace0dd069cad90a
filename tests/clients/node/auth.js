// Logs in to SmtpMock over STARTTLS with nodemailer's defaults and sends one message; prints, as JSON, what an
// application sees: the fields of the error nodemailer rejects with, or the info it resolves with.
// Run by tests/SmtpMock.EndToEnd.Tests/Security/WrongPasswordTests.cs: node auth.js PORT USER PASSWORD CAFILE
'use strict';
const fs = require('fs');
const nodemailer = require('nodemailer');

const [port, user, pass, cafile] = [Number(process.argv[2]), process.argv[3], process.argv[4], process.argv[5]];
const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    name: 'node.test',
    auth: { user, pass },
    tls: { ca: [fs.readFileSync(cafile)], servername: 'localhost' },
    connectionTimeout: 20000,
});

transport
    .sendMail({ from: 'app@example.com', to: 'bob@example.com', subject: 'hi', text: 'body' })
    .then(info => console.log(JSON.stringify({ error: null, accepted: info.accepted, response: info.response })))
    .catch(err => console.log(JSON.stringify({
        error: err.code,
        command: err.command,
        responseCode: err.responseCode,
        response: err.response,
        message: err.message,
    })));
