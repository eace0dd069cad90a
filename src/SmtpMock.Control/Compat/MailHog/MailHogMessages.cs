using System.Globalization;
using System.Text;
using SmtpMock.Server.Capture;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// A captured message as MailHog's <c>SMTPMessage.Parse</c> makes it: the envelope as paths, the content split
/// (<see cref="MailHogContentReader"/>), and the three headers MailHog adds to the map (never to <c>Raw.Data</c>):
/// <c>Message-ID</c> when there is none, <c>Received</c> and <c>Return-Path</c> (appended to one already there).
/// </summary>
internal static class MailHogMessages
{
    public static MailHogMessage From(CapturedMessage message, string hostname)
    {
        var data = Data(message);
        var content = MailHogContentReader.Read(data, withParts: false);
        var mime = MailHogContentReader.MimeOf(data);
        AddHeaders(content.Headers, message, hostname);
        var sender = message.Sender.Address;
        var recipients = message.Recipients.Select(r => r.Address).ToList();
        return new MailHogMessage(
            message.Id,
            Path(sender),
            recipients.Count == 0 ? null : [.. recipients.Select(Path)],
            content,
            GoTime(message.ReceivedAt),
            mime,
            new MailHogRaw(sender, recipients.Count == 0 ? null : recipients, MailHogContentReader.Text(data), message.HeloName));
    }

    /// <summary>
    /// What <c>/download</c> and MailHog's release send: each header of the map as <c>Key: value</c> (in the order the
    /// message has them, the added ones last, where MailHog's order is random), a blank line, the body.
    /// </summary>
    public static byte[] Download(CapturedMessage message, MailHogMessage converted)
    {
        var order = HeaderOrder(Data(message));
        var text = new StringBuilder();
        foreach (var (key, values) in converted.Content.Headers.OrderBy(h => order.IndexOf(h.Key) is var i and >= 0 ? i : int.MaxValue))
        {
            foreach (var value in values)
            {
                text.Append(key).Append(": ").Append(value).Append("\r\n");
            }
        }

        text.Append("\r\n").Append(converted.Content.Body);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Go's <c>time.Time</c> in JSON (RFC 3339 with nanoseconds, trailing zeros dropped, <c>Z</c> for UTC), in UTC as
    /// the <c>mailhog/mailhog</c> image writes it.
    /// </summary>
    public static string GoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";

    /// <summary>The content as MailHog's <c>Raw.Data</c>: the octets of DATA without the CRLF before the final dot, one char each.</summary>
    private static string Data(CapturedMessage message)
    {
        var raw = message.Raw.Span;
        if (raw.EndsWith("\r\n"u8))
        {
            raw = raw[..^2];
        }

        return Encoding.Latin1.GetString(raw);
    }

    /// <summary>MailHog's <c>PathFromString</c>: a source route before a colon becomes <c>Relays</c>; mailbox and domain split at the first <c>@</c>.</summary>
    private static MailHogPath Path(string path)
    {
        List<string>? relays = null;
        var address = path;
        if (path.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            relays = [.. path[..colon].Split(',')];
            address = path[(colon + 1)..];
        }

        return address.IndexOf('@', StringComparison.Ordinal) is var at and >= 0
            ? new MailHogPath(relays, address[..at], address[(at + 1)..], string.Empty)
            : new MailHogPath(relays, address, string.Empty, string.Empty);
    }

    private static void AddHeaders(SortedDictionary<string, List<string>> headers, CapturedMessage message, string hostname)
    {
        var id = $"{message.Id}@{hostname}";
        if (!headers.Keys.Any(k => k.Equals("Message-ID", StringComparison.OrdinalIgnoreCase)))
        {
            headers["Message-ID"] = [id];
        }

        var received = $"from {message.HeloName} by {hostname} (SmtpMock)\r\n          id {id}; {message.ReceivedAt.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000";
        Append(headers, "Received", received);
        Append(headers, "Return-Path", $"<{message.Sender.Address}>");
    }

    private static void Append(SortedDictionary<string, List<string>> headers, string name, string value)
    {
        var key = headers.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (key is null)
        {
            headers[name] = [value];
        }
        else
        {
            headers[key].Add(value);
        }
    }

    /// <summary>The header keys of the content in the order they first come.</summary>
    private static List<string> HeaderOrder(string data)
    {
        var end = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var keys = new List<string>();
        foreach (var line in (end < 0 ? string.Empty : data[..end]).Split("\r\n"))
        {
            if (line.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0 && line[0] is not (' ' or '\t'))
            {
                var key = MailHogContentReader.Text(line[..colon]);
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }
}
