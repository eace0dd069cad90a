using SmtpMock.Server.Relay;

namespace SmtpMock.Server.Hosting;

/// <summary>What happens after a message is accepted, and extra ports with scenarios of their own.</summary>
public sealed partial record SmtpServerOptions
{
    /// <summary>
    /// <c>--bounce-to HOST:PORT</c>: the bounces, auto-replies and complaints the server generates are also delivered
    /// there over SMTP (the application's own inbound server), besides being captured; null: captured only.
    /// </summary>
    public RelayTarget? BounceTo { get; init; }
}
