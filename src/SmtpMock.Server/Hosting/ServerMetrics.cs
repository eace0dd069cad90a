using System.Diagnostics.Metrics;
using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// The server's System.Diagnostics.Metrics instruments, on a meter of its own (two servers in one process never mix
/// their counts). Commands, replies and injected faults are read off the transcript lines; every instrument checks
/// <see cref="Instrument.Enabled"/> first, so with no listener a line costs a few field reads.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    /// <summary>The meter name every server's meter carries.</summary>
    public const string MeterName = "SmtpMock";

    private static readonly KeyValuePair<string, object?>[] VerbTags = Enum.GetValues<SmtpVerb>()
        .Select(v => new KeyValuePair<string, object?>("verb", v == SmtpVerb.Unknown ? "OTHER" : v.Keyword()))
        .ToArray();

    /// <summary>One tag per reply code 100-599, made once: counting a reply allocates nothing.</summary>
    private static readonly KeyValuePair<string, object?>[] CodeTags = Enumerable.Range(0, 500)
        .Select(i => new KeyValuePair<string, object?>("code", (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .ToArray();

    private readonly Counter<long> _sessions;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _bytes;

    internal ServerMetrics(SmtpMockServer server)
    {
        Meter = new Meter(MeterName, SmtpServerOptions.Version);
        _sessions = Meter.CreateCounter<long>("smtpmock.sessions", "{session}", "SMTP sessions accepted");
        _commands = Meter.CreateCounter<long>("smtpmock.commands", "{command}", "Command lines received, by verb");
        _replies = Meter.CreateCounter<long>("smtpmock.replies", "{reply}", "Replies sent, by code");
        _faults = Meter.CreateCounter<long>("smtpmock.faults.injected", "{reply}", "Replies a scenario rule wrote, by rule");
        _messages = Meter.CreateCounter<long>("smtpmock.messages.captured", "{message}", "Messages accepted and stored");
        _bytes = Meter.CreateCounter<long>("smtpmock.messages.bytes", "By", "Octets of the messages stored");
        Meter.CreateObservableUpDownCounter("smtpmock.connections.active", () => server.ActiveSessions, "{connection}", "Sessions open now");
        server.Messages.Captured += Captured;
    }

    /// <summary>This server's meter: listen to it (MeterListener, OpenTelemetry) by instance.</summary>
    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    internal void SessionStarted()
    {
        if (_sessions.Enabled)
        {
            _sessions.Add(1);
        }
    }

    internal void Line(TranscriptDirection direction, string text, string? rule)
    {
        if (direction == TranscriptDirection.In)
        {
            if (_commands.Enabled)
            {
                _commands.Add(1, VerbTags[(int)VerbOf(text)]);
            }

            return;
        }

        // A multi-line reply counts once, at its last line ("250 " not "250-"); raw bytes count as faults only.
        var last = direction == TranscriptDirection.Out && text.Length >= 3 && char.IsAsciiDigit(text[0]) && (text.Length == 3 || text[3] == ' ');
        if (last && _replies.Enabled)
        {
            var code = ((text[0] - '0') * 100) + ((text[1] - '0') * 10) + (text[2] - '0');
            if (code is >= 100 and <= 599 && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]))
            {
                _replies.Add(1, CodeTags[code - 100]);
            }
        }

        if (rule is not null && _faults.Enabled && (last || text.StartsWith("(raw)", StringComparison.Ordinal)))
        {
            _faults.Add(1, new KeyValuePair<string, object?>("rule", rule));
        }
    }

    private void Captured(CapturedMessage message)
    {
        if (_messages.Enabled)
        {
            _messages.Add(1);
        }

        if (_bytes.Enabled)
        {
            _bytes.Add(message.Size);
        }
    }

    private static SmtpVerb VerbOf(string line)
    {
        var end = line.IndexOf(' ', StringComparison.Ordinal);
        var word = end < 0 ? line.AsSpan() : line.AsSpan(0, end);
        if (word.Length > 8)
        {
            return SmtpVerb.Unknown;
        }

        Span<byte> ascii = stackalloc byte[8];
        var written = Encoding.ASCII.GetBytes(word, ascii);
        return SmtpVerbs.Recognise(ascii[..written]);
    }
}
