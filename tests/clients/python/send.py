# Sends mail with Python's smtplib to SmtpMock on 127.0.0.1 and prints, as JSON, what an application would see at
# each step (the exception class and the code it carries), and every reply line smtplib read ("heard", rebuilt from
# what its getreply() returned).
# Run by tests/SmtpMock.EndToEnd.Tests/Clients/Matrix/SmtplibRunner.cs: python3 send.py '{"port": 2525, ...}'
# Keys: port, from, to (list), helo, messages (how many on one connection), starttls (bool), user and password (login
# after STARTTLS or in plaintext), body_lines (lines of text in the body), timeout (seconds). Like sendmail(), EHLO is
# sent first and HELO after a refused EHLO; the first exception ends the run.
import json
import smtplib
import ssl
import sys

spec = json.loads(sys.argv[1])
steps = []
heard = []


class RecordingSMTP(smtplib.SMTP):
    def getreply(self):
        code, message = super().getreply()
        if code != -1:
            lines = message.decode(errors='replace').split('\n')
            heard.extend(['{}-{}'.format(code, line) for line in lines[:-1]] + ['{} {}'.format(code, lines[-1])])
        return code, message


def step(name, **fields):
    steps.append({'step': name, 'error': None, 'code': None, 'text': None, **fields})


def failed(name, e):
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        refused = {r: [c, t.decode()] for r, (c, t) in e.recipients.items()}
        first = next(iter(refused.values()))
        step(name, error=type(e).__name__, code=first[0], text=first[1], refused=refused)
    elif isinstance(e, smtplib.SMTPResponseException):
        step(name, error=type(e).__name__, code=e.smtp_code, text=e.smtp_error.decode())
    else:
        step(name, error=type(e).__name__, text=str(e))


current = 'connect'
try:
    smtp = RecordingSMTP('127.0.0.1', spec['port'], local_hostname=spec.get('helo', 'python.test'), timeout=spec.get('timeout', 20))
    with smtp:
        current = 'ehlo'
        code, _ = smtp.ehlo()
        if code != 250:
            step('ehlo', code=code)
            current = 'helo'
            smtp.helo()
        if spec.get('starttls'):
            current = 'starttls'
            smtp.starttls(context=ssl._create_unverified_context())
        if spec.get('user'):
            current = 'login'
            smtp.login(spec['user'], spec.get('password', 'secret'))
        body = 'body\r\n' * spec.get('body_lines', 1)
        for i in range(spec.get('messages', 1)):
            current = 'send'
            message = 'Subject: message {}\r\n\r\n{}'.format(i + 1, body).encode()
            refused = smtp.sendmail(spec['from'], spec['to'], message)
            step('send', refused={r: [c, t.decode()] for r, (c, t) in refused.items()})
        current = 'quit'
except (smtplib.SMTPException, OSError) as e:
    failed(current, e)

print(json.dumps({'steps': steps, 'heard': heard}))
