using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>
/// The state of the one console line per captured message (event 6): the same named values a generated
/// LoggerMessage would carry (Session, Id, From, To, Subject, Size), but the line is written in one pass when it
/// is formatted, and the From and To texts are made only if a structured logger asks for them. The generated
/// version joined the recipients through LINQ and boxed the numbers on every message, at 20,000 messages a second.
/// </summary>
internal readonly struct MessageCapturedLog(long session, CapturedMessage message, string subject) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Format = "[{Session}] message {Id} from {From} to {To}: \"{Subject}\", {Size} octets";

    public static readonly Func<MessageCapturedLog, Exception?, string> Formatter = static (state, _) => state.ToString();

    public int Count => 7;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Session", session),
        1 => new("Id", message.Id),
        2 => new("From", $"<{message.Sender.Address}>"),
        3 => new("To", string.Join(", ", message.Recipients.Select(r => $"<{r.Address}>"))),
        4 => new("Subject", subject),
        5 => new("Size", message.Size),
        6 => new("{OriginalFormat}", Format),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
    {
        var line = new DefaultInterpolatedStringHandler(40, 4, CultureInfo.InvariantCulture);
        line.AppendLiteral("[");
        line.AppendFormatted(session);
        line.AppendLiteral("] message ");
        line.AppendLiteral(message.Id);
        line.AppendLiteral(" from ");
        AppendPath(ref line, message.Sender.LocalPart, message.Sender.Domain);
        line.AppendLiteral(" to ");
        for (var i = 0; i < message.Recipients.Count; i++)
        {
            if (i > 0)
            {
                line.AppendLiteral(", ");
            }

            var path = message.Recipients[i].Path;
            AppendPath(ref line, path.LocalPart, path.Domain);
        }

        line.AppendLiteral(": \"");
        line.AppendLiteral(subject);
        line.AppendLiteral("\", ");
        line.AppendFormatted(message.Size);
        line.AppendLiteral(" octets");
        return line.ToStringAndClear();
    }

    /// <summary>&lt;local@domain&gt; as <see cref="Protocol.Grammar.MailPath.Address"/> spells it, without making that string.</summary>
    private static void AppendPath(ref DefaultInterpolatedStringHandler line, string local, string domain)
    {
        line.AppendLiteral("<");
        line.AppendLiteral(local);
        if (domain.Length > 0)
        {
            line.AppendLiteral("@");
            line.AppendLiteral(domain);
        }

        line.AppendLiteral(">");
    }
}
