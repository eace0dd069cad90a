using System.Text;
using System.Text.Json;
using SmtpMock.Control.Api;
using SmtpMock.Control.Model;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Fuzz;

/// <summary>
/// Takes arbitrary bytes as a captured message's content (SMTP accepts any) and builds everything the API shows of it:
/// the kept summary (<see cref="ContentSummary"/>), the list entry, the detail view (headers, text, HTML, attachments
/// through MimeKit), each attachment's bytes and response headers, the log line's Subject, and their JSON. Oracles:
/// none of it throws; the list and the detail agree (subject, attachment count, HTML and text present); the snippet is
/// at most 200 UTF-8 octets and "...", with no whitespace runs or control characters; the X-Tags names are trimmed,
/// non-empty and each once; the attachment headers are what Kestrel can send (visible ASCII and tab); and the whole
/// allocates at most <see cref="AllocationBound"/> (a message that costs far more than its size is a finding).
/// </summary>
public static class MimeTarget
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);

    private static readonly Recipient[] Recipients =
        [new Recipient(new MailPath("b", "example.com", null), [new EsmtpParameter("NOTIFY", "NEVER")])];

    /// <summary>The most a message of <paramref name="octets"/> may allocate while it is summarised and shown.</summary>
    public static long AllocationBound(int octets) => (32L << 20) + (512L * octets);

    public static void Run(byte[] input)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var message = new CapturedMessage("fuzz", 1, At, "127.0.0.1:1", "fuzz.test", new MailPath("a", "example.com", null), [], Recipients, input);
        var summary = message.Summary;
        var listed = MessageViews.Summary(message, null);
        var detail = MessageViews.Detail(message, null, []);
        _ = SubjectReader.Find(input, 0, input.Length);
        CheckAgreement(summary, detail);
        CheckSnippet(summary.Snippet);
        CheckTags(summary.HeaderTags);

        var parts = message.Message.Attachments.ToList();
        for (var n = 0; n < parts.Count; n++)
        {
            _ = MessageViews.AttachmentBytes(parts[n]);
            var (declaredType, fileName) = MessageViews.AttachmentFile(parts[n], n);
            CheckHeaderValue("X-Attachment-Content-Type", declaredType);
            // The header the framework's file result writes for that download name.
            var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(fileName);
            CheckHeaderValue("Content-Disposition", disposition.ToString());
        }

        JsonSerializer.Serialize(Stream.Null, new MessagePage([listed], null), ControlJson.Readable.MessagePage);
        JsonSerializer.Serialize(Stream.Null, detail, ControlJson.Readable.MessageDetail);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (allocated > AllocationBound(input.Length))
        {
            throw new OracleViolation($"{allocated:N0} bytes allocated for a {input.Length:N0}-octet message");
        }
    }

    private static void CheckAgreement(ContentSummary summary, MessageDetail detail)
    {
        if (summary.Subject != detail.Subject)
        {
            throw new OracleViolation($"the list says subject '{summary.Subject}', the detail '{detail.Subject}'");
        }

        if (summary.Attachments != detail.Attachments.Length)
        {
            throw new OracleViolation($"the list counts {summary.Attachments} attachments, the detail has {detail.Attachments.Length}");
        }

        if (summary.HasHtml != detail.Html is not null || summary.HasText != detail.Text is not null)
        {
            throw new OracleViolation($"the list says html {summary.HasHtml}, text {summary.HasText}; the detail has html {detail.Html is not null}, text {detail.Text is not null}");
        }
    }

    public static void CheckSnippet(string snippet)
    {
        if (Encoding.UTF8.GetByteCount(snippet) > Snippets.MaxOctets + 3)
        {
            throw new OracleViolation($"a snippet of {Encoding.UTF8.GetByteCount(snippet)} octets");
        }

        for (var i = 0; i < snippet.Length; i++)
        {
            var c = snippet[i];
            if (char.IsControl(c) || (char.IsWhiteSpace(c) && (i == 0 || i == snippet.Length - 1 || char.IsWhiteSpace(snippet[i - 1]))))
            {
                throw new OracleViolation($"the snippet has U+{(int)c:X4} at {i}: '{snippet}'");
            }
        }
    }

    public static void CheckTags(IReadOnlyList<string> tags)
    {
        if (tags.Any(t => t.Length == 0 || t != t.Trim()) || tags.Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw new OracleViolation($"X-Tags read as [{string.Join("|", tags)}]");
        }
    }

    public static void CheckHeaderValue(string name, string value)
    {
        if (value.Any(c => c != '\t' && (c < 0x20 || c > 0x7E)))
        {
            throw new OracleViolation($"{name}: '{value}' has characters Kestrel refuses to send");
        }
    }
}
