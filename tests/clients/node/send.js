// Sends one message with nodemailer to SmtpMock on 127.0.0.1:PORT and prints, as JSON, what an application would
// see: the fields of the error nodemailer rejects with, or the info it resolves with.
// Run by tests/SmtpMock.EndToEnd.Tests/Clients/NodemailerTests.cs: node send.js PORT [RECIPIENT]
'use strict';
const nodemailer = require('nodemailer');

const port = Number(process.argv[2]);
const to = process.argv[3] || 'bob@example.com';
const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    name: 'node.test',
    connectionTimeout: 20000,
});

transport
    .sendMail({ from: 'app@example.com', to, subject: 'hi', text: 'body' })
    .then(info => console.log(JSON.stringify({ error: null, accepted: info.accepted, rejected: info.rejected, response: info.response })))
    .catch(err => console.log(JSON.stringify({
        error: err.code,
        command: err.command,
        responseCode: err.responseCode,
        response: err.response,
        message: err.message,
    })));
