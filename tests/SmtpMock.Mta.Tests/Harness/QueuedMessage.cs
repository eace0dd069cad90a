using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmtpMock.Mta.Tests.Harness;

/// <summary>One line of <c>postqueue -j</c>: a message still in Postfix's queue and why each recipient waits.</summary>
internal sealed record QueuedMessage(
    [property: JsonPropertyName("queue_name")] string QueueName,
    [property: JsonPropertyName("queue_id")] string QueueId,
    [property: JsonPropertyName("sender")] string Sender,
    [property: JsonPropertyName("recipients")] IReadOnlyList<QueuedRecipient> Recipients)
{
    /// <summary>Parses the output of <c>postqueue -j</c>: one JSON object per line, nothing for an empty queue.</summary>
    public static IReadOnlyList<QueuedMessage> ParseAll(string jsonLines) =>
        [.. jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize<QueuedMessage>(line) ?? throw new AssertionException($"postqueue -j printed '{line}'"))];

    public override string ToString() =>
        $"{QueueId} in {QueueName} from <{Sender}>: {string.Join("; ", Recipients.Select(r => $"<{r.Address}> {r.DelayReason}"))}";
}

internal sealed record QueuedRecipient(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("delay_reason")] string? DelayReason);
