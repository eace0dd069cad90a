using System.Globalization;
using SmtpMock.Testing;

namespace SmtpMock.EndToEnd.Tests.Clients;

/// <summary>
/// What every client test sends and the three refusals it is tested against: 502 at DATA, 503 at RCPT and 504 at
/// MAIL, each from a YAML scenario string like the ones in docs/clients.md.
/// </summary>
internal static class ClientScenarios
{
    public const string Sender = "app@example.com";
    public const string Recipient = "bob@example.com";

    /// <summary>A zero-config failure address: with no scenario at all, its RCPT is answered 503 5.5.1.</summary>
    public const string FailureAddress = "503@smtpmock.test";

    /// <summary>What the server sends for <see cref="FailureAddress"/>.</summary>
    public const string FailureReply = "503 5.5.1 Bad sequence of commands";

    /// <summary>The refusals each client is run against: the command refused and the code.</summary>
    public static readonly object[] Refusals =
    [
        new object[] { "DATA", 502 },
        new object[] { "RCPT", 503 },
        new object[] { "MAIL", 504 },
    ];

    /// <summary>A scenario that answers every <paramref name="command"/> with <paramref name="code"/> and the usual text.</summary>
    public static string Refuse(string command, int code) => string.Create(CultureInfo.InvariantCulture, $"""
        name: refuse-{command.ToLowerInvariant()}-{code}
        rules:
          - name: refuse
            on: {command}
            reply: {code}
        """);

    /// <summary>EHLO answered 502: every client here must fall back to HELO and still deliver.</summary>
    public const string EhloNotImplemented = """
        name: no-ehlo
        rules:
          - name: no-ehlo
            on: EHLO
            reply: 502
        """;

    public static Task<SmtpMockFixture> StartAsync(string? scenarioYaml = null) =>
        SmtpMockFixture.StartAsync(o =>
        {
            o.Hostname = "mock.test";
            if (scenarioYaml is not null)
            {
                o.UseScenarioYaml(scenarioYaml);
            }
        });

    /// <summary>The repository's root (where SmtpMock.sln is), for tests/clients/.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SmtpMock.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SmtpMock.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <summary>The session's refusal as the transcript has it, to check the client saw what the server sent.</summary>
    public static async Task<string> RefusalSentAsync(SmtpMockFixture smtp, int code)
    {
        var sessions = await smtp.WaitForSessionsAsync(1, TestServer.Deadline);
        return sessions[0].Lines
            .Where(l => l.Direction == Server.Session.TranscriptDirection.Out)
            .Select(l => l.Text)
            .First(t => t.StartsWith(code.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal));
    }
}
