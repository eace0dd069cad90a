using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>
/// One cell of the client matrix: a client run against a server with scenarios/<see cref="Scenario"/>.yaml loaded (or
/// none, for the zero-config forms), what the client must report (<see cref="Verdict"/>), and what the server must show.
/// </summary>
internal sealed record MatrixCase(string? Scenario, string Client, ClientRequest Request, string Verdict)
{
    /// <summary>For a zero-config case, the form tried ("RCPT TO:&lt;reset@smtpmock.test&gt;"): the test's name and the docs' row.</summary>
    public string? Form { get; init; }

    /// <summary>A reply line (or its beginning) the client must have read, and the server's transcript must hold as sent.</summary>
    public string? Heard { get; init; }

    /// <summary>The rule (or "simulator:FORM") that must have fired.</summary>
    public string? Rule { get; init; }

    /// <summary>How many messages the store holds at the end (generated bounces included).</summary>
    public int Captured { get; init; }

    /// <summary>The recipients every message the client delivered was captured with; null to not check.</summary>
    public IReadOnlyList<string>? DeliveredTo { get; init; }

    /// <summary>Sessions the server saw, retries included.</summary>
    public int Sessions { get; init; } = 1;

    /// <summary>A second run after the server's fake clock moved on (greylisting), or with other options (tls-required).</summary>
    public MatrixRetry? Then { get; init; }

    /// <summary>The server runs on a fake clock that moves only when the case says so (slow-server's delays never end).</summary>
    public bool FakeClock { get; init; }

    /// <summary>Anything else to check, once the server has stopped and every session is finished.</summary>
    public Action<SmtpMockServer, ClientReport>? Check { get; init; }

    public override string ToString() => $"{Scenario ?? Form} / {Client}";
}

/// <summary>A second attempt: <see cref="After"/> on the server's fake clock, then <see cref="Request"/>, reported as <see cref="Verdict"/>.</summary>
internal sealed record MatrixRetry(TimeSpan After, ClientRequest Request, string Verdict);
