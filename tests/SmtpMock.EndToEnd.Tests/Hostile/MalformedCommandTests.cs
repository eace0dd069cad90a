using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Command lines with bytes no command may hold: a bare CR (501), a NUL (501, never truncated at the NUL), a verb
/// that is not ASCII (500). Each gets its one reply, changes nothing, and the session (and every other) goes on.
/// </summary>
[TestFixture]
public sealed class MalformedCommandTests
{
    private const string BareCr = "501 5.5.2 Syntax error: bare CR in command";
    private const string Nul = "501 5.5.2 Syntax error: NUL character in command";
    private const string NotAscii = "500 5.5.2 Command unrecognized: not ASCII";

    [TestCase("MAIL FROM:<a@example.com>\rRCPT TO:<b@example.org>", TestName = "Bare_CR_between_two_commands_in_MAIL_arguments")]
    [TestCase("MAIL FROM:<a@exa\rmple.com>", TestName = "Bare_CR_inside_the_MAIL_address")]
    [TestCase("MAIL FROM:<a@example.com> \r", TestName = "Bare_CR_just_before_CRLF")]
    [TestCase("NOOP \rQUIT", TestName = "Bare_CR_in_the_NOOP_argument")]
    [TestCase("NOOP\rQUIT", TestName = "Bare_CR_straight_after_the_verb")]
    [TestCase("RSET\r", TestName = "Bare_CR_ending_the_verb")]
    public async Task Bare_cr_inside_a_command_is_501_and_changes_nothing(string line)
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "bare-cr.test");

        Assert.That((await hostile.CommandAsync(line)).Single(), Is.EqualTo(BareCr));

        await server.AssertBystanderServedAsync("bare-cr");
        // Nothing the line held was acted on: no QUIT, no sender, no recipient.
        Assert.That((await hostile.CommandAsync("RCPT TO:<b@example.org>")).Single(), Does.StartWith("503 5.5.1"));
        await server.AssertTransactionAsync(hostile, "after-bare-cr");
    }

    [TestCase("MAIL FROM:<a\0b@example.com>", TestName = "Nul_inside_the_address")]
    [TestCase("MAIL FROM:<a@example.com>\0 SIZE=100", TestName = "Nul_after_the_address")]
    [TestCase("MAIL FROM:<a@example.com> SIZE=1\0", TestName = "Nul_at_the_end")]
    [TestCase("EHLO a\0b.test", TestName = "Nul_in_the_EHLO_domain")]
    [TestCase("NOOP \0", TestName = "Nul_as_the_NOOP_argument")]
    public async Task Nul_in_a_command_is_501_and_changes_nothing(string line)
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "nul.test");

        Assert.That((await hostile.CommandAsync(line)).Single(), Is.EqualTo(Nul));

        await server.AssertBystanderServedAsync("nul");
        Assert.That((await hostile.CommandAsync("RCPT TO:<b@example.org>")).Single(), Does.StartWith("503 5.5.1"), "the MAIL was not taken up to the NUL");
        var id = await server.AssertTransactionAsync(hostile, "after-nul");
        Assert.That(server.Messages.Find(id)!.Sender.Address, Is.EqualTo("after-nul@bystander.test"));
        var session = await QuitAsync(server, hostile, "nul.test");
        Assert.That(session.ClientLines(), Has.Some.Contains("\0"), "the transcript keeps the whole line, NUL included");
    }

    [TestCase("ÉHLO client.test", TestName = "Latin_capital_E_acute")]
    [TestCase("МAIL FROM:<a@example.com>", TestName = "Cyrillic_EM_looking_like_M")]
    [TestCase("ＮＯＯＰ", TestName = "Fullwidth_NOOP")]
    [TestCase("QUIT\u00a0", TestName = "QUIT_with_a_no_break_space")]
    public async Task A_non_ascii_verb_is_500_and_the_session_goes_on(string line)
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "non-ascii.test");

        Assert.That((await hostile.CommandAsync(line)).Single(), Is.EqualTo(NotAscii));

        await server.AssertBystanderServedAsync("non-ascii");
        Assert.That((await hostile.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
        await server.AssertTransactionAsync(hostile, "after-non-ascii");
    }

    [Test]
    public async Task A_verb_of_invalid_utf8_is_500_and_the_session_goes_on()
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "invalid-utf8.test");

        await hostile.WriteAsync([0xFF, 0xFE, (byte)'L', (byte)'O', (byte)' ', (byte)'x', (byte)'\r', (byte)'\n']);
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo(NotAscii));

        await server.AssertBystanderServedAsync("invalid-utf8");
        Assert.That((await hostile.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
    }

    private static async Task<SessionContext> QuitAsync(SmtpMockServer server, WireClient client, string helo)
    {
        Assert.That((await client.CommandAsync("QUIT")).Single(), Does.StartWith("221 2.0.0"));
        Assert.That(await client.ReadUntilClosedAsync(), Is.Empty);
        return await server.WaitForSessionAsync(1, helo);
    }
}
