using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>The recipients of the original a request names.</summary>
internal static class OriginalRecipients
{
    /// <summary>
    /// The original's recipient <paramref name="address"/> names, compared without regard to case; an address the
    /// message never went to is the caller's mistake, refused with the addresses it did go to.
    /// </summary>
    public static Recipient Of(CapturedMessage original, string address) =>
        original.Recipients.FirstOrDefault(r => r.Address.Equals(address, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"'{address}' is not a recipient of message {original.Id} (its recipients: {string.Join(", ", original.Recipients.Select(r => r.Address))}).",
            nameof(address));
}
