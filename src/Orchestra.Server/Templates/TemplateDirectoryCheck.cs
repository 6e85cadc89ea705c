using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestra.Server.Templates;

/// <summary>
/// Warns at start about each allowed template directory that does not exist: a typo there, or a path read against another directory
/// than its writer meant, would otherwise show only as a 403 on the first submit.
/// </summary>
internal sealed partial class TemplateDirectoryCheck(TemplateDirectoryPolicy policy, ILogger<TemplateDirectoryCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var directory in policy.AllowedDirectories.Where(d => !Directory.Exists(d)))
        {
            LogMissing(logger, directory, TemplateDirectoryPolicy.ConfigurationKey);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = ServerEventIds.TemplateDirectoryMissing, Level = LogLevel.Warning,
        Message = "The allowed template directory '{Directory}' does not exist: no template can be run from it (check {ConfigurationKey}; a relative path is read against its configuration file's directory, or the working directory when given on the command line)")]
    private static partial void LogMissing(ILogger logger, string directory, string configurationKey);
}
