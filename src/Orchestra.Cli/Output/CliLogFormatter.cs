using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Orchestra.Cli.Output;

/// <summary>
/// The engine's log lines as the command prints them on stderr: one line, <c>warn: MESSAGE (REASON)</c>, the exception's
/// message but never its stack trace; a command's user reads reasons, a stack trace is for a developer's debugger.
/// </summary>
internal sealed class CliLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "orchestra";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Critical => "crit",
            LogLevel.Error => "fail",
            LogLevel.Warning => "warn",
            LogLevel.Information => "info",
            _ => "dbug",
        };
        textWriter.Write(level);
        textWriter.Write(": ");
        textWriter.Write(message.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } exception && !message.Contains(exception.Message, StringComparison.Ordinal))
        {
            textWriter.Write(" (");
            textWriter.Write(exception.Message.ReplaceLineEndings(" "));
            textWriter.Write(')');
        }

        textWriter.WriteLine();
    }
}
