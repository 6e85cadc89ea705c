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
            foreach (var line in UsageErrors.Describe(parse))
            {
                await Console.Error.WriteLineAsync(line);
            }

            return ExitCodes.InvalidInput;
        }

        // Ctrl-C is handled by the commands (pause, then stop), not by System.CommandLine's default.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
