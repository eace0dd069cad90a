using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Api;

/// <summary>/api/v1/sessions: open and kept sessions, newest first; one with its transcript; wait for ended ones.</summary>
internal sealed class SessionsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sessions", new RequestDelegate(ListAsync));
        api.MapGet("/sessions/wait", new RequestDelegate(WaitAsync));
        api.MapGet("/sessions/{id:long}", new RequestDelegate(DetailAsync));
    }

    private Task ListAsync(HttpContext context)
    {
        if (!Http.TryInt(context, "limit", 100, 1, 10_000, out var limit, out var error))
        {
            return Http.BadRequest(context, error!);
        }

        var all = All().OrderByDescending(s => s.Id).Take(limit).Select(Summary).ToArray();
        return Http.Json(context, all, ControlJson.Readable.SessionSummaryArray);
    }

    /// <summary>Returns once <c>count</c> sessions have ended (those still kept count), 408 after <c>timeout</c>.</summary>
    private async Task WaitAsync(HttpContext context)
    {
        if (!Http.TryInt(context, "count", 1, 1, 10_000, out var count, out var error)
            || !Http.TryTimeout(context, state.Options.MaxWait, out var timeout, out error))
        {
            await Http.BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        using var slot = state.EnterWait();
        if (slot is null)
        {
            await Http.Busy(context, $"{state.Options.MaxWaits} wait calls are open at once: try again when one has answered").ConfigureAwait(false);
            return;
        }

        var helo = Http.Query(context, "helo");
        List<SessionContext> found = [];
        var done = await state.SessionsChanged.WaitUntilAsync(
            () => (found = [.. state.Server.FinishedSessions.Where(s => helo is null || s.HeloName?.Contains(helo, StringComparison.OrdinalIgnoreCase) == true)]).Count >= count,
            timeout,
            context.RequestAborted).ConfigureAwait(false);
        if (!done)
        {
            await Http.Problem(context, StatusCodes.Status408RequestTimeout, "Timed out", $"{found.Count} of {count} ended sessions after {timeout.TotalSeconds:0.###}s").ConfigureAwait(false);
            return;
        }

        await Http.Json(context, [.. found.OrderByDescending(s => s.Id).Select(Summary)], ControlJson.Readable.SessionSummaryArray).ConfigureAwait(false);
    }

    private Task DetailAsync(HttpContext context)
    {
        var id = long.Parse(Http.Route(context, "id")!, System.Globalization.CultureInfo.InvariantCulture);
        if (state.Server.FindSession(id) is not { } session)
        {
            return Http.NotFound(context, $"no session {id} (open, or among the kept finished ones)");
        }

        var lines = session.Transcript.Lines;
        var s = Summary(session, lines);
        var detail = new SessionDetail(
            s.Id, s.Client, s.StartedAt, s.EndedAt, s.HeloName, s.Commands, s.Messages, s.Faults, s.EndReason, s.Scenario, s.ScenarioChosenBy,
            [.. session.AcceptedMessages],
            [.. lines.Select(l => new TranscriptEntry(Http.Utc(l.At), Direction(l.Direction), l.Text, l.Rule))]);
        return Http.Json(context, detail, ControlJson.Readable.SessionDetail);
    }

    private IEnumerable<SessionContext> All() =>
        state.Server.FinishedSessions.Concat(state.Server.OpenSessions).DistinctBy(s => s.Id);

    private static SessionSummary Summary(SessionContext session) => Summary(session, session.Transcript.Lines);

    private static SessionSummary Summary(SessionContext session, IReadOnlyList<TranscriptLine> lines) => new(
        session.Id,
        session.ClientText,
        Http.Utc(session.StartedAt),
        session.EndedAt is { } ended ? Http.Utc(ended) : null,
        session.HeloName,
        session.Commands,
        session.AcceptedMessages.Count,
        lines.Count(IsFault),
        session.EndReason,
        session.Scenario,
        session.ScenarioChosenBy);

    /// <summary>A reply a scenario rule wrote: counted once per reply (its last line) or per raw write.</summary>
    internal static bool IsFault(TranscriptLine line) =>
        line.Rule is not null && (IsFinalReplyLine(line) || (line.Direction == TranscriptDirection.Out && line.Text.StartsWith("(raw)", StringComparison.Ordinal)));

    /// <summary>The last line of a reply (<c>250 OK</c>, not <c>250-SIZE</c>).</summary>
    internal static bool IsFinalReplyLine(TranscriptLine line) =>
        line.Direction == TranscriptDirection.Out && (line.Text.Length == 3 || (line.Text.Length > 3 && line.Text[3] == ' '));

    internal static string Direction(TranscriptDirection direction) => direction switch
    {
        TranscriptDirection.In => "in",
        TranscriptDirection.Out => "out",
        _ => "note",
    };
}
