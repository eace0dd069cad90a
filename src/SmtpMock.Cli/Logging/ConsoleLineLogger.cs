using System.Text;
using Microsoft.Extensions.Logging;

namespace SmtpMock.Cli.Logging;

/// <summary>One category's logger: formats the event's message and hands it to the batching provider.</summary>
internal sealed class ConsoleLineLogger(BatchingConsoleLoggerProvider provider, string category) : ILogger
{
    private readonly byte[] _category = Encoding.UTF8.GetBytes(category);

    // Levels are filtered by the LoggerFactory (SetMinimumLevel) before a call gets here.
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        provider.Append(logLevel, _category, eventId.Id, formatter(state, exception), exception);
    }
}
