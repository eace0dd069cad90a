using SmtpMock.Tests.Shared;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>The webhook tests' wait: the shared deadline poll with their 30 s (a retry schedule takes a few seconds).</summary>
internal static class Until
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, Deadline, what);
}
