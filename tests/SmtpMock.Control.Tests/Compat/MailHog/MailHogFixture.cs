using System.Net;
using System.Text.Json;
using SmtpMock.Control.Compat.MailHog;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Tests.Compat.MailHog;

/// <summary>
/// The control plane and its relay (a second SmtpMock, <see cref="RelayFixture"/>) with MailHog's API on 127.0.0.1
/// port 0 beside them, and an HttpClient for it.
/// </summary>
public abstract class MailHogFixture : RelayFixture
{
    protected MailHogServer MailHog { get; private set; } = null!;

    protected HttpClient MailHogHttp { get; private set; } = null!;

    /// <summary>The seed of Jim's draws, if any.</summary>
    protected virtual int? Seed => null;

    [SetUp]
    public async Task StartMailHogAsync()
    {
        var http = new ControlOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Relay = Relay };
        MailHog = await MailHogServer.StartAsync(Server, new MailHogOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Http = http, Seed = Seed, Page = Control.BaseAddress });
        MailHogHttp = new HttpClient { BaseAddress = MailHog.BaseAddress, Timeout = Deadline * 2 };
    }

    [TearDown]
    public async Task StopMailHogAsync()
    {
        MailHogHttp.Dispose();
        await MailHog.DisposeAsync();
    }

    /// <summary>GETs <paramref name="path"/> on the MailHog port, expecting 200 and JSON.</summary>
    protected async Task<JsonElement> MailHogJsonAsync(string path)
    {
        using var response = await MailHogHttp.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends <paramref name="data"/> as it is (dot-stuffed on the wire) with this envelope and HELO, over a raw socket.</summary>
    protected async Task SendRawAsync(string helo, string from, IReadOnlyList<string> to, string data)
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint, helo);
        Assert.That((await client.CommandAsync($"MAIL FROM:<{from}>"))[^1], Does.StartWith("250"));
        foreach (var recipient in to)
        {
            Assert.That((await client.CommandAsync($"RCPT TO:<{recipient}>"))[^1], Does.StartWith("250"));
        }

        Assert.That((await client.CommandAsync("DATA"))[^1], Does.StartWith("354"));
        var stuffed = data.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        Assert.That((await client.CommandAsync((stuffed.StartsWith('.') ? "." : string.Empty) + stuffed + "\r\n."))[^1], Does.StartWith("250"));
        await client.CommandAsync("QUIT");
    }
}
