using MimeKit;
using MimeKit.IO;
using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Capture;

/// <summary>One recipient as the client gave it in RCPT TO.</summary>
public sealed record Recipient(MailPath Path, IReadOnlyList<EsmtpParameter> Parameters)
{
    public string Address => Path.Address;
}

/// <summary>
/// A message the server accepted with 250: its envelope, where it came from, and its exact bytes (after the
/// transparency dots were removed). MimeKit parses the bytes only when <see cref="Message"/> is first read.
/// </summary>
public sealed class CapturedMessage
{
    private ContentSummary? _summary;
    private IReadOnlyList<string>? _tags;
    private readonly byte[]? _raw;
    private readonly Func<Stream>? _open;
    private int _read;

    public CapturedMessage(
        string id,
        long sessionId,
        DateTimeOffset receivedAt,
        string client,
        string heloName,
        MailPath sender,
        IReadOnlyList<EsmtpParameter> senderParameters,
        IReadOnlyList<Recipient> recipients,
        byte[] raw)
        : this(id, sessionId, receivedAt, client, heloName, sender, senderParameters, recipients, raw, null)
    {
    }

    /// <summary>A message whose content is either in memory (<paramref name="raw"/>) or in a file.</summary>
    internal CapturedMessage(
        string id,
        long sessionId,
        DateTimeOffset receivedAt,
        string client,
        string heloName,
        MailPath sender,
        IReadOnlyList<EsmtpParameter> senderParameters,
        IReadOnlyList<Recipient> recipients,
        byte[]? raw,
        string? contentFile)
    {
        Id = id;
        SessionId = sessionId;
        ReceivedAt = receivedAt;
        Client = client;
        HeloName = heloName;
        Sender = sender;
        SenderParameters = senderParameters;
        Recipients = recipients;
        _raw = raw;
        ContentFile = contentFile;
        Size = raw?.LongLength ?? new FileInfo(contentFile!).Length;
    }

    /// <summary>
    /// A message whose content is read on demand from elsewhere (a database): <paramref name="openContent"/> opens it
    /// each time it is needed, and the summary, when the store saved one, saves parsing it for a list.
    /// </summary>
    public CapturedMessage(MessageEnvelope envelope, long size, Func<Stream> openContent, ContentSummary? summary)
        : this(envelope.Id, envelope.SessionId, envelope.ReceivedAt, envelope.Client, envelope.HeloName, envelope.Sender, envelope.SenderParameters, envelope.Recipients, [], null)
    {
        ArgumentNullException.ThrowIfNull(openContent);
        _raw = null;
        _open = openContent;
        Size = size;
        _summary = summary;
        Tls = envelope.Tls;
        AuthenticatedUser = envelope.AuthenticatedUser;
        AuthMechanism = envelope.AuthMechanism;
        Origin = envelope.Origin;
    }

    public string Id { get; }

