using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using SmtpMock.Control.Model;

namespace SmtpMock.Control.Api;

/// <summary>
/// RFC 9457 problem answers as typed results, one shape for every endpoint, the request gate and the compatible APIs:
/// <c>about:blank</c> with our title and a detail that says what to do. They are written by the framework's
/// <see cref="IProblemDetailsService"/> (<c>AddProblemDetails</c>), as <c>application/problem+json</c>.
/// </summary>
internal static class Problems
{
    public const string Type = "about:blank";

    /// <summary>The extension a refused scenario lists its problems under, each with its place in the body.</summary>
    public const string ItemsExtension = "problems";

    public static ProblemHttpResult Of(int status, string title, string? detail = null, ProblemItem[]? items = null)
    {
        var problem = new ProblemDetails { Type = Type, Title = title, Status = status, Detail = detail };
        if (items is not null)
        {
            problem.Extensions[ItemsExtension] = items;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string what) => Of(StatusCodes.Status404NotFound, "Not found", what);

    public static ProblemHttpResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemHttpResult TimedOut(string detail) => Of(StatusCodes.Status408RequestTimeout, "Timed out", detail);

    /// <summary>503 with Retry-After: a bounded resource (wait calls, event streams) is all in use.</summary>
    public static ProblemHttpResult Busy(HttpResponse response, string detail)
    {
        response.Headers.RetryAfter = "1";
        return Of(StatusCodes.Status503ServiceUnavailable, "Busy", detail);
    }

    /// <summary>The 503 a wait call gets when <see cref="Hosting.ControlOptions.MaxWaits"/> are open.</summary>
    public static ProblemHttpResult TooManyWaits(HttpResponse response, int maxWaits) =>
        Busy(response, $"{maxWaits} wait calls are open at once: try again when one has answered");
}
