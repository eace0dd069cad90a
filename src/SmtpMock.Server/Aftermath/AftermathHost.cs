namespace SmtpMock.Server.Aftermath;

/// <summary>
/// Who generates the messages: the server's name (in <c>Reporting-MTA</c>, <c>MAILER-DAEMON@</c> and the Message-ID)
/// and its clock (every generated message's <c>Date</c>, and the DSN's <c>Last-Attempt-Date</c>).
/// </summary>
internal sealed record AftermathHost(string Hostname, TimeProvider Time);
