using System.Text;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Protocol.Grammar;

/// <summary>Turns one framed command line (terminator removed) into a <see cref="ParseResult"/>.</summary>
internal static class CommandParser
{
    /// <summary>RFC 1870 §3: a MAIL line may be 26 octets longer for SIZE; RFC 4954 §3: 500 more for AUTH=.</summary>
    public const int MailLineAllowance = 26 + 500;

    /// <summary>RFC 4954 §4: an AUTH command line (and a line answering a 334) may be 12288 octets, CRLF included.</summary>
    public const int AuthLineLength = 12288;

    /// <param name="line">The line without its CRLF or LF.</param>
    /// <param name="lineOctets">The line's length on the wire, terminator included.</param>
    /// <param name="maxLineOctets">The limit for a plain command line (RFC 5321: at least 512).</param>
    public static ParseResult Parse(ReadOnlySpan<byte> line, int lineOctets, int maxLineOctets)
    {
        // The verb ends at the first space, or at a bare CR glued to it ("NOOP\r x").
        var end = line.IndexOfAny((byte)' ', (byte)'\r');
        var verbBytes = end < 0 ? line : line[..end];
        var argBytes = end < 0 ? [] : line[end] == ' ' ? line[(end + 1)..] : line[end..];

        if (line.IsEmpty)
        {
            return Fail(new SmtpCommand(SmtpVerb.Unknown, string.Empty, string.Empty), StandardReplies.EmptyCommand);
        }

        if (!Ascii.IsValid(verbBytes))
        {
            var text = Encoding.UTF8.GetString(line);
            return Fail(new SmtpCommand(SmtpVerb.Unknown, text, string.Empty), StandardReplies.NonAsciiVerb);
        }

        var verb = SmtpVerbs.Recognise(verbBytes);
        var verbText = verb == SmtpVerb.Unknown ? Encoding.ASCII.GetString(verbBytes) : Keyword(verb, verbBytes);
        var argument = Encoding.UTF8.GetString(argBytes);
        var command = new SmtpCommand(verb, verbText, argument);

        if (line.Contains((byte)'\r'))
        {
            // A bare CR anywhere in a command line is refused as such, before the verb is judged.
            return Fail(command, StandardReplies.BareCrInCommand);
        }

        if (verb == SmtpVerb.Unknown)
        {
            return Fail(command, StandardReplies.CommandUnrecognized);
        }

        var allowance = verb == SmtpVerb.Mail ? MailLineAllowance : verb == SmtpVerb.Auth ? AuthLineLength - maxLineOctets : 0;
        if (lineOctets > maxLineOctets + Math.Max(0, allowance))
        {
            return Fail(command, StandardReplies.LineTooLong);
        }

        if (argBytes.Contains((byte)0))
        {
            return Fail(command, StandardReplies.NulInCommand);
        }

        if (!System.Text.Unicode.Utf8.IsValid(argBytes))
        {
            return Fail(command, StandardReplies.InvalidUtf8);
        }

        return verb switch
        {
            SmtpVerb.Ehlo or SmtpVerb.Helo => ParseHello(command),
            SmtpVerb.Mail => ParseMailOrRcpt(command, "FROM:", StandardReplies.MailSyntax, StandardReplies.BadSenderSyntax, allowNull: true),
            SmtpVerb.Rcpt => ParseMailOrRcpt(command, "TO:", StandardReplies.RcptSyntax, StandardReplies.BadRecipientSyntax, allowNull: false),
            SmtpVerb.Data or SmtpVerb.Rset or SmtpVerb.Quit or SmtpVerb.StartTls =>
                argument.Length == 0 ? Ok(command) : Fail(command, StandardReplies.NoArgumentsAllowed),
            SmtpVerb.Vrfy => argument.Trim().Length == 0 ? Fail(command, StandardReplies.VrfySyntax) : Ok(command),
            SmtpVerb.Bdat => ParseBdat(command),
            _ => Ok(command),
        };
    }

    private static ParseResult Ok(SmtpCommand command) => new(command, null);

