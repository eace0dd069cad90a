using MailKit.Net.Smtp;
using MailKit.Security;
using SmtpMock.EndToEnd.Tests.Scenarios;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.EndToEnd.Tests.SharedServer;

/// <summary>What a session that chooses no scenario, or one that is not loaded, gets on a shared server.</summary>
public sealed class ScenarioChoiceTests
{
    [Test]
    public async Task A_session_that_chooses_nothing_runs_the_active_scenario()
    {
        var (server, folder) = await SharedServerKit.StartAsync();
        try
        {
            using var timeout = TestServer.Timeout();
            using var client = ScenarioKit.NewClient();
            await client.ConnectToAsync(server, timeout.Token);
            var refused = await ScenarioKit.CatchAsync<SmtpCommandException>(() => client.SendAsync(ScenarioKit.Message("x", "a@example.org"), timeout.Token));
            await client.DisconnectAsync(true, timeout.Token);

            Assert.That((int)refused.StatusCode, Is.EqualTo(521));
            var session = await server.WaitForSessionAsync(1);
            Assert.That((session.Scenario, session.ScenarioChosenBy), Is.EqualTo(("active", "active")));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task An_unknown_scenario_is_refused_plainly_at_EHLO_and_at_AUTH()
    {
        var (server, folder) = await SharedServerKit.StartAsync();
        try
        {
            using var timeout = TestServer.Timeout();
            await using (var wire = await WireClient.ConnectAndGreetAsync(server.EndPoint, ehlo: null))
            {
                var ehlo = await wire.CommandAsync("EHLO nope.scenario.smtpmock.test");
                Assert.That(ehlo.Single(), Does.StartWith("550 5.7.0 No scenario named 'nope' is loaded here"));
            }

            using var client = ScenarioKit.NewClient();
            await client.ConnectToAsync(server, timeout.Token);
            var refused = await ScenarioKit.CatchAsync<AuthenticationException>(() => client.AuthenticateAsync("scenario=nope", "x", timeout.Token));
            await client.DisconnectAsync(true, timeout.Token);

            Assert.That(refused.Message, Does.Contain("5.7.8"), "refused as a login, 535 5.7.8");
            var session = await server.WaitForSessionAsync(2);
            Assert.That(session.Notes(), Has.Some.EqualTo("AUTH user asked for scenario 'nope', which is not loaded"));
            Assert.That(session.Scenario, Is.EqualTo("active"), "the session keeps what it had");
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task A_port_for_a_scenario_that_is_not_loaded_stops_the_server_from_starting()
    {
        var problem = Assert.Throws<ScenarioException>(() => _ = new SmtpMockServer(TestServer.Options(o => o with
        {
            ScenarioListeners = [new ScenarioListener(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), "ghost")],
        })));

        Assert.That(problem!.Message, Does.Contain("no scenario for port 0=ghost; no scenario files are loaded"));
    }
}
