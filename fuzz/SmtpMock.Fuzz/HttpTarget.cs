using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MimeKit;
using SmtpMock.Control.Api;
using SmtpMock.Control.Model;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Fuzz;

/// <summary>
/// The HTTP handlers' own parsing, without a server: the input's first byte picks what the rest is (a query string of
/// /api/v1/messages and /messages/wait, a PUT /api/v1/scenario body, a release body, a send body), and it goes through
/// the same calls the handler makes on an ASP.NET Core <see cref="DefaultHttpContext"/>. Oracles: nothing throws but
/// what the handler catches (a <see cref="JsonException"/>; for send an <see cref="InvalidOperationException"/> too);
/// every check either accepts or says why; accepted values are within their bounds; what the handler would answer
/// (the problem, the scenario view, the message it would send) serialises.
/// </summary>
public static class HttpTarget
{
    /// <summary>What each kind of input is, by the first byte modulo their count.</summary>
    public static readonly string[] Kinds = ["query", "scenario", "release", "send"];

    private static readonly CapturedMessage Kept = new(
        "kept", 1, new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero), "127.0.0.1:1", "fuzz.test",
        new MailPath("alice", "example.com", null), [], [new Recipient(new MailPath("bob", "example.com", null), [])],
        "Subject: Hello\r\nFrom: alice@example.com\r\n\r\nhi\r\n"u8.ToArray()) { Tls = "TLSv1.3 TLS_AES_256_GCM_SHA384", AuthenticatedUser = "tim", AuthMechanism = "PLAIN" };

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var body = input[1..];
        switch (Kinds[input[0] % Kinds.Length])
        {
            case "query":
                HttpQueryCheck.Run(Encoding.UTF8.GetString(body), Kept);
                break;
            case "scenario":
                Scenario(body);
                break;
            case "release":
                Release(body);
                break;
            default:
                Send(body);
                break;
        }
    }

    /// <summary>A request whose body is <paramref name="body"/>, sent as JSON.</summary>
    internal static DefaultHttpContext Request(byte[] body, string contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        return context;
    }

    private static void Scenario(byte[] body)
    {
        var context = Request(body, "application/yaml");
        var text = ScenarioApi.ReadBodyAsync(context.Request.Body, CancellationToken.None).GetAwaiter().GetResult();
        if (text is null || text.Length == 0)
        {
            if (text is null && body.Length <= SmtpMock.Server.Scenarios.YamlLimits.MaxOctets)
            {
                throw new OracleViolation($"a {body.Length}-octet body refused as too large");
            }

            return;
        }

        var (scenario, problems) = ScenarioTarget.Check(text, ScenarioApi.BodyFile);
        if (problems.Any(p => p.File != ScenarioApi.BodyFile))
        {
            throw new OracleViolation($"a problem placed in another file: {problems.First(p => p.File != ScenarioApi.BodyFile)}");
        }

        if (scenario is null)
        {
            Problem($"{problems.Count} problem(s); the previous scenario stays active", ScenarioApi.ProblemItems(problems));
        }
        else
        {
            var view = ScenarioApi.ViewOf(scenario, text, new Dictionary<int, int> { [0] = 1 }, [scenario.Name]);
            if (view.Rules.Length != scenario.Rules.Count)
            {
                throw new OracleViolation($"the view shows {view.Rules.Length} of {scenario.Rules.Count} rules");
            }

            JsonSerializer.Serialize(Stream.Null, view, ControlJson.Readable.ScenarioView);
        }
    }

    private static void Release(byte[] body)
    {
        ReleaseRequest? request;
        try
        {
            request = Request(body).Request.ReadFromJsonAsync(ControlJson.Readable.ReleaseRequest).AsTask().GetAwaiter().GetResult();
        }
        catch (JsonException e)
        {
            Problem(e.Message);
            return;
        }

        if (!ReleaseApi.TryRecipients(request, Kept, out var recipients, out var error))
        {
            Problem(error);
            return;
        }

        var expected = request?.To?.Length ?? Kept.Recipients.Count;
        if (recipients.Count != expected || recipients.Any(r => string.IsNullOrEmpty(r.Address)))
        {
            throw new OracleViolation($"{recipients.Count} recipients ({string.Join(", ", recipients)}) for {expected} addresses");
        }
    }

    private static void Send(byte[] body)
    {
        SendRequest? request;
        try
        {
            request = Request(body).Request.ReadFromJsonAsync(ControlJson.Readable.SendRequest).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            Problem(e.Message);
            return;
        }

        if (!SendApi.TryCompose(request, 100, out var from, out var message, out var error))
        {
            Problem(error);
            return;
        }

        if (message.To.Count != request!.To!.Length)
        {
            throw new OracleViolation($"{message.To.Count} recipients in the message for {request.To.Length} asked");
        }

        // What the self-SMTP client then does with it: the envelope addresses parsed again, the message written out.
        _ = MailboxAddress.Parse(from.Address);
        foreach (var to in message.To.Mailboxes)
        {
            _ = MailboxAddress.Parse(to.Address);
        }

        message.WriteTo(Stream.Null);
    }

    /// <summary>A 400 as the handler writes it: it must give a reason and serialise, whatever the client's text in it.</summary>
    public static void Problem(string detail) => Problem(detail, null);

    internal static void Problem(string detail, ProblemItem[]? items)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            throw new OracleViolation("a refusal without a reason");
        }

        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Type = Problems.Type, Title = "Bad request", Status = 400, Detail = detail };
        if (items is not null)
        {
            problem.Extensions[Problems.ItemsExtension] = items;
        }

        JsonSerializer.Serialize(Stream.Null, problem, ControlJson.Readable.ProblemDetails);
    }
}
