using SmtpMock.Protocol.Replies;

namespace SmtpMock.Protocol.Grammar;

/// <summary>
/// A parsed line: always a command (possibly <see cref="SmtpVerb.Unknown"/>), and an error reply when the line
/// is not acceptable as written. Client input never throws.
/// </summary>
internal readonly record struct ParseResult(SmtpCommand Command, SmtpReply? Error)
{
    public bool IsOk => Error is null;
}
