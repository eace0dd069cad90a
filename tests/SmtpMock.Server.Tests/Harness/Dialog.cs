namespace SmtpMock.Server.Tests.Harness;

/// <summary>Short dialog helpers for session tests.</summary>
internal static class Dialog
{
    public const string Ehlo = "EHLO client.test\r\n";
    public const string Mail = "MAIL FROM:<alice@example.com>\r\n";
    public const string Rcpt = "RCPT TO:<bob@example.com>\r\n";
    public const string Message = "Subject: test\r\n\r\nHello\r\n.\r\n";

    /// <summary>Runs the dialog whole, per line and per byte, and asserts the replies after the greeting.</summary>
    public static async Task<DriveResult> ExpectAsync(string dialog, params string[] codes) =>
        await ExpectAsync(dialog, null, codes);

    public static async Task<DriveResult> ExpectAsync(string dialog, Hosting.SmtpServerOptions? options, params string[] codes)
    {
        var result = await SessionDriver.RunAllSplitsAsync(dialog, options);
        Assert.That(result.Codes, Is.EqualTo(codes), result.Output);
        return result;
    }
}
