using System.CommandLine;
using System.Globalization;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>serve's <c>--seed N</c>: the draws of the scenarios the compatible APIs build (Mailpit's chaos, MailHog's Jim) repeat run after run.</summary>
internal static class SeedOption
{
    public static readonly Option<int?> Seed = new("--seed")
    {
        Description = "Seed the random draws of scenarios built from a compatible API (Mailpit's chaos, MailHog's Jim): the same failures on every run",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
            {
                return seed;
            }

            result.AddError($"--seed '{text}' is not a whole number (e.g. --seed 42)");
            return null;
        },
    };
}
