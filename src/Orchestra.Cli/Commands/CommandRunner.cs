using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Orchestra.Actors.Persistence;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;
using Orchestra.Application.Leases;
using Orchestra.Application.Nodes;
using Orchestra.Application.Security;
using Orchestra.Application.Templates;
using Orchestra.Application.Templates.Imports;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Spectre.Console;

namespace Orchestra.Cli.Commands;

/// <summary>What every command shares: configuration, the client (local store or server), output and error handling.</summary>
internal static class CommandRunner
{
    /// <summary>Runs a command body, turning the known failures into a message on stderr and an exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (TemplateErrorsException e)
        {
            PrintDiagnostics(e.Diagnostics);
            return e.ExitCode;
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return e.ExitCode;
        }
        catch (TemplateInvalidException e)
        {
            PrintDiagnostics([.. e.Diagnostics.Select(ApiDiagnostic.From)]);
            return ExitCodes.InvalidInput;
        }
        catch (DeploymentLeaseHeldException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (StoreFaultException.Find(e) is { } fault)
        {
            // The store's own reason says what to do (free space, restore the file, mount it writable); the
            // deployment's wrapper around it would only bury it.
            await Console.Error.WriteLineAsync($"orchestra: {fault.Message}");
            return ExitCodes.Failed;
        }
        catch (DeploymentUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (DeploymentNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (DeploymentCommandRejectedException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (PlanValidationException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"orchestra: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("orchestra: interrupted.");
            return ExitCodes.Detached;
        }
    }

    public static void PrintDiagnostics(IEnumerable<ApiDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Console.Error.WriteLine(d.ToString());
        }
    }

    /// <summary>The configuration: files, environment, then <c>--store</c>.</summary>
    public static IConfigurationRoot Configuration(ParseResult parse, IReadOnlyDictionary<string, string?>? extra = null, IReadOnlyList<string>? switches = null)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (parse.GetValue(GlobalOptions.Store) is { Length: > 0 } store)
        {
            overrides["Orchestra:Store:Directory"] = store;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        return OrchestraConfiguration.Build(parse.GetValue(GlobalOptions.Config), overrides, switches);
    }

    /// <summary>The client: HTTP when <c>--server</c> is given, else the local store (starting the engine in this process).</summary>
    public static async Task<IOrchestraClient> CreateClientAsync(ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(GlobalOptions.Server) is { } text)
        {
            if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var server)
                || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliUsageException($"--server '{text}' must be an http:// or https:// URL.");
            }

            RefuseOfflineWithServer(parse);

            var token = parse.GetValue(GlobalOptions.Token)
                ?? (Environment.GetEnvironmentVariable("ORCHESTRA_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
                ?? LocalServerToken(parse, server);
            var follow = new FollowOptions();
            Configuration(parse).GetSection(FollowOptions.SectionName).Bind(follow);
            return new HttpOrchestraClient(server, token, follow);
        }

        var configuration = Configuration(parse);
        var options = new OrchestraOptions();
        configuration.GetSection(OrchestraOptions.SectionName).Bind(options);
        if (options.Store.Provider == StoreProvider.Sqlite && !File.Exists(options.Store.SqlitePath()) && !CreatesStore(parse))
        {
            return new NoStoreClient(options.Store.SqlitePath());
        }

        options.Compiler = options.Compiler.WithImportFetcher(HttpImportFetcher.ForCommand(options, GlobalOptions.IsOffline(parse)));
        var engine = new EngineOptions();
        configuration.GetSection("Orchestra:Engine").Bind(engine);
        // The commands print their own story; the engine's logs only when something is wrong.
        var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddConsole(c =>
            {
                c.LogToStandardErrorThreshold = LogLevel.Trace;
                c.FormatterName = CliLogFormatter.FormatterName;
            })
            .AddConsoleFormatter<CliLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>());
        var node = await OrchestraNode.StartAsync(new OrchestraNodeSettings { Orchestra = options, Engine = engine }, loggers, ct);
        return new LocalClient(node, options, loggers) { FollowPollInterval = options.Leases.FollowPollInterval, Store = options.Store.Describe() };
    }

    /// <summary>Refuses <c>--offline</c> with <c>--server</c>: the server compiles, and fetches imports by its own policy.</summary>
    /// <exception cref="CliUsageException">Both are given.</exception>
    public static void RefuseOfflineWithServer(ParseResult parse)
    {
        if (GlobalOptions.IsOffline(parse))
        {
            throw new CliUsageException("--offline applies to compiling on this machine; with --server the server compiles, and fetches imports only from its Orchestra:Server:AllowedImportHosts.");
        }
    }

    // Only deploy starts something new; every other command reads or acts on what a store holds, and must not leave an empty store behind.
    private static bool CreatesStore(ParseResult parse) => parse.CommandResult.Command.Name == "deploy";

    /// <summary>
    /// The token a server of this user on this machine generated (see <see cref="ServerTokenFile"/>): read only for a loopback
    /// <c>--server</c>, so that it is never sent to another machine.
    /// </summary>
    /// <exception cref="CliUsageException">The token file is open to others or owned by another user.</exception>
    private static string? LocalServerToken(ParseResult parse, Uri server)
    {
        if (OperatingSystem.IsWindows() || !ListenAddressPolicy.IsLoopback(server.ToString()))
        {
            return null;
        }

        var options = new OrchestraOptions();
        Configuration(parse).GetSection(OrchestraOptions.SectionName).Bind(options);
        try
        {
            return ServerTokenFile.Read(ServerTokenFile.PathFor(options.Server));
        }
        catch (UnsafeTokenFileException e)
        {
            throw new CliUsageException($"{e.Message} (Or pass --token.)");
        }
    }

    /// <summary>
    /// Whether stdout is a terminal that can show the live view: not redirected, and not one that declares itself unable to move the
    /// cursor (<c>TERM=dumb</c>: an editor's shell, a CI log), which gets the plain lines instead.
    /// </summary>
    public static bool IsInteractive =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    public static IProgressView ProgressView(bool json, IOrchestraClient client, string name) =>
        json ? new SilentProgressView()
        : IsInteractive ? new LiveProgressView(AnsiConsole.Console, ct => client.GetAsync(name, ct), TimeProvider.System)
        : new PlainProgressView(Console.Out);

    /// <summary>The exit code for the status a command expected to reach.</summary>
    public static int ExitCodeFor(DeploymentView view, DeploymentStatus expected) =>
        view.Status == expected ? ExitCodes.Success : ExitCodes.Failed;
}
