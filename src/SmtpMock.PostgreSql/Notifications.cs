using System.Text;
using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// The payloads of change notifications: <c>ORIGIN KIND ID ID...</c>, the origin being the instance that made the
/// change (it raised its own events already and skips these), cut so each stays under PostgreSQL's 8000-octet limit.
/// </summary>
internal static class Notifications
{
    public const string Messages = "smtpmock_messages";
    public const string Sessions = "smtpmock_sessions";

    private const int MaxPayload = 7000;

    /// <summary>The <c>pg_notify</c> commands announcing <paramref name="ids"/> (one, with none, for a kind without ids).</summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands(string channel, string origin, char kind, IEnumerable<string> ids)
    {
        var payload = new StringBuilder().Append(origin).Append(' ').Append(kind);
        var prefix = payload.Length;
        var any = false;
        foreach (var id in ids)
        {
            if (payload.Length + id.Length + 1 > MaxPayload)
            {
                yield return Notify(channel, payload.ToString());
                payload.Length = prefix;
            }

            payload.Append(' ').Append(id);
            any = true;
        }

        if (payload.Length > prefix || !any)
        {
            yield return Notify(channel, payload.ToString());
        }
    }

    /// <summary>A payload read back: null when it is this instance's own or not ours.</summary>
    public static (char Kind, string[] Ids)? Read(string payload, string origin)
    {
        var parts = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length < 2 || parts[0] == origin || parts[1].Length != 1 ? null : (parts[1][0], parts[2..]);
    }

    private static NpgsqlBatchCommand Notify(string channel, string payload) =>
        new("SELECT pg_notify($1, $2)") { Parameters = { new NpgsqlParameter<string> { TypedValue = channel }, new NpgsqlParameter<string> { TypedValue = payload } } };
}
