using SmtpMock.Cli.Commands.Serve;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Tests;

/// <summary>serve's flags as options: defaults from SmtpServerOptions, and runtime switches decided from the parsed flags.</summary>
public class ServeOptionsTests
{
    [Test]
    public void Defaults_come_from_SmtpServerOptions()
    {
        var defaults = new SmtpServerOptions();
        var options = ServeOptions.Build(SmtpMockCli.Create().Parse([])).Options!;
        Assert.That(options.EndPoint, Is.EqualTo(defaults.EndPoint));
        Assert.That(
            (options.Hostname, options.MaxMessageSize, options.MaxRecipients, options.MaxCommandLineLength, options.MaxDataLineLength,
             options.CommandTimeout, options.DataTimeout, options.MaxConnections, options.MaxBadCommands, options.MaxStoredMessages, options.BareLineEndingsInData),
            Is.EqualTo((defaults.Hostname, defaults.MaxMessageSize, defaults.MaxRecipients, defaults.MaxCommandLineLength, defaults.MaxDataLineLength,
             defaults.CommandTimeout, defaults.DataTimeout, defaults.MaxConnections, defaults.MaxBadCommands, defaults.MaxStoredMessages, defaults.BareLineEndingsInData)));
    }

    [Test]
    public void The_store_budgets_come_from_their_flags_and_default_to_the_servers()
    {
        var defaults = ServeOptions.Build(SmtpMockCli.Create().Parse([])).Options!;
        Assert.That((defaults.MaxStoredMessages, defaults.MaxStoredBytes), Is.EqualTo((1000, 512L * 1024 * 1024)));

        var set = ServeOptions.Build(SmtpMockCli.Create().Parse(["--max-messages", "50", "--max-store-bytes", "3000000000"])).Options!;
        Assert.That((set.MaxStoredMessages, set.MaxStoredBytes), Is.EqualTo((50, 3_000_000_000L)), "a budget past 2 GiB fits");
    }

    [Test]
    public void The_simulator_is_on_by_default_and_no_simulator_turns_it_off()
    {
        Assert.That(ServeOptions.Build(SmtpMockCli.Create().Parse([])).Options!.Simulator, Is.True);
        Assert.That(ServeOptions.Build(SmtpMockCli.Create().Parse(["--no-simulator"])).Options!.Simulator, Is.False);
        Assert.That(ServeOptions.Build(SmtpMockCli.Create().Parse(["serve", "--no-simulator"])).Options!.Simulator, Is.False);
    }

    [TestCase("--store", "DIR")]
    [TestCase("--store=DIR")]
    [TestCase("serve", "--store=DIR")]
    public void Store_in_any_spelling_turns_inline_socket_completions_off(params string[] args)
    {
        var options = ServeOptions.Build(SmtpMockCli.Create().Parse(args)).Options!;
        Assert.That(options.StoreDirectory, Is.EqualTo(Path.GetFullPath("DIR")));
        Assert.That(InlineCompletions.Decide(options, current: null), Is.Null);
    }

    [Test]
    public void Without_a_store_inline_completions_are_on_unless_the_environment_says_otherwise()
    {
        var options = ServeOptions.Build(SmtpMockCli.Create().Parse(["--port", "0"])).Options!;
        Assert.That(InlineCompletions.Decide(options, current: null), Is.EqualTo("1"));
        Assert.That(InlineCompletions.Decide(options, current: "0"), Is.Null);
    }

    [TestCase(1, "1")]
    [TestCase(2, "1")]
    [TestCase(3, "1")]
    [TestCase(8, "4")]
    public void Inline_completions_run_on_half_the_cores_leaving_the_rest_to_the_client(int cores, string expected)
    {
        Assert.That(InlineCompletions.DecideThreads(cores, current: null), Is.EqualTo(expected));
        Assert.That(InlineCompletions.DecideThreads(cores, current: "3"), Is.Null, "an explicit setting wins");
    }
}
