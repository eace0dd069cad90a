using System.Buffers;
using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>The steps of a dialog: the greeting, a command line, DATA content, a BDAT chunk; each ends in <see cref="Apply"/>.</summary>
internal sealed partial class SmtpSession
{
    private void Greet()
    {
        var greeting = new Outcome(_responder.Greeting, SessionState.Connected);
        var rule = _scenario?.Decide(ScenarioPoint.Connect, Context, null, inSequence: true);
        if (rule?.Reply is { IsPositiveCompletion: false } refusal)
        {
            // RFC 5321 §3.1: after a refusing greeting the server serves only QUIT (or closes, with 421).
            greeting = refusal.Code == 421 ? new Outcome(refusal, SessionState.Connected, SessionEffect.Close) : Outcome.Refuse(refusal, SessionState.Refused);
            rule = rule with { Reply = null };
        }

        Apply(null, ScenarioPoint.Connect, greeting, rule);
    }

    private bool Step(ref ReadOnlySequence<byte> buffer) => _mode switch
    {
        Mode.Command => TakeCommand(ref buffer),
        Mode.Data => TakeData(ref buffer),
        Mode.Auth => TakeAuthLine(ref buffer),
        _ => TakeChunk(ref buffer),
    };

    private bool TakeCommand(ref ReadOnlySequence<byte> buffer)
    {
        var status = _framer.TryRead(ref buffer, out var line, out var ending);
        if (status == LineStatus.Incomplete)
        {
            return false;
        }

        Context.Commands++;
        if (status == LineStatus.TooLong)
        {
            Note($"line over {_framer.MaxLineOctets} octets discarded");
            Apply(null, ScenarioPoint.Unknown, Outcome.Refuse(StandardReplies.LineTooLong, Context.State), null);
            return true;
        }

        var octets = (int)line.Length + (ending == LineEnding.CrLf ? 2 : 1);
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var parsed = CommandParser.Parse(bytes, octets, _options.MaxCommandLineLength);
        var command = parsed.Command;
        var text = Shown(command);
        Context.Transcript.Add(TranscriptDirection.In, text);
        SessionLog.LineIn(_logger, Context.Id, text);

        var point = ScenarioPoints.Of(command.Verb);
        if (ending == LineEnding.BareLf && _options.StrictLineEndings)
        {
            Apply(command, point, Outcome.Refuse(StandardReplies.BareLfInCommand, Context.State), null);
            return true;
        }

        var transition = StateTable.Lookup(Context.State, command.Verb);
        if (command.Verb == SmtpVerb.Bdat)
        {
            // The chunk follows the line at once; its reply comes after the last octet is read.
            _intake.BeginChunk(parsed, transition);
            _mode = Mode.Chunk;
            return true;
        }

        // After a refusing greeting no scenario speaks: only QUIT is served.
        var outcome = _responder.Respond(Context, parsed, transition);
        if (outcome.Effect == SessionEffect.BeginAuth)
        {
            outcome = BeginAuth(command);
        }

        var rule = Context.State == SessionState.Refused ? null : _scenario?.Decide(point, Context, command, transition.Allowed);
        Apply(command, point, outcome, rule);
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

    private bool TakeData(ref ReadOnlySequence<byte> buffer)
    {
        if (!_intake.ReadData(ref buffer))
        {
            if (!_bareLfDotNoted && _intake.Summary.BareLfDotLines > 0)
            {
                // Telnet or nc without -C: say once why the message has not ended (it never ends on LF.LF).
                _bareLfDotNoted = true;
                Note("a lone '.' ended by a bare LF does not end DATA: SMTP needs CRLF.CRLF (use telnet or nc -C)");
                SessionLog.BareLfDot(_logger, Context.Id);
            }

            return false;
        }

        _mode = Mode.Command;
        var content = _intake.Summary;
        Note($"DATA content: {content.Size} octets"
            + (content.BareLineEndings > 0 ? $", {content.BareLineEndings} bare CR/LF ({_intake.Policy.ToString().ToLowerInvariant()}; they never end the message)" : string.Empty)
            + (content.LineTooLong ? $", a line over {_options.MaxDataLineLength} octets" : string.Empty));
        var id = MessageIds.Next(_options.TimeProvider.GetUtcNow());
        Apply(null, ScenarioPoint.Message, DefaultResponder.EndOfData(content, id), _scenario?.Decide(ScenarioPoint.Message, Context, null, inSequence: true), id);
        return true;
    }

    private bool TakeChunk(ref ReadOnlySequence<byte> buffer)
    {
        if (!_intake.ReadChunk(ref buffer, Context))
        {
            return false;
        }

        _mode = Mode.Command;
        var (parsed, transition) = _intake.Chunk;
        var command = parsed.Command;
        Note($"BDAT chunk: {command.ChunkSize} octets");
        var inSequence = parsed.IsOk && transition.Allowed;
        var total = Context.ChunkedOctets;
        if (!inSequence)
        {
            // Octets of a refused chunk were consumed but belong to no message.
            Context.ChunkedOctets -= command.ChunkSize;
        }

        var last = inSequence && command.IsLastChunk;
        var id = last ? MessageIds.Next(_options.TimeProvider.GetUtcNow()) : string.Empty;
        var outcome = _responder.EndOfChunk(Context, parsed, transition, total, id);

        // The LAST chunk is where the message is judged: MESSAGE rules first, then BDAT rules.
        var rule = last ? _scenario?.Decide(ScenarioPoint.Message, Context, command, inSequence: true) : null;
        var point = rule is null ? ScenarioPoint.Bdat : ScenarioPoint.Message;
        rule ??= _scenario?.Decide(ScenarioPoint.Bdat, Context, command, transition.Allowed);
        Apply(command, point, outcome, rule, id);
        return true;
    }
}
