using System.Net;

namespace SmtpMock.Server.Hosting;

/// <summary>An extra SMTP port whose sessions run a loaded scenario of their own (<c>--listen PORT=SCENARIO</c>), whatever is active.</summary>
public sealed record ScenarioListener(IPEndPoint EndPoint, string Scenario);
