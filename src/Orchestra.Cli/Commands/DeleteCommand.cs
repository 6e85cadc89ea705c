using System.CommandLine;
using System.Text.Json;
using Orchestra.Application.Api;
using Orchestra.Cli.Clients;

namespace Orchestra.Cli.Commands;

/// <summary><c>delete NAME</c>: forget a deployment whose latest run has ended.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var name = GlobalOptions.DeploymentName();
        var json = GlobalOptions.Json();
        var command = new Command(
            "delete",
            "Forget a deployment whose latest run has ended (Undeployed, or Cancelled or RolledBack with no node left deployed): the journal, " +
            "snapshots and leases of every run are removed and the name is free. A live deployment is refused: undeploy it first.")
        {
            name, json,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var deployment = parse.GetValue(name)!;
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var runs = await client.DeleteAsync(deployment, ct);
            Console.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new DeletedDeployment(deployment, runs), CliJson.Indented)
                : $"Deleted '{deployment}' ({runs} run{(runs == 1 ? string.Empty : "s")}): its records are removed and the name is free.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
