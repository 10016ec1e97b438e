using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>Collects the formatted log messages of an in-process host (what the CLI prints on stderr).</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public string Text => string.Join("\n", _messages);

    public void Register(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    public ILogger CreateLogger(string categoryName) => new Logger(_messages);

    public void Dispose()
    {
        // The capture outlives the hosts it is registered in; there is nothing to release.
    }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
