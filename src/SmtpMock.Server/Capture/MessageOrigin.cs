namespace SmtpMock.Server.Capture;

/// <summary>
/// What made a message the server generated itself after accepting another one: a bounce, an auto-reply or a
/// complaint (<see cref="Kind"/>), about the captured message <see cref="OriginalId"/>. Kept in the envelope, so every
/// store persists it beside the message and the API links the two both ways.
/// </summary>
public sealed record MessageOrigin(string Kind, string OriginalId);
