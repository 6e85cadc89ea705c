using System.CommandLine;
using System.Text.Json;
using Orchestra.Application.Nodes;
using Orchestra.Cli.Clients;
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
            Description = "Submit and return at once. Locally, the deployment stays journaled and 'orchestra resume NAME' runs it; on a server it runs there.",
        };
        var json = GlobalOptions.Json();
        var command = new Command("deploy", "Deploy a template: live progress on a terminal, a summary and the outputs at the end. Ctrl-C cancels; a second Ctrl-C detaches.")
        {
            file, name, inputs, inputsFile, onFailure, detach, json,
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
            var submitted = await client.SubmitAsync(deploymentName, template.ToString(), values, failure, ct);
            CommandRunner.PrintDiagnostics(submitted.Warnings);
            if (!submitted.Created && !asJson)
            {
                Console.Error.WriteLine($"'{deploymentName}' was already submitted with this template and these inputs; following it.");
            }

            if (parse.GetValue(detach))
            {
                if (asJson)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(submitted.View, CliJson.Indented));
                }
                else
                {
                    Console.Out.WriteLine(client.DrivesLocally
                        ? $"Submitted '{deploymentName}' ({submitted.View.Status}). It is journaled in the local store; run it with: orchestra resume {deploymentName}"
                        : $"Submitted '{deploymentName}' ({submitted.View.Status}) to the server; follow it with: orchestra status {deploymentName} --server {parse.GetValue(GlobalOptions.Server)}");
                }

                return ExitCodes.Success;
            }

            if (submitted.View.Status.IsSettled() && !submitted.Created)
            {
                Follower.PrintResult(submitted.View, asJson);
                return CommandRunner.ExitCodeFor(submitted.View, DeploymentStatus.Succeeded);
            }

            if (!submitted.Created && client.DrivesLocally)
            {
                await client.TakeOverAsync(deploymentName, m => Console.Error.WriteLine(m), ct);
            }

            var (view, detached) = await Follower.FollowAsync(client, deploymentName, asJson, cancelOnCtrlC: true, ct);
            if (detached || view is null)
            {
                return ExitCodes.Detached;
            }

            Follower.PrintResult(view, asJson);
            return CommandRunner.ExitCodeFor(view, DeploymentStatus.Succeeded);
        }));
        return command;
    }
}
