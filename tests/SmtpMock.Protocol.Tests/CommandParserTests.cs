using System.Text;
using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Protocol.Tests;

public class CommandParserTests
{
    private static ParseResult Parse(string line, int max = 512) =>
        Parse(Encoding.UTF8.GetBytes(line), max);

    private static ParseResult Parse(byte[] line, int max = 512) =>
        CommandParser.Parse(line, line.Length + 2, max);

    [TestCase("EHLO client.example", SmtpVerb.Ehlo)]
    [TestCase("ehlo client.example", SmtpVerb.Ehlo)]
    [TestCase("HeLo client.example", SmtpVerb.Helo)]
    [TestCase("MAIL FROM:<a@b.example>", SmtpVerb.Mail)]
    [TestCase("RCPT TO:<a@b.example>", SmtpVerb.Rcpt)]
    [TestCase("DATA", SmtpVerb.Data)]
    [TestCase("BDAT 10 LAST", SmtpVerb.Bdat)]
    [TestCase("RSET", SmtpVerb.Rset)]
    [TestCase("NOOP anything at all", SmtpVerb.Noop)]
    [TestCase("QUIT", SmtpVerb.Quit)]
    [TestCase("VRFY bob", SmtpVerb.Vrfy)]
    [TestCase("EXPN list", SmtpVerb.Expn)]
    [TestCase("HELP", SmtpVerb.Help)]
    [TestCase("STARTTLS", SmtpVerb.StartTls)]
    [TestCase("AUTH PLAIN", SmtpVerb.Auth)]
    public void Recognises_every_verb_in_any_case(string line, SmtpVerb verb)
    {
        var result = Parse(line);
        Assert.That(result.IsOk, Is.True, result.Error?.ToString());
        Assert.That(result.Command.Verb, Is.EqualTo(verb));
    }

    [TestCase("", 500, "5.5.2")]
    [TestCase("FOOBAR", 500, "5.5.2")]
    [TestCase("MAILX FROM:<a@b>", 500, "5.5.2")]
    [TestCase("DATA x", 501, "5.5.4")]
    [TestCase("RSET x", 501, "5.5.4")]
    [TestCase("QUIT now", 501, "5.5.4")]
    [TestCase("HELO", 501, "5.5.4")]
    [TestCase("EHLO ", 501, "5.5.4")]
    [TestCase("VRFY", 501, "5.5.4")]
    [TestCase("MAIL <a@b.example>", 501, "5.5.4")]
    [TestCase("MAIL FROM:<@x>", 501, "5.1.7")]
    [TestCase("RCPT TO:<u@>", 501, "5.1.3")]
    [TestCase("RCPT TO:<>", 501, "5.1.3")]
    [TestCase("MAIL FROM:<a@b.example>x", 501, "5.1.7")]
    [TestCase("MAIL FROM:<a@b.example> =BAR", 501, "5.5.4")]
    [TestCase("MAIL FROM:<a@b.example> SIZE=", 501, "5.5.4")]
    [TestCase("MAIL FROM:<a@b.example> SIZE=1 SIZE=2", 501, "5.5.4")]
    [TestCase("BDAT", 501, "5.5.4")]
    [TestCase("BDAT x", 501, "5.5.4")]
    [TestCase("BDAT 10 FIRST", 501, "5.5.4")]
    public void Answers_bad_lines_with_a_precise_code(string line, int code, string enhanced)
    {
        var result = Parse(line);
        Assert.That(result.Error, Is.Not.Null);
        Assert.That(result.Error!.Code, Is.EqualTo(code));
        Assert.That(result.Error.Enhanced, Is.EqualTo(enhanced));
    }

    [Test]
    public void Keeps_the_verb_of_a_command_whose_argument_is_bad()
    {
        var result = Parse("MAIL FROM:<bad");
        Assert.That(result.Command.Verb, Is.EqualTo(SmtpVerb.Mail));
        Assert.That(result.Error!.Lines[0], Does.Contain("closing"));
    }

