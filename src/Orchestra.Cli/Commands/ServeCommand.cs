using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestra.Server.Hosting;

namespace Orchestra.Cli.Commands;

/// <summary><c>serve</c>: the HTTP server with the engine, recovering unfinished deployments at start.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Where to listen, ';'-separated (default from configuration: http://127.0.0.1:5080). Non-loopback addresses need a configured bearer token; so do the addresses of a Kestrel section.",
            HelpName = "URLS",
        };
        var command = new Command("serve", "Run the HTTP API server (and the engine) until Ctrl-C or SIGTERM. Extra --Orchestra:Key=value switches override configuration.")
        {
            urls,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var extra = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parse.GetValue(urls) is { Length: > 0 } u)
            {
                extra["Orchestra:Server:Urls"] = u;
            }

            var switches = parse.UnmatchedTokens.ToArray();
            if (switches.FirstOrDefault(s => !s.StartsWith("--", StringComparison.Ordinal) || !s.Contains('=', StringComparison.Ordinal)) is { } stray)
            {
                throw new CliUsageException($"Unexpected argument '{stray}'. Configuration switches look like --Orchestra:Server:BearerToken=TOKEN.");
            }

            var configuration = CommandRunner.Configuration(parse, extra, switches);
            var starting = true;
            try
            {
                var builder = OrchestraWebApplication.CreateBuilder(configuration);
                // A failure to start is said once, below, in one line: not also as Kestrel's and the host's logged stack traces.
                builder.Logging.AddFilter((category, level) => !(Volatile.Read(ref starting) && level >= LogLevel.Error && IsStartupLogger(category)));
                await using var app = OrchestraWebApplication.Build(builder);
                // The host stops on Ctrl-C or SIGTERM by itself (System.CommandLine's own handling is off, see Program).
                await app.StartAsync(ct);
                Volatile.Write(ref starting, false);
                await app.WaitForShutdownAsync(ct);
                return ExitCodes.Success;
            }
            catch (OrchestraStartupException e)
            {
                // Caught here rather than in CommandRunner: this command is the CLI's only use of Orchestra.Server.
                await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (Volatile.Read(ref starting) && (e is AddressInUseException || e.InnerException is AddressInUseException))
            {
                await Console.Error.WriteLineAsync($"orchestra: cannot listen: {e.Message.TrimEnd('.')}. Is another server running there? Choose another address with --urls.");
                return ExitCodes.InvalidInput;
            }
        }));
        return command;
    }

    private static bool IsStartupLogger(string? category) =>
        category is not null && (category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal)
            || category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
}
