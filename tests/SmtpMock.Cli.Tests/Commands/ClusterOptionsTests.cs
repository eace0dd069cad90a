using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>
/// serve with a shared store or state that cannot be reached, or is named wrongly, stops at once with one smtpmock:
/// line naming it (never a stack trace, never a password), before any port is bound.
/// </summary>
public class ClusterOptionsTests
{
    private static async Task<(int Code, string Err)> ServeAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--no-http", .. args], output, error, deadline.Token);
        return (code, error.ToString());
    }

    /// <summary>A loopback port nothing listens on (bound, then closed).</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [Test]
    public async Task An_unreachable_postgresql_store_is_named_without_its_password_and_the_exit_code_is_1()
    {
        var port = ClosedPort();
        var (code, err) = await ServeAsync("--store", $"postgresql://smtpmock:s3cret@127.0.0.1:{port}/mail");
        Assert.That(code, Is.EqualTo(1), err);
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.StartWith($"smtpmock: cannot reach postgresql://smtpmock@127.0.0.1:{port}/mail"));
        Assert.That(err, Does.Not.Contain("s3cret"));
    }

    [Test]
    public async Task An_unreachable_redis_state_is_named_and_the_exit_code_is_1()
    {
        var port = ClosedPort();
        var (code, err) = await ServeAsync("--state", $"redis://127.0.0.1:{port}");
        Assert.That(code, Is.EqualTo(1), err);
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.StartWith($"smtpmock: cannot reach redis://127.0.0.1:{port}"));
    }

    [TestCase("--state", "http://127.0.0.1:6379")]
    [TestCase("--store", "postgresql://")]
    public async Task A_malformed_uri_is_named_by_its_flag(string flag, string value)
    {
        var (code, err) = await ServeAsync(flag, value);
        Assert.That(code, Is.EqualTo(1), err);
        Assert.That(err, Does.StartWith($"smtpmock: {flag}: "));
    }
}
