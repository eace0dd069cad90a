using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Testing.Tests;

/// <summary>The scenarios docs/clients.md tells readers to save must load, and must refuse what they say they refuse.</summary>
[TestFixture]
public sealed class ClientsDocTests
{
    [Test]
    public void Every_yaml_block_in_clients_md_is_a_valid_scenario_refusing_the_command_its_name_says()
    {
        var text = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "sync", "clients.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = text.Split("```yaml\n").Skip(1).Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]).ToList();

        Assert.That(blocks, Has.Count.EqualTo(3));
        foreach (var block in blocks)
        {
            var (scenario, problems) = ScenarioLoader.Parse(block, "clients.md");
            Assert.That(problems, Is.Empty, block);
            var parts = scenario!.Name.Split('-'); // refuse-rcpt-503
            var rule = scenario.Rules.Single();
            Assert.That(rule.Points.Single().Name(), Is.EqualTo(parts[1].ToUpperInvariant()), block);
            Assert.That(((RuleReply.Standard)rule.Reply!).Reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(parts[2]), block);
        }
    }
}
