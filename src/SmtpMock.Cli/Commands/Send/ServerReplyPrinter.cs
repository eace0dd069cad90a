using System.Text;
using MailKit;

namespace SmtpMock.Cli.Commands.Send;

/// <summary>
/// A MailKit protocol logger that prints only what the server says, one reply line per output line, so the
/// user sees every reply (the 220, each EHLO line, each 250 or refusal) and not the message being sent.
/// </summary>
internal sealed class ServerReplyPrinter(TextWriter output) : IProtocolLogger
{
    private readonly StringBuilder _partial = new();

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        // Replies can arrive split across reads, or several in one: print complete lines only.
        _partial.Append(Encoding.UTF8.GetString(buffer, offset, count));
        var text = _partial.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }

        foreach (var line in text[..end].Split('\n'))
        {
            output.WriteLine(line.TrimEnd('\r'));
        }

        _partial.Clear().Append(text[(end + 1)..]);
    }

    public void Dispose()
    {
        if (_partial.Length > 0)
        {
            output.WriteLine(_partial.ToString());
            _partial.Clear();
        }
    }
}
