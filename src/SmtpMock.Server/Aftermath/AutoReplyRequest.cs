namespace SmtpMock.Server.Aftermath;

/// <summary>Which recipient answers automatically, and with what.</summary>
internal sealed record AutoReplyRequest(string Responder)
{
    /// <summary>RFC 3834 §3.1.5 suggests <c>Auto:</c>; an out-of-office notice may say <c>Out of office:</c>.</summary>
    public string SubjectPrefix { get; init; } = "Auto:";

    public string Text { get; init; } = "I am out of the office and have no access to my mail. I will read your message when I am back.\n\nThis is an automatic reply.";

    /// <summary>An out-of-office notice, as <c>ooto@smtpmock.test</c> sends it.</summary>
    public static AutoReplyRequest OutOfOffice(string responder) => new(responder) { SubjectPrefix = "Out of office:" };
}
