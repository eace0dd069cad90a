using System.Buffers;
using System.Text.Json;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.PostgreSql;

/// <summary>
/// The envelope's paths and ESMTP parameters as they were given, and a message's <see cref="ContentSummary"/>, as the
/// jsonb beside each row. Written and read by hand (Utf8JsonWriter, JsonDocument): no reflection, so Native AOT keeps it.
/// </summary>
internal static class EnvelopeJson
{
    public static string Envelope(MessageEnvelope envelope) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("sender");
        Path(writer, envelope.Sender);
        Parameters(writer, "parameters", envelope.SenderParameters);
        writer.WriteStartArray("recipients");
        foreach (var recipient in envelope.Recipients)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("path");
            Path(writer, recipient.Path);
            Parameters(writer, "parameters", recipient.Parameters);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>The sender, its parameters and the recipients kept by <see cref="Envelope(MessageEnvelope)"/>.</summary>
    public static (MailPath Sender, IReadOnlyList<EsmtpParameter> Parameters, IReadOnlyList<Recipient> Recipients) ReadEnvelope(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var recipients = root.GetProperty("recipients").EnumerateArray()
            .Select(r => new Recipient(Path(r.GetProperty("path")), Parameters(r.GetProperty("parameters"))))
            .ToList();
        return (Path(root.GetProperty("sender")), Parameters(root.GetProperty("parameters")), recipients);
    }

    public static string Summary(ContentSummary summary) => Write(writer =>
    {
        writer.WriteStartObject();
        Text(writer, "subject", summary.Subject);
        Text(writer, "messageId", summary.MessageId);
        if (summary.From is { } from)
        {
            writer.WritePropertyName("from");
            Address(writer, from);
        }

        Addresses(writer, "to", summary.To);
        Addresses(writer, "cc", summary.Cc);
        Addresses(writer, "bcc", summary.Bcc);
        Addresses(writer, "replyTo", summary.ReplyTo);
        if (summary.Date is { } date)
        {
            Text(writer, "date", date.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        writer.WriteNumber("attachments", summary.Attachments);
        writer.WriteBoolean("hasHtml", summary.HasHtml);
        writer.WriteBoolean("hasText", summary.HasText);
        Text(writer, "snippet", summary.Snippet);
        writer.WriteStartArray("headerTags");
        foreach (var tag in summary.HeaderTags)
        {
            writer.WriteStringValue(Clean(tag));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static ContentSummary ReadSummary(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ContentSummary
        {
            Subject = root.GetProperty("subject").GetString(),
            MessageId = root.GetProperty("messageId").GetString(),
            From = root.TryGetProperty("from", out var from) ? Address(from) : null,
            To = Addresses(root.GetProperty("to")),
            Cc = Addresses(root.GetProperty("cc")),
            Bcc = Addresses(root.GetProperty("bcc")),
            ReplyTo = Addresses(root.GetProperty("replyTo")),
            Date = root.TryGetProperty("date", out var date) ? date.GetDateTimeOffset() : null,
            Attachments = root.GetProperty("attachments").GetInt32(),
            HasHtml = root.GetProperty("hasHtml").GetBoolean(),
            HasText = root.GetProperty("hasText").GetBoolean(),
            Snippet = root.GetProperty("snippet").GetString() ?? string.Empty,
            HeaderTags = [.. root.GetProperty("headerTags").EnumerateArray().Select(t => t.GetString() ?? string.Empty)],
        };
    }

    /// <summary>Text for a PostgreSQL text column: NUL is the one character it refuses (SMTP content may hold any).</summary>
    public static string? Clean(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal) ? text : text.Replace("\0", string.Empty, StringComparison.Ordinal);

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A string property without NUL (jsonb refuses <c>\u0000</c> too).</summary>
    public static void Text(Utf8JsonWriter writer, string name, string? value) => writer.WriteString(name, Clean(value));

    private static void Path(Utf8JsonWriter writer, MailPath path)
    {
        writer.WriteStartObject();
        Text(writer, "local", path.LocalPart);
        Text(writer, "domain", path.Domain);
        Text(writer, "route", path.SourceRoute);
        writer.WriteEndObject();
    }

    private static MailPath Path(JsonElement element) =>
        new(element.GetProperty("local").GetString() ?? string.Empty, element.GetProperty("domain").GetString() ?? string.Empty, element.GetProperty("route").GetString());

    private static void Parameters(Utf8JsonWriter writer, string name, IReadOnlyList<EsmtpParameter> parameters)
    {
        writer.WriteStartArray(name);
        foreach (var parameter in parameters)
        {
            writer.WriteStartObject();
            Text(writer, "keyword", parameter.Keyword);
            Text(writer, "value", parameter.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static List<EsmtpParameter> Parameters(JsonElement element) =>
        [.. element.EnumerateArray().Select(p => new EsmtpParameter(p.GetProperty("keyword").GetString() ?? string.Empty, p.GetProperty("value").GetString()))];

    private static void Address(Utf8JsonWriter writer, HeaderAddress address)
    {
        writer.WriteStartObject();
        Text(writer, "name", address.Name);
        Text(writer, "address", address.Address);
        writer.WriteEndObject();
    }

    private static HeaderAddress Address(JsonElement element) =>
        new(element.GetProperty("name").GetString() ?? string.Empty, element.GetProperty("address").GetString() ?? string.Empty);

    private static void Addresses(Utf8JsonWriter writer, string name, IReadOnlyList<HeaderAddress> addresses)
    {
        writer.WriteStartArray(name);
        foreach (var address in addresses)
        {
            Address(writer, address);
        }

        writer.WriteEndArray();
    }

    private static List<HeaderAddress> Addresses(JsonElement element) => [.. element.EnumerateArray().Select(Address)];
}
