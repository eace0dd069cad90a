using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>PROTOCOL.md "Grammar": 500, 501, 502, 555 and 553 answers; the session always goes on.</summary>
public class GrammarDialogTests
{
    [Test]
    public async Task Empty_line_unknown_verb_and_non_ascii_verb_get_500_and_the_session_goes_on()
    {
        await ExpectAsync("\r\nFOOBAR\r\nÉHLO x\r\n" + Ehlo + "NOOP\r\n", "500 5.5.2", "500 5.5.2", "500 5.5.2", "250", "250 2.0.0");
    }

    [Test]
    public async Task Nul_in_an_argument_gets_501()
    {
        await ExpectAsync(Ehlo + "MAIL FROM:<a@b.example>\0x\r\n" + Mail, "250", "501 5.5.2", "250 2.1.0");
    }

    [Test]
    public async Task Bare_cr_inside_a_command_gets_501()
    {
        await ExpectAsync("NOOP a\rb\r\n", "501 5.5.2");
    }

    [Test]
    public async Task Malformed_paths_get_501_and_null_path_and_source_routes_are_accepted()
    {
        await ExpectAsync(Ehlo + "MAIL FROM:<@x>\r\nMAIL FROM:<u@>\r\nMAIL FROM:<>\r\nRCPT TO:<@a.example,@b.example:u@c.example>\r\n",
            "250", "501 5.1.7", "501 5.1.7", "250 2.1.0", "250 2.1.5");
    }

    [Test]
    public async Task Unknown_mail_parameter_gets_555_and_a_bad_body_value_501()
    {
        await ExpectAsync(Ehlo + "MAIL FROM:<a@b.example> FOO=BAR\r\nMAIL FROM:<a@b.example> BODY=X\r\nMAIL FROM:<a@b.example> BODY=8BITMIME SIZE=100\r\n",
            "250", "555 5.5.4", "501 5.5.4", "250 2.1.0");
    }

    [Test]
    public async Task Unknown_rcpt_parameter_gets_555()
    {
        await ExpectAsync(Ehlo + Mail + "RCPT TO:<b@c.example> NOTIFY=NEVER\r\n", "250", "250 2.1.0", "555 5.5.4");
    }

    [Test]
    public async Task Commands_that_take_no_argument_refuse_one_with_501_but_noop_ignores_it()
    {
        await ExpectAsync(Ehlo + "DATA x\r\nRSET x\r\nQUIT x\r\nNOOP x\r\nHELO\r\n", "250", "501 5.5.4", "501 5.5.4", "501 5.5.4", "250 2.0.0", "501 5.5.4");
    }

    [Test]
    public async Task Expn_gets_502_and_starttls_and_auth_get_502_where_not_offered_and_are_not_advertised()
    {
        // No transport to upgrade (no socket) and AUTH switched off: neither is implemented for this session.
        var options = SessionDriver.Options(o => o with { EnableAuth = false });
        var result = await ExpectAsync(Ehlo + "EXPN list\r\nSTARTTLS\r\nAUTH PLAIN\r\n", options, "250", "502 5.5.1", "502 5.5.1", "502 5.5.1");
        var ehlo = result.Lines.Where(l => l.StartsWith("250-", StringComparison.Ordinal) || l.StartsWith("250 ", StringComparison.Ordinal)).Take(7).ToList();
        Assert.That(ehlo.Any(l => l.Contains("STARTTLS") || l.Contains("AUTH")), Is.False);
    }