    [Test]
    public void Parses_mail_parameters_in_order_with_upper_case_keywords()
    {
        var result = Parse("MAIL FROM:<a@b.example> size=1024 BODY=8BITMIME SMTPUTF8");
        Assert.That(result.IsOk, Is.True);
        Assert.That(result.Command.Path!.Address, Is.EqualTo("a@b.example"));
        Assert.That(result.Command.Parameters.Select(p => p.ToString()), Is.EqualTo(new[] { "SIZE=1024", "BODY=8BITMIME", "SMTPUTF8" }));
        Assert.That(result.Command.Parameter("size")!.Value, Is.EqualTo("1024"));
    }

    [Test]
    public void Accepts_a_space_after_the_colon_as_postfix_does()
    {
        var result = Parse("MAIL FROM: <a@b.example>");
        Assert.That(result.IsOk, Is.True);
        Assert.That(result.Command.Path!.Address, Is.EqualTo("a@b.example"));
    }

    [Test]
    public void Parses_bdat_size_and_last()
    {
        var result = Parse("BDAT 1234 last");
        Assert.That(result.Command.ChunkSize, Is.EqualTo(1234));
        Assert.That(result.Command.IsLastChunk, Is.True);
    }

    [Test]
    public void Keeps_the_bdat_size_even_when_the_rest_is_wrong_so_the_chunk_can_be_consumed()
    {
        var result = Parse("BDAT 7 NOTLAST");
        Assert.That(result.IsOk, Is.False);
        Assert.That(result.Command.ChunkSize, Is.EqualTo(7));
    }

    [Test]
    public void Refuses_nul_in_an_argument_without_truncating_it()
    {
        var result = Parse(Encoding.ASCII.GetBytes("MAIL FROM:<a@b.example>\0 SIZE=1"));
        Assert.That(result.Error!.Code, Is.EqualTo(501));
        Assert.That(result.Error.Lines[0], Does.Contain("NUL"));
        Assert.That(result.Command.Argument, Does.EndWith("SIZE=1"));
    }

    [TestCase("NOOP\r x")]
    [TestCase("NOOP\r")]
    [TestCase("MAIL\rFROM:<a@b.example>")]
    public void Refuses_a_bare_cr_glued_to_the_verb_with_501_and_keeps_the_verb(string line)
    {
        var result = Parse(line);
        Assert.That(result.Error!.Code, Is.EqualTo(501));
        Assert.That(result.Command.Verb, Is.Not.EqualTo(SmtpVerb.Unknown));
    }

    [Test]
    public void Refuses_a_bare_cr_inside_a_command()
    {
        var result = Parse("NOOP a\rb");
        Assert.That(result.Error!.Code, Is.EqualTo(501));
        Assert.That(result.Error.Lines[0], Does.Contain("bare CR"));
    }

    [Test]
    public void Answers_a_non_ascii_verb_with_500()
    {
        var result = Parse("ÉHLO x");
        Assert.That(result.Command.Verb, Is.EqualTo(SmtpVerb.Unknown));
        Assert.That(result.Error!.Code, Is.EqualTo(500));
    }

    [Test]
    public void Refuses_invalid_utf8_in_an_argument()
    {
        var result = Parse([.. "VRFY "u8.ToArray(), 0xC3, 0x28]);
        Assert.That(result.Error!.Code, Is.EqualTo(501));
        Assert.That(result.Error.Lines[0], Does.Contain("UTF-8"));
    }

    [Test]
    public void Applies_the_line_limit_by_verb_with_the_size_and_auth_allowance_for_mail()
    {
        var noop = "NOOP " + new string('x', 506); // 511 + CRLF = 513 octets
        Assert.That(Parse(noop).Error!.Code, Is.EqualTo(500));
        Assert.That(Parse(noop[..^1]).IsOk, Is.True);

        var mail = "MAIL FROM:<a@b.example> SIZE=1 AUTH=" + new string('x', 600);
        Assert.That(mail.Length + 2, Is.GreaterThan(512));
        Assert.That(Parse(mail).Error, Is.Null);
    }
}
