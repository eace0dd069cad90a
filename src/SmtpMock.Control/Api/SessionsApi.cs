using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Control.Model;
using SmtpMock.Server.History;

namespace SmtpMock.Control.Api;

/// <summary>
/// /api/v1/sessions: this instance's open sessions and the archive's finished ones (every instance's, when several
/// share one), newest first; one with its transcript; wait for ended ones.
/// </summary>
internal sealed class SessionsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sessions", ListAsync);
        api.MapGet("/sessions/wait", WaitAsync);
        api.MapGet("/sessions/{id:long}", DetailAsync);
    }

    private async Task<Results<Ok<SessionSummary[]>, ProblemHttpResult>> ListAsync(string? limit, CancellationToken aborted)
    {
        if (!QueryValues.TryInt(limit, "limit", 100, 1, 10_000, out var max, out var error))
        {
            return Problems.BadRequest(error!);
        }

        var finished = await state.Server.Sessions.ListAsync(new SessionQuery { Limit = max }, aborted).ConfigureAwait(false);
        return TypedResults.Ok(Open().Concat(finished).DistinctBy(s => s.Id).OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id).Take(max).Select(SessionViews.Summary).ToArray());
    }

    /// <summary>Returns once <c>count</c> sessions have ended (those still kept count), 408 after <c>timeout</c>.</summary>
    private async Task<Results<Ok<SessionSummary[]>, ProblemHttpResult>> WaitAsync(
        string? count, string? timeout, string? helo, HttpResponse response, CancellationToken aborted)
    {
        if (!QueryValues.TryInt(count, "count", 1, 1, 10_000, out var wanted, out var error)
            || !QueryValues.TryTimeout(timeout, state.Options.MaxWait, out var patience, out error))
        {
            return Problems.BadRequest(error!);
        }

        using var slot = state.EnterWait();
        if (slot is null)
        {
            return Problems.TooManyWaits(response, state.Options.MaxWaits);
        }

        var query = new SessionQuery { HeloContains = QueryValues.Text(helo) };
        IReadOnlyList<SessionRecord> found = [];
        var done = await state.SessionsChanged.WaitUntilAsync(
            async () => (found = await state.Server.Sessions.ListAsync(query, aborted).ConfigureAwait(false)).Count >= wanted,
            patience,
            aborted).ConfigureAwait(false);
        if (!done)
        {
            return Problems.TimedOut($"{found.Count} of {wanted} ended sessions after {patience.TotalSeconds:0.###}s");
        }

        return TypedResults.Ok(found.Select(SessionViews.Summary).ToArray());
    }

    private async Task<Results<Ok<SessionDetail>, ProblemHttpResult>> DetailAsync(long id, CancellationToken aborted)
    {
        var session = state.Server.OpenSessions.FirstOrDefault(s => s.Id == id) is { } open
            ? SessionRecords.From(open, state.Server.Options.InstanceId)
            : await state.Server.Sessions.GetAsync(id, aborted).ConfigureAwait(false);
        return session is null
            ? Problems.NotFound($"no session {id} (open, or among the kept finished ones)")
            : TypedResults.Ok(SessionViews.Detail(session));
    }

    private IEnumerable<SessionRecord> Open() =>
        state.Server.OpenSessions.Select(s => SessionRecords.From(s, state.Server.Options.InstanceId));
}
