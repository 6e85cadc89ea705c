using System.CommandLine;
using System.Text.Json;
using Orchestra.Application.Nodes;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Commands;

/// <summary><c>deploy FILE</c>: submit a template and follow it to the end.</summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var file = GlobalOptions.TemplateFile();
        var name = new Option<string?>("--name", "-n") { Description = "The deployment's name (default: the template file's name).", HelpName = "NAME" };
        var inputs = GlobalOptions.Inputs();
        var inputsFile = GlobalOptions.InputsFile();
        var onFailure = new Option<string?>("--on-failure") { Description = "Override the template's failure action: halt or rollback.", HelpName = "halt|rollback" };
        onFailure.AcceptOnlyFromAmong("halt", "rollback");
        var detach = new Option<bool>("--detach", "-d")
        {
            Description = "Submit and return at once, starting nothing here. Locally, a running 'orchestra serve' on the same store is handed the deployment; otherwise it waits, journaled, for 'orchestra resume NAME'. With --server it runs there.",
        };
        var json = GlobalOptions.Json();
        var command = new Command("deploy", "Deploy a template: live progress on a terminal, a summary and the outputs at the end. Ctrl-C pauses (running operations finish); a second Ctrl-C kills them; 'orchestra resume NAME' continues.")
        {
            file, name, inputs, inputsFile, onFailure, detach, json, GlobalOptions.Offline(),
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var template = parse.GetValue(file)!;
            CliFiles.RequireFile(template, "The template", suggestTemplates: true);

            var deploymentName = parse.GetValue(name) ?? DeploymentNames.FromFileName(template.Name);
            if (!DeploymentNames.IsValid(deploymentName))
            {
                throw new CliUsageException(DeploymentNames.InvalidMessage(deploymentName));
            }

            var values = InputValues.Read(parse.GetValue(inputs), parse.GetValue(inputsFile));
            FailureAction? failure = parse.GetValue(onFailure) switch
            {
                "halt" => FailureAction.Halt,
                "rollback" => FailureAction.Rollback,
                _ => null,
            };
            var asJson = parse.GetValue(json);

            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            if (parse.GetValue(detach))
            {
                return await DetachAsync(parse, client, deploymentName, template.ToString(), values, failure, asJson, ct);
            }

            var submitted = await client.SubmitAsync(deploymentName, template.ToString(), values, failure, ct);
            CommandRunner.PrintDiagnostics(submitted.Warnings);
            if (!submitted.Created && !asJson)
            {
                Console.Error.WriteLine($"'{deploymentName}' was already submitted with this template and these inputs; following it.");
            }

            if (submitted.View.Status.IsSettled() && !submitted.Created)
            {
                if (!asJson && NextSteps.AfterSettledResubmit(submitted.View) is { } hint)
                {
                    Console.Error.WriteLine(hint);
                }

                Follower.PrintResult(submitted.View, asJson);
                return CommandRunner.ExitCodeFor(submitted.View, DeploymentStatus.Succeeded);
            }

            if (!submitted.Created && client.DrivesLocally)
            {
                await client.TakeOverAsync(deploymentName, m => Console.Error.WriteLine(m), ct);
            }

            var outcome = await Follower.FollowAsync(client, deploymentName, asJson, pauseOnCtrlC: true, ct);
            return await Follower.FinishAsync(client, deploymentName, outcome, asJson, DeploymentStatus.Succeeded);
        }));
        return command;
    }

    // --detach starts nothing in this process: locally the submission is journaled, this process lets go of it, and a server on the
    // same store is handed it if one runs; the message says which of these will run it.
    private static async Task<int> DetachAsync(
        ParseResult parse, IOrchestraClient client, string name, string template, IReadOnlyDictionary<string, string> values, FailureAction? failure, bool asJson, CancellationToken ct)
    {
        var submitted = await client.SubmitDetachedAsync(name, template, values, failure, ct);
        CommandRunner.PrintDiagnostics(submitted.Warnings);
        string message;
        if (client is not LocalClient local)
        {
            message = $"Submitted '{name}' ({submitted.View.Status}) to the server, which runs it; follow it with: orchestra status {name} --server {parse.GetValue(GlobalOptions.Server)}";
        }
        else if (!submitted.Created && submitted.View.Status.IsSettled())
        {
            message = $"'{name}' was already submitted with this template and these inputs, and is {submitted.View.Status}; see: orchestra status {name}";
        }
        else if (!submitted.Created && await local.DriverAsync(name, ct) is { } driver)
        {
            message = $"'{name}' was already submitted with this template and these inputs; process {driver} on this machine runs it. Follow it with: orchestra status {name}";
        }
        else
        {
            await local.DisposeAsync();
            message = await local.HandOverAsync(name, ct) is { } server
                ? $"Submitted '{name}'; `orchestra serve` (process {server}) on this store runs it. Follow it with: orchestra status {name}"
                : $"Submitted '{name}'; nothing runs it until `orchestra resume {name}` or a server on this store starts.";
        }

        if (asJson)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(submitted.View, CliJson.Indented));
            Console.Error.WriteLine(message);
        }
        else
        {
            Console.Out.WriteLine(message);
        }

        return ExitCodes.Success;
    }
}
