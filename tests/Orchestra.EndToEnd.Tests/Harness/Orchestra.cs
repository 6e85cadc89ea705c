using System.Diagnostics;
using System.Reflection;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>Locates the built <c>orchestra</c> executable (built once by the project reference) and the repository.</summary>
public static class Orchestra
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (where Orchestra.sln is).</summary>
    public static string RepositoryRoot => RootLazy.Value;

    /// <summary>The sample templates' directory.</summary>
    public static string Samples => Path.Combine(RepositoryRoot, "config", "templates");

    /// <summary>
    /// The state directory (<c>XDG_STATE_HOME</c>) of every process this test run starts, unless a test gives its own: one per run, as one
    /// user's is, so servers and CLIs find each other's token file there and the developer's own <c>~/.local/state</c> stays untouched.
    /// </summary>
    public static string StateHome { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"orchestra-e2e-state-{Environment.ProcessId}");

    /// <summary>Where a server started with <paramref name="environment"/> keeps its generated token, and where the CLI looks for it.</summary>
    public static string TokenFile(IReadOnlyDictionary<string, string>? environment) =>
        System.IO.Path.Combine(environment?.GetValueOrDefault("XDG_STATE_HOME") ?? StateHome, "orchestra", "server", "token");

    /// <summary>The path of <c>orchestra.dll</c> for this build configuration.</summary>
    public static string Dll
    {
        get
        {
            var configuration = typeof(Orchestra).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(RepositoryRoot, "src", "Orchestra.Cli", "bin", configuration, "net10.0", "orchestra.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/Orchestra.Cli first: {dll} is missing.", dll);
        }
    }

    /// <summary>Starts <c>dotnet orchestra.dll ARGS</c>.</summary>
    public static OrchestraProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("ORCHESTRA_STORE");
        info.Environment.Remove("ORCHESTRA_CONFIG");
        info.Environment.Remove("ORCHESTRA_TOKEN");
        info.Environment["XDG_STATE_HOME"] = StateHome;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new OrchestraProcess(Process.Start(info)!, string.Join(' ', args));
    }

    /// <summary>Runs <c>orchestra ARGS</c> to the end.</summary>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, params string[] args) =>
        await RunAsync(workingDirectory, null, TimeSpan.FromSeconds(90), args);

    /// <summary>Runs <c>orchestra ARGS</c> to the end, with environment variables and a time limit.</summary>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] args)
    {
        await using var process = Start(workingDirectory, environment, args);
        return await process.WaitForExitAsync(timeout);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find Orchestra.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>What a finished process printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
