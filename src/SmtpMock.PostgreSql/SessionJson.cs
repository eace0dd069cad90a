using System.Globalization;
using System.Text.Json;
using SmtpMock.Server.History;
using SmtpMock.Server.Session;

namespace SmtpMock.PostgreSql;

/// <summary>A session's transcript lines and delivery attempts as jsonb, written and read by hand (no reflection).</summary>
internal static class SessionJson
{
    public static string Lines(IReadOnlyList<TranscriptLine> lines) => EnvelopeJson.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var line in lines)
        {
            writer.WriteStartObject();
            EnvelopeJson.Text(writer, "at", Time(line.At));
            EnvelopeJson.Text(writer, "direction", line.Direction.ToString());
            EnvelopeJson.Text(writer, "text", line.Text);
            EnvelopeJson.Text(writer, "rule", line.Rule);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static List<TranscriptLine> ReadLines(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(l => new TranscriptLine(
            l.GetProperty("at").GetDateTimeOffset(),
            Enum.Parse<TranscriptDirection>(l.GetProperty("direction").GetString()!),
            l.GetProperty("text").GetString() ?? string.Empty)
        {
            Rule = l.GetProperty("rule").GetString(),
        })];
    }

    public static string Attempts(IReadOnlyList<DeliveryAttempt> attempts) => EnvelopeJson.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var attempt in attempts)
        {
            writer.WriteStartObject();
            EnvelopeJson.Text(writer, "at", Time(attempt.At));
            EnvelopeJson.Text(writer, "client", attempt.ClientAddress);
            EnvelopeJson.Text(writer, "sender", attempt.Sender);
            EnvelopeJson.Text(writer, "recipient", attempt.Recipient);
            EnvelopeJson.Text(writer, "reply", attempt.Reply);
            EnvelopeJson.Text(writer, "rule", attempt.Rule);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static List<DeliveryAttempt> ReadAttempts(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(a => new DeliveryAttempt(
            a.GetProperty("at").GetDateTimeOffset(),
            a.GetProperty("client").GetString() ?? string.Empty,
            a.GetProperty("sender").GetString() ?? string.Empty,
            a.GetProperty("recipient").GetString() ?? string.Empty,
            a.GetProperty("reply").GetString() ?? string.Empty,
            a.GetProperty("rule").GetString()))];
    }

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