    [Test]
    public async Task Ehlo_advertises_the_engine_extensions_without_enhanced_codes()
    {
        var result = await SessionDriver.RunAsync(Ehlo, options: SessionDriver.Options(o => o with { MaxMessageSize = 1234 }));
        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            result.Lines[0],
            "250-mx.test greets client.test",
            "250-PIPELINING",
            "250-SIZE 1234",
            "250-8BITMIME",
            "250-SMTPUTF8",
            "250-ENHANCEDSTATUSCODES",
            "250-CHUNKING",
            "250 AUTH CRAM-MD5",
        }));
        Assert.That(result.Lines[0], Does.Match(@"^220 mx\.test ESMTP SmtpMock \d+\.\d+\.\d+ ready$"));
    }

    [Test]
    public async Task Client_text_quoted_in_a_reply_is_cut_short_so_no_reply_line_passes_512_octets()
    {
        var domain = new string('d', 500);
        var keyword = new string('K', 480);
        var result = await ExpectAsync($"HELO {domain}\r\nEHLO {domain}\r\nMAIL FROM:<a@b.example> {keyword}\r\n", "250", "250", "555 5.5.4");
        Assert.That(result.Lines[1], Is.EqualTo($"250 mx.test Hello {domain[..64]}..."));
        Assert.That(result.Lines[2], Is.EqualTo($"250-mx.test greets {domain[..64]}..."));
        Assert.That(result.Lines.Last(), Is.EqualTo($"555 5.5.4 Unsupported parameter {keyword[..64]}..."));
    }

    [Test]
    public async Task Help_lists_the_commands_on_214_lines()
    {
        var result = await ExpectAsync("HELP\r\n", "214 2.0.0");
        var listed = HelpVerbs(result);
        Assert.That(listed, Is.EquivalentTo(new[] { "EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "HELP", "STARTTLS", "AUTH" }));
    }

    [Test]
    public async Task Help_leaves_out_expn_and_what_is_turned_off()
    {
        // EXPN always answers 502; STARTTLS and AUTH answer 502 when turned off: HELP lists only what is answered.
        var result = await ExpectAsync("HELP\r\nEXPN list\r\nSTARTTLS\r\n", new Hosting.SmtpServerOptions { EnableTls = false, EnableAuth = false }, "214 2.0.0", "502 5.5.1", "502 5.5.1");
        var listed = HelpVerbs(result);
        Assert.That(listed, Does.Not.Contain("EXPN").And.Not.Contain("STARTTLS").And.Not.Contain("AUTH"));
        Assert.That(listed, Does.Contain("MAIL").And.Contain("VRFY"));
    }

    private static string[] HelpVerbs(DriveResult result) =>
        result.Lines.Where(l => l.StartsWith("214", StringComparison.Ordinal))
            .Skip(1).SkipLast(1)
            .SelectMany(l => l["214-2.0.0 ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();

    [Test]
    public async Task Postmaster_is_accepted_as_a_recipient()
    {
        await ExpectAsync(Ehlo + Mail + "RCPT TO:<Postmaster>\r\n", "250", "250 2.1.0", "250 2.1.5");
    }

    [Test]
    public async Task Non_ascii_address_without_smtputf8_gets_553()
    {
        await ExpectAsync(Ehlo + "MAIL FROM:<jörg@example.com>\r\nMAIL FROM:<jörg@example.com> SMTPUTF8\r\nRCPT TO:<ü@例子.广告>\r\n",
            "250", "553 5.6.7", "250 2.1.0", "250 2.1.5");
        await ExpectAsync(Ehlo + Mail + "RCPT TO:<ü@example.com>\r\n", "250", "250 2.1.0", "553 5.6.7");
    }

    [Test]
    public async Task Http_spoken_to_the_smtp_port_is_closed_with_421()
    {
        var result = await ExpectAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "421 4.7.0");
        Assert.That(result.Session.EndReason, Does.Contain("421"));
    }

    [Test]
    public async Task A_bare_lf_command_is_accepted_by_default_and_refused_in_strict_mode()
    {
        await ExpectAsync("EHLO a\nNOOP\n", "250", "250 2.0.0");
        await ExpectAsync("EHLO a\nNOOP\r\n", SessionDriver.Options(o => o with { StrictLineEndings = true }), "500 5.5.2", "250 2.0.0");
    }
}
