namespace SmtpMock.Server.Capture;

/// <summary>One recipient in an <see cref="EnvelopeFile"/>: its address and its RCPT parameters as <c>KEY=value</c> text.</summary>
internal sealed record EnvelopeRecipient(string Address, List<string> Parameters);
