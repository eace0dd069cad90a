using System.Globalization;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>
/// Every TLS session ends with the server's close_notify (RFC 8446 §6.1). The client does what Exim with GnuTLS does:
/// QUIT and its own close_notify in one write, then it reads the 221 and waits for the server's alert; a socket closed
/// without it is what Exim logs as "TLS connection was non-properly terminated" (issue #19 item 7).
/// </summary>
[TestFixture]
public sealed class CloseNotifyTests : ExportedCertificateServer
{
    // OpenSSL through memory BIOs, so QUIT and close_notify leave in one write and the end is told apart exactly:
    // SSLZeroReturnError is the peer's close_notify, SSLEOFError a socket closed without one.
    private const string Client = """
        import socket, ssl, sys
        port, cafile, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        sock = socket.create_connection(('127.0.0.1', port), timeout=10)
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()

        def plain_reply():
            data = b''
            while not any(l[3:4] == b' ' for l in data.split(b'\r\n')):
                data += sock.recv(4096)
            return data

        def pump():
            data = outgoing.read()
            if data:
                sock.sendall(data)

        def receive():
            data = sock.recv(65536)
            if data:
                incoming.write(data)
            else:
                incoming.write_eof()

        def tls_reply():
            data = b''
            while not any(l[3:4] == b' ' for l in data.split(b'\r\n')):
                try:
                    data += tls.read(65536)
                except ssl.SSLWantReadError:
                    receive()
            return data

        if mode == 'starttls':
            plain_reply()
            sock.sendall(b'EHLO exim.test\r\n'); plain_reply()
            sock.sendall(b'STARTTLS\r\n'); plain_reply()
        tls = ssl.create_default_context(cafile=cafile).wrap_bio(incoming, outgoing, server_hostname='localhost')
        while True:
            try:
                tls.do_handshake(); break
            except ssl.SSLWantReadError:
                pump(); receive()
        pump()
        if mode == 'implicit':
            tls_reply()
        tls.write(b'EHLO exim.test\r\n'); pump(); tls_reply()
        tls.write(b'QUIT\r\n')
        try:
            tls.unwrap()
        except ssl.SSLWantReadError:
            pass
        pump()
        print(tls_reply().decode().strip())
        while True:
            try:
                if tls.read(65536) == b'':
                    print('close_notify'); break
            except ssl.SSLWantReadError:
                receive()
            except ssl.SSLZeroReturnError:
                print('close_notify'); break
            except ssl.SSLEOFError:
                print('closed without close_notify'); break
        """;

    [TestCase("starttls")]
    [TestCase("implicit")]
    public async Task Quit_with_the_clients_close_notify_gets_221_then_the_servers_close_notify(string mode)
    {
        await ExternalTool.RequireAsync("python3");
        var port = mode == "starttls" ? Server.EndPoint.Port : Server.TlsEndPoint!.Port;

        var result = await ExternalTool.RunAsync("python3", ["-c", Client, port.ToString(CultureInfo.InvariantCulture), Certificate, mode]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StandardOutput, Does.StartWith("221 2.0.0"), result.ToString());
        Assert.That(result.StandardOutput, Does.EndWith("close_notify\n").And.Not.Contain("without"), result.ToString());
    }
}
