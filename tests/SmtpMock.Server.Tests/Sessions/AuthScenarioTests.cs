using System.Text;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Tests.Harness;
using SmtpMock.Server.Tests.Scenarios;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Sessions;

/// <summary>Scenario rules at AUTH with the <c>mechanism</c> and <c>user</c> conditions (issue 11).</summary>
public class AuthScenarioTests
{
    private static readonly Hosting.SmtpServerOptions InClear = SessionDriver.Options(o => o with { AllowPlaintextAuth = true });

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Plain(string user) => $"AUTH PLAIN {B64($"\0{user}\0pw")}\r\n";

    private static Task<DriveResult> RunAsync(string yaml, string dialog) => ScenarioRunner.RunAsync(yaml, dialog, InClear);

    [Test]
    public async Task A_rule_for_one_user_refuses_only_that_user_with_535()
    {
        const string yaml = "name: x\nrules:\n  - on: AUTH\n    when: { user: bob@* }\n    reply: { code: 535, enhanced: 5.7.8, text: Bob is locked out }\n";

        var result = await RunAsync(yaml, Ehlo + Plain("bob@example.com") + Plain("tim@example.com"));

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "535 5.7.8", "235 2.7.0" }), result.Output);
        Assert.That(result.Session.AuthenticatedUser, Is.EqualTo("tim@example.com"));
    }

    [Test]
    public async Task A_rule_on_login_fires_when_the_user_is_known_after_the_continuations()
    {
        const string yaml = "name: x\nrules:\n  - on: AUTH\n    when: { user: bob }\n    reply: 535\n";

        var result = await RunAsync(yaml, Ehlo + "AUTH LOGIN\r\n" + B64("bob") + "\r\n" + B64("pw") + "\r\nNOOP\r\n");

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "334", "334", "535 5.7.8", "250 2.0.0" }), result.Output);
        Assert.That(result.Session.AuthenticatedUser, Is.Null);
    }

    [Test]
    public async Task A_mechanism_rule_answers_454_or_534_and_the_exchange_ends()
    {
        const string yaml = "name: x\nrules:\n"
            + "  - on: AUTH\n    when: { mechanism: login }\n    reply: { code: 454, enhanced: 4.7.0, text: Temporary authentication failure }\n"
            + "  - on: AUTH\n    when: { mechanism: PLAIN }\n    reply: { code: 534, enhanced: 5.7.9, text: Authentication mechanism is too weak }\n";

        var result = await RunAsync(yaml, Ehlo + "AUTH LOGIN\r\nAUTH PLAIN\r\nNOOP\r\n");

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "454 4.7.0", "534 5.7.9", "250 2.0.0" }), result.Output);
        Assert.That(result.Session.AuthenticatedUser, Is.Null);
    }

    [Test]
    public async Task A_delay_before_235_holds_the_reply_and_keeps_the_login()
    {
        var options = InClear;
        var scenario = ScenarioRunner.Parse("name: x\nrules:\n  - on: AUTH\n    when: { user: slow }\n    delay: 50ms\n");

        var result = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Plain("slow") + "NOOP\r\n"), Split.Whole, options, rules: ScenarioRules.For(options, scenario));

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "235 2.7.0", "250 2.0.0" }), result.Output);
        Assert.That(result.Session.AuthenticatedUser, Is.EqualTo("slow"));
        Assert.That(result.Session.Transcript.Lines.Select(l => l.Text), Has.Some.Contains("delays the reply by 50 ms"));
    }

    [Test]
    public void An_unknown_mechanism_in_a_rule_is_a_problem_at_its_line()
    {
        var (_, problems) = ScenarioLoader.Parse("name: x\nrules:\n  - on: AUTH\n    when: { mechanism: NTLM }\n    reply: 535\n", "t.yaml");

        Assert.That(problems.Select(p => p.ToString()), Has.Some.Contains("mechanism must be one of PLAIN, LOGIN, CRAM-MD5, XOAUTH2, not 'NTLM'"));
    }

    [Test]
    public async Task A_scenario_starttls_rule_answers_454_and_no_handshake_starts()
    {
        var scenario = ScenarioRunner.Parse("name: x\nrules:\n  - on: STARTTLS\n    reply: { code: 454, enhanced: 4.7.0, text: TLS not available due to temporary reason }\n");
        var options = SessionDriver.Options();

        var (result, tls) = await SecureDriver.RunAsync(Ehlo + "STARTTLS\r\nNOOP\r\n", string.Empty, options, rules: ScenarioRules.For(options, scenario));

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "454 4.7.0", "250 2.0.0" }), result.Output);
        Assert.That(tls.Upgrades, Is.Zero);
    }

    [Test]
    public async Task The_scenarios_auth_section_sets_the_users_and_requires_a_login()
    {
        const string yaml = "name: x\nauth:\n  users:\n    - { user: app, password: s3cret }\n  accept-any: false\n  required: true\n";

        var result = await RunAsync(yaml, Ehlo + Mail + $"AUTH PLAIN {B64("\0other\0pw")}\r\nAUTH PLAIN {B64("\0app\0s3cret")}\r\n" + Mail);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "530 5.7.0", "535 5.7.8", "235 2.7.0", "250 2.1.0" }), result.Output);
    }

    [TestCase("auth:\n  users: nobody\n", "auth.users must be a list of { user, password }")]
    [TestCase("auth:\n  users:\n    - { user: a, password: b }\n    - { user: a, password: c }\n", "user 'a' is listed twice")]
    [TestCase("auth:\n  required: maybe\n", "auth.required must be true or false, not 'maybe'")]
    [TestCase("auth:\n  users:\n    - { user: a }\n", "each auth.users entry needs a non-empty user and a password")]
    public void A_broken_auth_section_is_reported(string section, string problem)
    {
        var (_, problems) = ScenarioLoader.Parse("name: x\n" + section, "t.yaml");

        Assert.That(problems.Select(p => p.ToString()), Has.Some.Contains(problem));
    }

    private static Scenario Shipped(string file) => ScenarioLoader.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "scenarios", file));

    [Test]
    public async Task The_shipped_auth_failures_scenario_gives_each_user_its_failure()
    {
        var options = InClear;
        var rules = ScenarioRules.For(options, Shipped("auth-failures.yaml"));
        var dialog = Ehlo + Mail + Plain("locked@example.com") + Plain("busy@example.com") + Plain("weak@example.com")
            + "AUTH LOGIN\r\n" + B64("weak@example.com") + "\r\n" + B64("pw") + "\r\n" + Mail;

        var result = await SessionDriver.RunAsync(Splitter.Bytes(dialog), Split.Whole, options, rules: rules);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "530 5.7.0", "535 5.7.8", "454 4.7.0", "534 5.7.9", "334", "334", "235 2.7.0", "250 2.1.0" }), result.Output);
    }

    [Test]
    public async Task The_shipped_tls_required_scenario_refuses_plaintext_mail_and_serves_it_after_starttls()
    {
        var options = SessionDriver.Options();
        var rules = ScenarioRules.For(options, Shipped("tls-required.yaml"));

        var (result, _) = await SecureDriver.RunAsync(Ehlo + Mail + Rcpt + "AUTH CRAM-MD5\r\nSTARTTLS\r\n", Ehlo + Mail + Rcpt + "QUIT\r\n", options, rules: rules);

        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "530 5.7.0", "530 5.7.0", "530 5.7.0", "220 2.0.0", "250", "250 2.1.0", "250 2.1.5", "221 2.0.0" }), result.Output);
    }
}
