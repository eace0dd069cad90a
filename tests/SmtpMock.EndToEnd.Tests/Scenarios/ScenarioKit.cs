using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>
/// What the scenario tests share: a server running one of the repository's scenarios/*.yaml, MailKit clients
/// with deadlines, the enhanced code out of a MailKit exception, and the transcript lines a rule leaves.
/// </summary>
internal static partial class ScenarioKit
{
    public const string Sender = "sender@example.com";

    /// <summary>The copy of scenarios/NAME.yaml in the test output folder.</summary>
    public static string PathOf(string scenario) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "scenarios", scenario + ".yaml");

    /// <summary>A server on 127.0.0.1:0 with scenarios/NAME.yaml loaded and active.</summary>
    public static Task<SmtpMockServer> StartAsync(string scenario, TimeProvider? clock = null) =>
        StartFileAsync(PathOf(scenario), scenario, clock);

    /// <summary>A server with this scenario file loaded; fails unless the scenario named <paramref name="name"/> is active.</summary>
    public static async Task<SmtpMockServer> StartFileAsync(string path, string name, TimeProvider? clock = null)
    {
        var server = await TestServer.StartAsync(o => o with { ScenarioPaths = [path], TimeProvider = clock ?? TimeProvider.System });
        try
        {
            Assert.That(server.Scenarios.Active?.Name, Is.EqualTo(name), "the scenario is active");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A MailKit client that says EHLO <see cref="MailKitSender.HeloName"/>, with a read/write timeout.</summary>
    public static T Configure<T>(T client, TimeSpan? timeout = null)
        where T : SmtpClient
    {
        client.LocalDomain = MailKitSender.HeloName;
        client.Timeout = (int)(timeout ?? TestServer.Deadline).TotalMilliseconds;
        return client;
    }

    public static SmtpClient NewClient(TimeSpan? timeout = null) => Configure(new SmtpClient(), timeout);

    public static Task ConnectToAsync(this SmtpClient client, SmtpMockServer server, CancellationToken cancellationToken) =>
        client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None, cancellationToken);

    /// <summary>A small plain-text message from <see cref="Sender"/>.</summary>
    public static MimeMessage Message(string subject, params string[] to)
    {
        var message = MailKitSender.NewMessage(subject, Sender, to);
        message.Body = new TextPart("plain") { Text = $"Body of '{subject}'.\r\n" };
        return message;
    }

    /// <summary>Runs the action and returns what it threw, failing the test unless it is exactly a <typeparamref name="T"/>.</summary>
    public static async Task<T> CatchAsync<T>(Func<Task> action)
        where T : Exception
    {
        Exception? caught = null;
        try
        {
            await action();
        }
        catch (Exception e)
        {
            caught = e;
        }

        Assert.That(caught, Is.TypeOf<T>(), $"expected {typeof(T).Name}, got: {caught}");
        return (T)caught!;
    }

    /// <summary>
    /// The enhanced status code the server sent, or null. MailKit keeps the reply text after the three-digit code
    /// (SmtpStream.ReadResponse) and SmtpClient passes that text, unchanged, as the SmtpCommandException's message,
    /// so the enhanced code is its first word: "5.5.1 Bad sequence of commands".
    /// </summary>
    public static string? EnhancedCode(SmtpCommandException exception)
    {
        var match = EnhancedPrefix().Match(exception.Message);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The 1-based line of "- name: RULE" in a scenario file: the line the server names when the rule fires.</summary>
    public static int RuleLine(string path, string rule)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.FindIndex(lines, l => l.Trim() == $"- name: {rule}");
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"no rule '{rule}' in {path}");
        return index + 1;
    }

    /// <summary>The note a session's transcript gets when the rule fires at the point (CONNECT, MAIL, RCPT...).</summary>
    public static string FiredNote(string path, string rule, string point) =>
        $"rule '{rule}' (line {RuleLine(path, rule)}) fired at {point}";

    public static IReadOnlyList<string> Notes(this SessionContext session) =>
        [.. session.Transcript.Lines.Where(l => l.Direction == TranscriptDirection.Note).Select(l => l.Text)];

    /// <summary>Every reply line the server sent.</summary>
    public static IReadOnlyList<string> Replies(this SessionContext session) =>
        [.. session.Transcript.Lines.Where(l => l.Direction == TranscriptDirection.Out).Select(l => l.Text)];

    /// <summary>The reply lines that the named rule wrote (the transcript's attribution).</summary>
    public static IReadOnlyList<string> RepliesBy(this SessionContext session, string rule) =>
        [.. session.Transcript.Lines.Where(l => l.Direction == TranscriptDirection.Out && l.Rule == rule).Select(l => l.Text)];

    /// <summary>The notes that say some rule fired.</summary>
    public static IReadOnlyList<string> FiredNotes(this SessionContext session) =>
        [.. session.Notes().Where(n => n.StartsWith("rule '", StringComparison.Ordinal) && n.Contains(" fired at ", StringComparison.Ordinal))];

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3}) ", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedPrefix();
}
