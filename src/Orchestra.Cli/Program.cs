using System.CommandLine;
using Orchestra.Cli.Commands;

namespace Orchestra.Cli;

/// <summary>The <c>orchestra</c> command.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Orchestra: deploy TOSCA service templates as durable, resumable task graphs.")
        {
            TemplateCommands.Validate(),
            TemplateCommands.Plan(),
            DeployCommand.Create(),
            QueryCommands.List(),
            QueryCommands.Status(),
            QueryCommands.History(),
            LogsCommand.Create(),
            QueryCommands.Outputs(),
            ActionCommands.Resume(),
            ActionCommands.Retry(),
            ActionCommands.Pause(),
            ActionCommands.Cancel(),
            ActionCommands.Undeploy(),
            DeleteCommand.Create(),
            ServeCommand.Create(),
        };
        GlobalOptions.AddTo(root);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"orchestra: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"Run '{string.Join(' ', CommandPath(parse))} --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        // Ctrl-C is handled by the commands (pause, then stop), not by System.CommandLine's default.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(result.Command is RootCommand ? "orchestra" : result.Command.Name);
        }

        return names;
    }
}
