using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Tests;

/// <summary>
/// Another site, through the user's browser, must never read or change this server (issue #25): a page that rebinds its
/// own name to 127.0.0.1 sends its name as the Host; a page that times a no-cors fetch sends Sec-Fetch-Site. Real
/// requests with those headers, as a browser sends them.
/// </summary>
public sealed class RebindingAndCrossSiteTests : ControlFixture
{
    protected override ControlOptions Configure(ControlOptions options) => options with { AllowedHosts = ["smtpmock", "*.mock.test"] };

    [TestCase("evil.test")]
    [TestCase("127.0.0.1.evil.test")]
    [TestCase("mock.test")]
    public async Task A_host_name_this_server_was_not_given_is_421_and_reads_nothing(string host)
    {
        await SendAsync(Message("secret code 493817"));

        using var response = await SendWithHostAsync(HttpMethod.Get, "api/v1/messages", $"{host}:{Control.Port}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain($"--http-allowed-host {host}").And.Not.Contain("493817"));
    }

    [Test]
    public async Task A_rebound_page_cannot_delete_replace_the_scenario_or_release()
    {
        await SendAsync(Message("keep me"));
        foreach (var (method, path) in new[] { (HttpMethod.Delete, "api/v1/messages"), (HttpMethod.Put, "api/v1/scenario"), (HttpMethod.Post, "api/v1/send") })
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent("name: x\n", Encoding.UTF8, "text/plain") };
            request.Headers.Host = $"evil.test:{Control.Port}";
            request.Headers.Add("Origin", $"http://evil.test:{Control.Port}");
            using var response = await Http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest), $"{method} {path}");
        }

        Assert.That(Server.Messages.Count, Is.EqualTo(1));
    }

    [TestCase("localhost")]
    [TestCase("app.localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    [TestCase("192.0.2.10")]
    [TestCase("smtpmock")]
    [TestCase("api.mock.test")]
    public async Task Ip_addresses_localhost_and_the_names_given_are_answered(string host)
    {
        using var response = await SendWithHostAsync(HttpMethod.Get, "api/v1/messages", $"{host}:{Control.Port}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Health_probes_answer_whatever_the_host_a_kubernetes_probe_sends()
    {
        using var response = await SendWithHostAsync(HttpMethod.Get, "healthz", $"pod-name.internal:{Control.Port}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("cross-site")]
    [TestCase("same-site")]
    public async Task A_fetch_from_another_site_is_refused_before_a_wait_can_be_timed(string site)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/messages/wait?q=login%20code&timeout=5s");
        request.Headers.Add("Sec-Fetch-Site", site);
        request.Headers.Add("Sec-Fetch-Mode", "no-cors");
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "answered without waiting: nothing to time");
    }

    [Test]
    public async Task The_page_itself_same_origin_and_tools_without_the_header_are_answered()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "api/v1/messages");
        page.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var fromPage = await Http.SendAsync(page);
        using var fromTool = await Http.GetAsync("api/v1/messages");
        using var pageFile = new HttpRequestMessage(HttpMethod.Get, "app.js");
        pageFile.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var file = await Http.SendAsync(pageFile);

        Assert.That((fromPage.StatusCode, fromTool.StatusCode, file.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    private async Task<HttpResponseMessage> SendWithHostAsync(HttpMethod method, string path, string host)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        return await Http.SendAsync(request);
    }
}

/// <summary>With a token, access is decided by the endpoint after routing: no spelling of a path skips it.</summary>
public sealed class TokenAfterRoutingTests : ControlFixture
{
    protected override string? Token => "s3cret";

    [TestCase("metrics")]
    [TestCase("metrics/")]
    [TestCase("Metrics")]
    [TestCase("METRICS/")]
    [TestCase("api/v1/messages/")]
    [TestCase("API/v1/Messages")]
    [TestCase("api/v1/nothing-here")]
    public async Task Every_spelling_of_a_protected_path_needs_the_token(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
    }

    [Test]
    public async Task Health_and_the_page_stay_open()
    {
        using var health = await Http.GetAsync("healthz");
        using var page = await Http.GetAsync("");
        Assert.That((health.StatusCode, page.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }
}

/// <summary>Bounded resources answer 503, oversized and slow bodies keep Kestrel's status, sends are bounded up front.</summary>
public sealed class HttpLimitsTests : ControlFixture
{
    protected override ControlOptions Configure(ControlOptions options) =>
        options with { MaxEventStreams = 2, MaxWaits = 2, MaxRequestBody = 4096, SlowBodyGrace = TimeSpan.FromSeconds(1.1) };

    [Test]
    public async Task A_body_over_the_limit_is_413_not_500()
    {
        using var response = await Http.PutAsync("api/v1/scenario", new StringContent(new string('x', 10_000), Encoding.UTF8, "text/plain"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), await response.Content.ReadAsStringAsync());
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("--http-max-body"));
    }

    [Test]
    public async Task A_body_that_trickles_in_is_408_not_500()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Control.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"PUT /api/v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nna"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(Deadline);
        Assert.That(status, Does.StartWith("HTTP/1.1 408"));
    }

    [Test]
    public async Task Event_streams_past_the_limit_get_503_and_a_closed_one_frees_its_place()
    {
        using var first = await OpenStreamAsync();
        using var second = await OpenStreamAsync();
        using (var third = await Http.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(third.Headers.RetryAfter, Is.Not.Null);
        }

        first.Dispose();
        await Eventually(async () =>
        {
            using var again = await Http.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead);
            return again.StatusCode == HttpStatusCode.OK;
        });
    }

    [Test]
    public async Task Wait_calls_past_the_limit_get_503_at_once()
    {
        string[] paths = ["api/v1/messages/wait?timeout=20s", "api/v1/sessions/wait?timeout=20s"];
        var waiting = paths.Select(p => Http.GetAsync(p)).ToArray();
        await Eventually(async () =>
        {
            // A wait that finished at once lost its place to a probe that came first: it starts again.
            for (var i = 0; i < waiting.Length; i++)
            {
                if (waiting[i].IsCompleted)
                {
                    (await waiting[i]).Dispose();
                    waiting[i] = Http.GetAsync(paths[i]);
                    return false;
                }
            }

            // A probe that gets in before both waits have started waits 100 ms itself, then 408.
            using var third = await Http.GetAsync("api/v1/messages/wait?timeout=100ms");
            return third.StatusCode == HttpStatusCode.ServiceUnavailable && waiting.All(w => !w.IsCompleted);
        });

        await SendAsync(Message("ends the waits"));
        foreach (var wait in waiting)
        {
            using var done = await wait.WaitAsync(Deadline);
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Send_with_more_recipients_than_max_recipients_is_refused_up_front()
    {
        var to = string.Join(",", Enumerable.Range(0, 150).Select(i => $"\"r{i}@e.test\""));
        using var response = await Http.PostAsync("api/v1/send", new StringContent($$"""{"from":"a@example.test","to":[{{to}}],"subject":"x","text":"y"}""", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("at most 100 (--max-recipients)"));
        Assert.That(Server.OpenSessions.Count + Server.FinishedSessions.Count, Is.Zero, "no SMTP session was made");
    }

    private async Task<HttpResponseMessage> OpenStreamAsync()
    {
        var response = await Http.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response;
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}

/// <summary>An attachment is never served as its declared type: one that says text/html would run as this origin's page.</summary>
public sealed class AttachmentTypeTests : ControlFixture
{
    [Test]
    public async Task An_html_attachment_is_octet_stream_with_its_declared_type_in_a_header_and_a_non_ascii_name_downloads()
    {
        var message = Message("with script");
        var body = new MimeKit.BodyBuilder { TextBody = "see attached" };
        body.Attachments.Add("Grüße <script>.html", Encoding.UTF8.GetBytes("<script>alert(document.cookie)</script>"), MimeKit.ContentType.Parse("text/html"));
        message.Body = body.ToMessageBody();
        await SendAsync(message);
        var id = Server.Messages.Messages.Single().Id;

        using var response = await Http.GetAsync($"api/v1/messages/{id}/attachments/0");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(response.Headers.GetValues(MessagesApi.DeclaredTypeHeader).Single(), Is.EqualTo("text/html"));
        Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition.FileNameStar, Is.EqualTo("Grüße <script>.html"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("<script>alert(document.cookie)</script>"));
    }
}