    /// <summary>The keyword string without allocating when the client wrote it in capitals (the usual case).</summary>
    private static string Keyword(SmtpVerb verb, ReadOnlySpan<byte> written)
    {
        var keyword = verb.Keyword();
        return Ascii.Equals(written, keyword) ? keyword : Encoding.ASCII.GetString(written);
    }

    private static ParseResult Fail(SmtpCommand command, SmtpReply error) => new(command, error);

    private static ParseResult ParseHello(SmtpCommand command)
    {
        var domain = command.Argument.Trim();
        var end = domain.IndexOf(' ', StringComparison.Ordinal);
        if (end >= 0)
        {
            domain = domain[..end];
        }

        if (domain.Length == 0 || HasControl(domain))
        {
            return Fail(command, command.Verb == SmtpVerb.Ehlo ? StandardReplies.EhloSyntax : StandardReplies.HeloSyntax);
        }

        return Ok(command with { Domain = domain });
    }

    private static bool HasControl(string text)
    {
        foreach (var c in text.AsSpan())
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static ParseResult ParseMailOrRcpt(
        SmtpCommand command, string prefix, SmtpReply syntax, SmtpReply badAddress, bool allowNull)
    {
        var arg = command.Argument;
        if (!arg.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(command, syntax);
        }

        // RFC 5321 has no space after the colon; many clients send one, and Postfix accepts it: so do we.
        var rest = arg[prefix.Length..].TrimStart(' ');
        if (!PathParser.TryParse(rest, allowNull, allowPostmaster: !allowNull, out var path, out var used, out var why))
        {
            return Fail(command, new SmtpReply(badAddress.Code, badAddress.Enhanced, $"{badAddress.Lines[0]}: {why}"));
        }

        var tail = rest[used..];
        if (tail.Length > 0 && tail[0] != ' ')
        {
            return Fail(command, new SmtpReply(badAddress.Code, badAddress.Enhanced, $"{badAddress.Lines[0]}: text after >"));
        }

        if (tail.AsSpan().TrimStart(' ').IsEmpty)
        {
            // No parameters, the usual case: nothing to split, no list.
            return Ok(command with { Path = path });
        }

        var parameters = new List<EsmtpParameter>();
        foreach (var word in tail.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryParseParameter(word, out var parameter))
            {
                return Fail(command with { Path = path, Parameters = parameters }, StandardReplies.ParameterSyntax);
            }

            if (parameters.Any(p => p.Keyword.Equals(parameter.Keyword, StringComparison.OrdinalIgnoreCase)))
            {
                return Fail(command with { Path = path, Parameters = parameters }, StandardReplies.DuplicateParameter);
            }

            parameters.Add(parameter);
        }

        return Ok(command with { Path = path, Parameters = parameters });
    }

    /// <summary>esmtp-keyword ["=" esmtp-value]; keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-").</summary>
    private static bool TryParseParameter(string word, out EsmtpParameter parameter)
    {
        parameter = null!;
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        var keyword = eq < 0 ? word : word[..eq];
        string? value = eq < 0 ? null : word[(eq + 1)..];
        if (keyword.Length == 0 || !char.IsAsciiLetterOrDigit(keyword[0])
            || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return false;
        }

        if (value is not null && (value.Length == 0 || value.Any(c => c is < (char)33 or '=' or (char)127)))
        {
            return false;
        }

        parameter = new EsmtpParameter(keyword.ToUpperInvariant(), value);
        return true;
    }

    private static ParseResult ParseBdat(SmtpCommand command)
    {
        var words = command.Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0].Length > 18 || !words[0].All(char.IsAsciiDigit))
        {
            return Fail(command, StandardReplies.BdatSyntax);
        }

        // Once the size is known the chunk is consumed even when the rest of the line is wrong (RFC 3030 §2).
        command = command with { ChunkSize = long.Parse(words[0], System.Globalization.CultureInfo.InvariantCulture) };
        if (words.Length > 2 || (words.Length == 2 && !words[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(command, StandardReplies.BdatSyntax);
        }

        return Ok(command with { IsLastChunk = words.Length == 2 });
    }
}
