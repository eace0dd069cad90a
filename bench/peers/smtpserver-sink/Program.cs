// smtpserver-sink PORT: the SmtpServer 11.1.0 package as a bare sink on 127.0.0.1, a peer in bench/compare.sh.
// It is what a .NET user would write instead of using SmtpMock: a message store that discards what it is given and
// a mailbox filter that accepts anyone. It keeps nothing and logs nothing. Loopback only.
using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

if (args.Length != 1 || !int.TryParse(args[0], out var port) || port is < 1 or > 65535)
{
    Console.Error.WriteLine("usage: smtpserver-sink PORT (listens on 127.0.0.1)");
    return 2;
}

// As SmtpMock and the .NET floor do: socket continuations run on the epoll thread, no thread-pool hop per reply.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
// And on half the cores' epoll threads (at least one), as SmtpMock's CLI sets it: the same runtime tuning for all.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));

var options = new SmtpServerOptionsBuilder()
    .ServerName("smtpserver.test")
    .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
    .Build();
var services = new SmtpServer.ComponentModel.ServiceProvider();
services.Add(new DiscardingStore());
services.Add(new AnyMailbox());
var server = new SmtpServer.SmtpServer(options, services);
Console.WriteLine($"smtpserver-sink (SmtpServer 11.1.0) listening on 127.0.0.1:{port}");
await server.StartAsync(CancellationToken.None);
return 0;

/// <summary>Throws every message away, as smtp-sink does.</summary>
internal sealed class DiscardingStore : MessageStore
{
    private static readonly Task<SmtpResponse> Ok = Task.FromResult(SmtpResponse.Ok);

    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
        ReadOnlySequence<byte> buffer, CancellationToken cancellationToken) => Ok;
}

/// <summary>Accepts any sender and any recipient.</summary>
internal sealed class AnyMailbox : IMailboxFilter
{
    private static readonly Task<bool> Yes = Task.FromResult(true);

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size,
        CancellationToken cancellationToken) => Yes;

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from,
        CancellationToken cancellationToken) => Yes;
}
