using SmtpMock.Cli.Commands.Serve;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Tests;

/// <summary>Mailpit's environment variables read as SmtpMock's settings, only when --mailpit-port is given.</summary>
public sealed class MailpitOptionsTests
{
    private static (SmtpServerOptions Options, string? Problem) Apply(string[] args, Dictionary<string, string> environment)
    {
        var parse = SmtpMockCli.Create().Parse(args);
        return MailpitOptions.ApplyEnvironment(parse, ServeOptions.Build(parse).Options!, name => environment.GetValueOrDefault(name));
    }

    [Test]
    public void Mailpit_variables_become_smtpmock_settings_with_the_mailpit_api_on()
    {
        var (options, problem) = Apply(["--mailpit-port", "0"], new() { ["MP_SMTP_AUTH_ACCEPT_ANY"] = "true", ["MP_SMTP_AUTH_ALLOW_INSECURE"] = "YES", ["MP_MAX_MESSAGES"] = "20" });
        Assert.That(problem, Is.Null);
        Assert.That(options.AuthAcceptAny, Is.True);
        Assert.That(options.AllowPlaintextAuth, Is.True);
        Assert.That(options.MaxStoredMessages, Is.EqualTo(20));
        Assert.That(Apply(["--mailpit-port", "0"], new() { ["MP_MAX_MESSAGES"] = "0" }).Options.MaxStoredMessages, Is.EqualTo(int.MaxValue), "0 keeps every message, as in Mailpit");
    }

    [Test]
    public void Without_the_mailpit_api_or_against_a_flag_the_variables_change_nothing()
    {
        var environment = new Dictionary<string, string> { ["MP_SMTP_AUTH_ALLOW_INSECURE"] = "1", ["MP_MAX_MESSAGES"] = "20" };
        var (off, _) = Apply([], environment);
        Assert.That(off.AllowPlaintextAuth, Is.False);
        Assert.That(off.MaxStoredMessages, Is.EqualTo(new SmtpServerOptions().MaxStoredMessages));
        Assert.That(Apply(["--mailpit-port", "0", "--max-messages", "7"], environment).Options.MaxStoredMessages, Is.EqualTo(7), "the flag wins");
    }

    [Test]
    public void Bad_values_are_one_line_problems()
    {
        Assert.That(Apply(["--mailpit-port", "0"], new() { ["MP_MAX_MESSAGES"] = "many" }).Problem, Does.Contain("MP_MAX_MESSAGES 'many'"));
        Assert.That(Apply(["--mailpit-port", "0"], new() { ["MP_SMTP_TLS_CERT"] = "/x.pem" }).Problem, Does.Contain("go together"));
        Assert.That(Apply(["--mailpit-port", "0"], new() { ["MP_SMTP_TLS_CERT"] = "/nonexistent/c.pem", ["MP_SMTP_TLS_KEY"] = "/nonexistent/k.pem" }).Problem, Does.StartWith("MP_SMTP_TLS_CERT/MP_SMTP_TLS_KEY:"));
    }
}