    public long SessionId { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The client's address and port.</summary>
    public string Client { get; }

    /// <summary>The name the client gave in EHLO or HELO.</summary>
    public string HeloName { get; }

    /// <summary>MAIL FROM's reverse-path (<see cref="MailPath.Null"/> for bounces).</summary>
    public MailPath Sender { get; }

    /// <summary>MAIL FROM's ESMTP parameters (SIZE, BODY, SMTPUTF8...).</summary>
    public IReadOnlyList<EsmtpParameter> SenderParameters { get; }

    public IReadOnlyList<Recipient> Recipients { get; }

    /// <summary>
    /// The content exactly as stored: what the client sent, dot-unstuffed. A large message captured with a store
    /// directory lives on disk and is read each time this is asked for; <see cref="OpenContent"/> streams it.
    /// </summary>
    public ReadOnlyMemory<byte> Raw => _raw ?? (_open is null ? File.ReadAllBytes(ContentFile!) : ReadAll());

    /// <summary>The content's size in octets.</summary>
    public long Size { get; }

    /// <summary>Where the content is on disk, when it is not kept in memory.</summary>
    public string? ContentFile { get; internal set; }

    /// <summary>Octets this message holds in memory (what the in-memory store's budget counts).</summary>
    public long MemorySize => _raw?.LongLength ?? 0;

    /// <summary>Reads the content without loading it whole.</summary>
    public Stream OpenContent() => _raw is not null
        ? new MemoryStream(_raw, writable: false)
        : _open?.Invoke() ?? new FileStream(ContentFile!, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024);

    /// <summary>The TLS protocol and cipher it came over (<c>TLSv1.3 TLS_AES_256_GCM_SHA384</c>), or null for plaintext.</summary>
    public string? Tls { get; init; }

    /// <summary>The protocol part of <see cref="Tls"/> (<c>TLSv1.3</c>), or null for plaintext.</summary>
    public string? TlsProtocol => Tls?.Split(' ', 2)[0];

    /// <summary>The cipher suite part of <see cref="Tls"/> (<c>TLS_AES_256_GCM_SHA384</c>), or null for plaintext.</summary>
    public string? TlsCipherSuite => Tls?.Split(' ', 2) is [_, var cipher] ? cipher : null;

    /// <summary>It came over TLS (STARTTLS or the implicit TLS port).</summary>
    public bool IsSecure => Tls is not null;

    /// <summary>Who had authenticated with AUTH when it was sent, or null.</summary>
    public string? AuthenticatedUser { get; init; }

    /// <summary>The SASL mechanism of that AUTH (<c>PLAIN</c>, <c>LOGIN</c>...), or null.</summary>
    public string? AuthMechanism { get; init; }

    /// <summary>What generated it when the server did (a bounce, an auto-reply, a complaint about another message); null for a client's message.</summary>
    public MessageOrigin? Origin { get; init; }

    /// <summary>
    /// The content parsed by MimeKit, anew on every call: the tree is not kept (it can be many times the message's size
    /// and no budget counted it). Keep the result while you need it; <see cref="Summary"/> has what a list shows.
    /// </summary>
    public MimeMessage Message => Parse(static message => message, persistent: false);

    /// <summary>Subject, addresses, attachment count, snippet...: parsed once on first use, then kept (a few hundred octets).</summary>
    public ContentSummary Summary => Volatile.Read(ref _summary) ?? Interlocked.CompareExchange(ref _summary, ContentSummary.Read(this), null) ?? _summary!;

    /// <summary>Someone opened it (the page, <c>GET /api/messages/{id}</c>, a Mailpit or MailHog client) or marked it read.</summary>
    public bool Read
    {
        get => Volatile.Read(ref _read) != 0;
        init => _read = value ? 1 : 0;
    }

    /// <summary>
    /// Its tags: as captured, what <see cref="MessageTags.Of"/> finds (<c>X-Tags</c>, plus-address labels, the AUTH user);
    /// then whatever a client set through the API.
    /// </summary>
    public IReadOnlyList<string> Tags
    {
        get => Volatile.Read(ref _tags) ?? Interlocked.CompareExchange(ref _tags, MessageTags.Of(this), null) ?? _tags!;
        init => _tags = value;
    }

    /// <summary>The text of its body (the text part, else the HTML's text), parsed anew on each call: what a body search reads.</summary>
    public string BodyText => Parse(static m => SearchText.BodyOf(m) ?? string.Empty);

    /// <summary>Marks it read or unread (the memory store's message is the kept one); true when that changed it.</summary>
    internal bool MarkRead(bool read) => Interlocked.Exchange(ref _read, read ? 1 : 0) != (read ? 1 : 0);

    /// <summary>Gives it these tags (already cleaned).</summary>
    internal void SetTags(IReadOnlyList<string> tags) => Volatile.Write(ref _tags, tags);

    /// <summary>A summary a store already has (saved beside the message), so it is not parsed again.</summary>
    internal void KnowSummary(ContentSummary summary) => Interlocked.CompareExchange(ref _summary, summary, null);

    /// <summary>
    /// Parses the content and reads what <paramref name="read"/> needs while it is open. A large message on disk is
    /// parsed in place (<paramref name="persistent"/>: parts read from the file, not copied), so its tree must not be
    /// used after <paramref name="read"/> returns.
    /// </summary>
    internal T Parse<T>(Func<MimeMessage, T> read, bool persistent = true)
    {
        using var content = OpenContent();
        MimeMessage loaded;
        try
        {
            loaded = MimeMessage.Load(content, persistent && ContentFile is not null);
        }
        catch (FormatException)
        {
            loaded = LoadWithoutHeaders();
        }

        return read(loaded);
    }

    /// <summary>
    /// SMTP accepts any content (an empty message, a first line without a colon) but MimeKit wants a header block
    /// first and throws; one such message made the HTTP API's message list answer 500. The content is read as the
    /// body of a message with no headers instead, so it can still be listed, searched and shown.
    /// </summary>
    private byte[] ReadAll()
    {
        using var content = OpenContent();
        using var copy = new MemoryStream(checked((int)Size));
        content.CopyTo(copy);
        return copy.ToArray();
    }

    private MimeMessage LoadWithoutHeaders()
    {
        using var content = new ChainedStream();
        content.Add(new MemoryStream("\r\n"u8.ToArray(), writable: false));
        content.Add(OpenContent());
        return MimeMessage.Load(content);
    }
}
