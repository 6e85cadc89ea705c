using System.CommandLine;

namespace Orchestra.Cli.Commands;

/// <summary>The options every command takes (recursive on the root command).</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The local store directory (default: $ORCHESTRA_STORE, else ./.orchestra).",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = "Act on a running 'orchestra serve' at this URL instead of the local store.",
        HelpName = "URL",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The bearer token for --server (default: $ORCHESTRA_TOKEN, else, for a loopback --server, the token file of this user's servers).",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "An extra configuration file (default: $ORCHESTRA_CONFIG); see docs/configuration.md.",
        HelpName = "FILE",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of text." };

    /// <summary><c>--offline</c> of the commands that compile a template here: no import by URL is fetched, the import cache still answers.</summary>
    public static Option<bool> Offline() => new("--offline")
    {
        Description = "Fetch no import by URL or from a repository: use those already in the import cache beside the store, refuse the others.",
    };

    /// <summary>Whether the command's <c>--offline</c> (<see cref="Offline"/>) is given; false for a command without it.</summary>
    public static bool IsOffline(ParseResult parse) =>
        parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--offline") is Option<bool> offline && parse.GetValue(offline);

    public static Option<string[]> Inputs() => new("--input", "-i")
    {
        Description = "A template input, NAME=VALUE (repeatable).",
        HelpName = "NAME=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<FileInfo?> InputsFile() => new("--inputs-file")
    {
        Description = "A YAML or JSON file of template inputs (--input values win).",
        HelpName = "FILE",
    };

    public static Argument<string> DeploymentName() => new("NAME") { Description = "The deployment's name." };

    public static Argument<FileInfo> TemplateFile() => new("FILE") { Description = "The TOSCA service template (YAML)." };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Store);
        root.Options.Add(Server);
        root.Options.Add(Token);
        root.Options.Add(Config);
    }
}
