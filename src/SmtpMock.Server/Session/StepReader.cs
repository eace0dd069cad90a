using System.Buffers;
using System.Text;
using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

internal enum StepKind
{
    Command,
    EndOfData,
    Chunk,
    AuthLine,
}

/// <summary>One framed step: what the asynchronous half needs, and nothing of the read buffer.</summary>
internal readonly record struct Step(StepKind Kind, ParseResult? Parsed = null, Outcome? Refusal = null, bool InSequence = true, string? AuthText = null);

/// <summary>
/// Framing, synchronous over each read: the buffer is cut into steps (a command line, the end of DATA content, a whole
/// BDAT chunk, an answer to a 334), each a value the asynchronous half (<see cref="SessionDialog"/>) then decides and
/// carries out. What it reads depends on the state: content after 354 or in a chunk, a line in answer to a 334, or a
/// command. Every line read is told to the observers (AUTH secrets masked).
/// </summary>
internal sealed class StepReader(SessionOptions options, SessionContext context, MessageIntake intake, SessionAuth auth, SessionEvents events)
{
    // RFC 4954 §4: AUTH lines and their continuations may be 12288 octets; the parser holds other verbs to less.
    private readonly LineFramer _framer = new(Math.Max(options.MaxCommandLineLength + CommandParser.MailLineAllowance, options.AuthOffered ? CommandParser.AuthLineLength : 0));
    private bool _bareLfDotNoted;

    /// <summary>Cuts the next step from the buffer; false when the buffer holds no complete one yet.</summary>
    public bool TryTake(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        if (intake.ChunkPending)
        {
            return TakeChunk(ref buffer, out step);
        }

        return context.State switch
        {
            SessionState.ReceivingData => TakeData(ref buffer, out step),
            SessionState.Authenticating => TakeAuthLine(ref buffer, out step),
            _ => TakeCommand(ref buffer, out step),
        };
    }

    private bool TakeCommand(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        step = default;
        var status = _framer.TryRead(ref buffer, out var line, out var ending);
        if (status == LineStatus.Incomplete)
        {
            return false;
        }

        context.Commands++;
        if (status == LineStatus.TooLong)
        {
            events.Note($"line over {_framer.MaxLineOctets} octets discarded");
            step = new Step(StepKind.Command, Refusal: Outcome.Refuse(StandardReplies.LineTooLong));
            return true;
        }

        var octets = (int)line.Length + (ending == LineEnding.CrLf ? 2 : 1);
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var parsed = CommandParser.Parse(bytes, octets, options.MaxCommandLineLength);
        var command = parsed.Command;
        events.Command(command.Verb, auth.Shown(command), authResponse: false);
        if (ending == LineEnding.BareLf && options.StrictLineEndings)
        {
            step = new Step(StepKind.Command, parsed, Outcome.Refuse(StandardReplies.BareLfInCommand));
            return true;
        }

        var allowed = StateTable.IsAllowed(context.State, command.Verb);
        if (command.Verb == SmtpVerb.Bdat)
        {
            // The chunk follows the line at once; its reply comes after the last octet is read.
            intake.BeginChunk(parsed, parsed.IsOk && allowed);
            return TakeChunk(ref buffer, out step);
        }

        step = new Step(StepKind.Command, parsed, InSequence: allowed);
        return true;
    }

    private bool TakeData(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        step = default;
        if (!intake.ReadData(ref buffer))
        {
            if (!_bareLfDotNoted && intake.Summary.BareLfDotLines > 0)
            {
                // Telnet or nc without -C: say once why the message has not ended (it never ends on LF.LF).
                _bareLfDotNoted = true;
                events.Note("a lone '.' ended by a bare LF does not end DATA: SMTP needs CRLF.CRLF (use telnet or nc -C)");
                SessionLog.BareLfDot(events.Logger, context.Id);
            }

            return false;
        }

        var content = intake.Summary;
        events.Note($"DATA content: {content.Size} octets"
            + (content.BareLineEndings > 0 ? $", {content.BareLineEndings} bare CR/LF ({intake.Policy.ToString().ToLowerInvariant()}; they never end the message)" : string.Empty)
            + (content.LineTooLong ? $", a line over {options.MaxDataLineLength} octets" : string.Empty));
        step = new Step(StepKind.EndOfData);
        return true;
    }

    private bool TakeChunk(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        step = default;
        if (!intake.ReadChunk(ref buffer, context))
        {
            return false;
        }

        var parsed = intake.ChunkCommand;
        events.Note($"BDAT chunk: {parsed.Command.ChunkSize} octets");
        var inSequence = intake.ChunkAccepted;
        if (!inSequence)
        {
            // Octets of a refused chunk were consumed but belong to no message.
            context.ChunkedOctets -= parsed.Command.ChunkSize;
        }

        step = new Step(StepKind.Chunk, parsed, InSequence: inSequence);
        return true;
    }

    /// <summary>A line in answer to a 334: never a command, never parsed as one (RFC 4954 §4).</summary>
    private bool TakeAuthLine(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        step = default;
        var status = _framer.TryRead(ref buffer, out var line, out _);
        if (status == LineStatus.Incomplete)
        {
            return false;
        }

        context.AuthResponses++;
        if (status == LineStatus.TooLong)
        {
            events.Note($"AUTH line over {_framer.MaxLineOctets} octets discarded");
            step = new Step(StepKind.AuthLine, Refusal: new Outcome(SecurityReplies.AuthLineTooLong, SessionEffect.AuthEnded));
            return true;
        }

        var text = Encoding.UTF8.GetString(line);
        events.Command(SmtpVerb.Auth, AuthRedaction.Continuation(text), authResponse: true);
        step = new Step(StepKind.AuthLine, AuthText: text);
        return true;
    }
}
