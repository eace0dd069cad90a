using System.CommandLine;
using MimeKit;

namespace SmtpMock.Cli.Commands.Send;

/// <summary>Turns send's options into a MimeMessage, or into the one usage problem that stops it.</summary>
internal static class SendMessageBuilder
{
    public static (MimeMessage? Message, string? Problem) Build(ParseResult parse)
    {
        if (!MailboxAddress.TryParse(parse.GetValue(SendCommand.From), out var from))
        {
            return (null, $"--from '{parse.GetValue(SendCommand.From)}' is not an email address");
        }

        var to = new List<MailboxAddress>();
        foreach (var text in parse.GetValue(SendCommand.To) ?? [])
        {
            if (!MailboxAddress.TryParse(text, out var address))
            {
                return (null, $"--to '{text}' is not an email address");
            }

            to.Add(address);
        }

        var eml = parse.GetValue(SendCommand.Eml);
        var body = parse.GetValue(SendCommand.Body);
        var subject = parse.GetValue(SendCommand.Subject);
        var attachments = parse.GetValue(SendCommand.Attach) ?? [];
        if (eml is not null)
        {
            if (body is not null || subject is not null || attachments.Length > 0)
            {
                return (null, "--eml sends the file as it is: leave out --body, --subject and --attach");
            }

            if (!eml.Exists)
            {
                return (null, $"--eml {eml.FullName}: no such file");
            }

            try
            {
                return (MimeMessage.Load(eml.FullName), null);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                return (null, $"--eml {eml.FullName}: cannot read it as a message: {e.Message}");
            }
        }

        if (attachments.FirstOrDefault(a => !a.Exists) is { } missing)
        {
            return (null, $"--attach {missing.FullName}: no such file");
        }

        var builder = new BodyBuilder { TextBody = body ?? $"Sent by smtpmock send to {string.Join(", ", to)}.\n" };
        foreach (var file in attachments)
        {
            builder.Attachments.Add(file.FullName);
        }

        var message = new MimeMessage { Subject = subject ?? "smtpmock send", Body = builder.ToMessageBody() };
        message.From.Add(from);
        message.To.AddRange(to);
        return (message, null);
    }
}
