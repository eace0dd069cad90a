using System.Buffers;
using System.Text;
using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>
/// Framing, synchronous over each read: the buffer is cut into steps (a command line, the end of DATA content, a whole
/// BDAT chunk, an answer to a 334), each a value the asynchronous half then decides and carries out.
/// </summary>
internal sealed partial class SmtpSession
{
    private enum StepKind
    {
        Command,
        EndOfData,
        Chunk,
        AuthLine,
    }

    /// <summary>One framed step: what the asynchronous half needs, and nothing of the read buffer.</summary>
    private readonly record struct Step(StepKind Kind, ParseResult? Parsed = null, Outcome? Refusal = null, bool InSequence = true, string? AuthText = null);

    /// <summary>Cuts the next step from the buffer; false when the buffer holds no complete one yet.</summary>
    private bool TryTake(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        if (_intake.ChunkPending)
        {
            return TakeChunk(ref buffer, out step);
        }

        return Context.State switch
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

        Context.Commands++;
        if (status == LineStatus.TooLong)
        {
            Note($"line over {_framer.MaxLineOctets} octets discarded");
            step = new Step(StepKind.Command, Refusal: Outcome.Refuse(StandardReplies.LineTooLong));
            return true;
        }

        var octets = (int)line.Length + (ending == LineEnding.CrLf ? 2 : 1);
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var parsed = CommandParser.Parse(bytes, octets, _options.MaxCommandLineLength);
        var command = parsed.Command;
        _events.Command(command.Verb, Shown(command), authResponse: false);
        if (ending == LineEnding.BareLf && _options.StrictLineEndings)
        {
            step = new Step(StepKind.Command, parsed, Outcome.Refuse(StandardReplies.BareLfInCommand));
            return true;
        }

        var allowed = StateTable.IsAllowed(Context.State, command.Verb);
        if (command.Verb == SmtpVerb.Bdat)
        {
            // The chunk follows the line at once; its reply comes after the last octet is read.
            _intake.BeginChunk(parsed, parsed.IsOk && allowed);
            return TakeChunk(ref buffer, out step);
        }

        step = new Step(StepKind.Command, parsed, InSequence: allowed);
        return true;
    }

    /// <summary>
    /// A command line as the transcript and the log show it: an AUTH line (however it is spelled) with its secret masked,
    /// and right after a refused AUTH, a lone base64 word (a client sending credentials nobody asked for).
    /// </summary>
    private string Shown(SmtpCommand command)
    {
        var line = command.ToString();
        var afterRefusedAuth = _linesAfterRefusedAuth > 0;
        _linesAfterRefusedAuth = Math.Max(0, _linesAfterRefusedAuth - 1);
        if (AuthRedaction.IsAuthLine(line))
        {
            return AuthRedaction.Command(line);
        }

        return afterRefusedAuth && command.Verb == SmtpVerb.Unknown && AuthRedaction.LooksLikeCredential(line) ? AuthRedaction.Mask : line;
    }

    private bool TakeData(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        step = default;
        if (!_intake.ReadData(ref buffer))
        {
            if (!_bareLfDotNoted && _intake.Summary.BareLfDotLines > 0)
            {
                // Telnet or nc without -C: say once why the message has not ended (it never ends on LF.LF).
                _bareLfDotNoted = true;
                Note("a lone '.' ended by a bare LF does not end DATA: SMTP needs CRLF.CRLF (use telnet or nc -C)");
                SessionLog.BareLfDot(_events.Logger, Context.Id);
            }

            return false;
        }

        var content = _intake.Summary;
        Note($"DATA content: {content.Size} octets"
            + (content.BareLineEndings > 0 ? $", {content.BareLineEndings} bare CR/LF ({_intake.Policy.ToString().ToLowerInvariant()}; they never end the message)" : string.Empty)
            + (content.LineTooLong ? $", a line over {_options.MaxDataLineLength} octets" : string.Empty));
        step = new Step(StepKind.EndOfData);
        return true;
    }

    private bool TakeChunk(ref ReadOnlySequence<byte> buffer, out Step step)
    {
        step = default;
        if (!_intake.ReadChunk(ref buffer, Context))
        {
            return false;
        }

        var parsed = _intake.ChunkCommand;
        Note($"BDAT chunk: {parsed.Command.ChunkSize} octets");
        var inSequence = _intake.ChunkAccepted;
        if (!inSequence)
        {
            // Octets of a refused chunk were consumed but belong to no message.
            Context.ChunkedOctets -= parsed.Command.ChunkSize;
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

        Context.AuthResponses++;
        if (status == LineStatus.TooLong)
        {
            Note($"AUTH line over {_framer.MaxLineOctets} octets discarded");
            step = new Step(StepKind.AuthLine, Refusal: new Outcome(SecurityReplies.AuthLineTooLong, SessionEffect.AuthEnded));
            return true;
        }

        var text = Encoding.UTF8.GetString(line);
        _events.Command(SmtpVerb.Auth, AuthRedaction.Continuation(text), authResponse: true);
        step = new Step(StepKind.AuthLine, AuthText: text);
        return true;
    }
}
