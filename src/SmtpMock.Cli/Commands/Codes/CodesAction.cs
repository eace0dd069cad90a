using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace SmtpMock.Cli.Commands.Codes;

internal static class CodesAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var json = parse.GetValue(CodesCommand.Json);
        var asked = parse.GetValue(CodesCommand.Code);
        if (asked is null)
        {
            await output.WriteAsync(json ? JsonSerializer.Serialize([.. ReplyCodeReference.All], ReplyCodeJson.Default.ReplyCodeArray) + "\n" : List()).ConfigureAwait(false);
            return 0;
        }

        var code = int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? ReplyCodeReference.Find(number) : null;
        if (code is null)
        {
            var known = string.Join(' ', ReplyCodeReference.All.Select(c => c.Code));
            await parse.InvocationConfiguration.Error.WriteLineAsync($"smtpmock: '{asked}' is not a reply code SmtpMock knows; try one of: {known}").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await output.WriteAsync(json ? JsonSerializer.Serialize(code, ReplyCodeJson.Default.ReplyCode) + "\n" : Describe(code)).ConfigureAwait(false);
        return 0;
    }

    private static string List()
    {
        // One format for the header and the rows, so the columns line up whatever their widths.
        const string Row = "{0,-4}  {1,-8}  {2,-8}  {3}";
        var lines = ReplyCodeReference.All.Select(c => string.Format(CultureInfo.InvariantCulture, Row, c.Code, Enhanced(c), c.Action, c.Title));
        return string.Join('\n', [string.Format(CultureInfo.InvariantCulture, Row, "code", "enhanced", "action", "meaning"), .. lines, "", "smtpmock codes CODE explains one in full, with a scenario that makes SmtpMock send it.", "", NetworkForms]);
    }

    /// <summary>Indents by two and wraps at word boundaries to fit a 100-column terminal.</summary>
    private static string Wrap(string text)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder("  ");
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 2 && line.Length + 1 + word.Length > 100)
            {
                lines.Add(line.ToString());
                line.Clear().Append("  ");
            }

            line.Append(line.Length > 2 ? " " : string.Empty).Append(word);
        }

        lines.Add(line.ToString());
        return string.Join('\n', lines);
    }

    private static string Enhanced(ReplyCode code) => code.Enhanced.Count == 0 ? "-" : code.Enhanced[0];

    /// <summary>The failure addresses and names for a 4xx/5xx code (on unless serve has --no-simulator), or nothing.</summary>
    private static string ZeroConfig(ReplyCode c) => c.ZeroConfig is [var atRcpt, var afterData]
        ? $"""

            Or with no scenario at all, use a failure address or name (a +label, {c.Code}+signup@, is kept and ignored):
              {"RCPT TO:<" + atRcpt + ">",-44}  refused at RCPT TO
              {"RCPT TO:<" + afterData + ">",-44}  RCPT accepted, the message refused after its final dot
              {"MAIL FROM:<" + atRcpt + ">",-44}  refused at MAIL FROM
              {"MAIL FROM:<" + afterData + ">",-44}  every message of the transaction refused after its dot
              {"AUTH with the user " + atRcpt,-44}  the login refused, whatever the password
              {$"EHLO {c.Code}.smtpmock.test",-44}  EHLO answered {c.Code}{(c.Code == 421 ? " (and the connection closed)" : string.Empty)}

            """.Replace("\r\n", "\n", StringComparison.Ordinal)
        : string.Empty;

    /// <summary>The failure addresses that are not a reply code: the network faults, listed under the table.</summary>
    private const string NetworkForms = """
        Failure addresses that are not a code (RCPT TO, or MAIL FROM; the domain smtpmock.test):
          hang@          no reply, no close, until the client gives up (or the data timeout)
          reset@         no reply; the connection is reset (TCP RST)
          reset-data@    accepted; the connection is reset after DATA's 354
          slow-200bps@   accepted; every reply from then on at 200 octets a second
          fragment@      accepted; every reply from then on 3 octets per write
          delay-10s@, greylist@, greylist-5s@, disconnect@, disconnect-data@ (docs/scenarios.md)
        EHLO nopipelining.nostarttls.noauth.nochunking.no8bitmime.size1000.smtpmock.test: only what is left is offered.
        AUTH user slow-3s@smtpmock.test: the login succeeds 3 s late.

        """;

    private static string Describe(ReplyCode c)
    {
        var enhanced = c.Enhanced.Count == 0 ? "none (3xx replies carry no enhanced code)" : string.Join(", ", c.Enhanced);
        var scenario = string.Join('\n', c.Scenario.TrimEnd('\n').Split('\n').Select(line => "  " + line));
        return $"""
            {c.Code} {c.Title}
            Enhanced codes: {enhanced}
            Client action:  {c.Action}

            What it means:
            {Wrap(c.Meaning)}
            When servers send it:
            {Wrap(c.WhenSent)}
            How clients react:
            {Wrap(c.Clients)}
            Make SmtpMock send it (save as a file, then smtpmock serve --scenario FILE):
            {scenario}
            {ZeroConfig(c)}
            """.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
