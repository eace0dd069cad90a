namespace SmtpMock.Control.Model;

/// <summary>Times as every view and event shows them: UTC, whatever the server's clock zone.</summary>
internal static class ApiTime
{
    public static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();
}
