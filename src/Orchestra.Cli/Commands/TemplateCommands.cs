using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;
using Orchestra.Application.Templates;
using Orchestra.Application.Templates.Imports;
using Orchestra.Cli.Clients;
using Orchestra.Cli.Output;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Commands;

/// <summary><c>validate</c> and <c>plan</c>: compile a template (here, or on the server with <c>--server</c>), run nothing.</summary>
internal static class TemplateCommands
{
    public static Command Validate()
    {
        var file = GlobalOptions.TemplateFile();
        var inputs = GlobalOptions.Inputs();
        var inputsFile = GlobalOptions.InputsFile();
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var json = GlobalOptions.Json();
        var command = new Command("validate", "Check a template: print every error with its position (FILE:LINE:COL). Exit 0 when valid, 2 when not.")
        {
            file, inputs, inputsFile, format, json, GlobalOptions.Offline(),
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            var compilation = await CompileAsync(parse, path, InputValues.Read(parse.GetValue(inputs), parse.GetValue(inputsFile)), ct);
            var diagnostics = compilation.Diagnostics;
            if (parse.GetValue(format) == "json" || parse.GetValue(json))
            {
                JsonOutput.Write(new ValidationReport(path.FullName, compilation.Plan is not null, diagnostics,
                    compilation.Plan is { } p ? p.Nodes.Count : 0, compilation.Plan?.OperationCount ?? 0));
            }
            else
            {
                CommandRunner.PrintDiagnostics(diagnostics);
                if (compilation.Plan is { } plan)
                {
                    var warnings = diagnostics.Count(d => !d.IsError);
                    Console.Out.WriteLine($"{path.Name}: valid ({plan.Nodes.Count} nodes, {plan.OperationCount} operations{(warnings > 0 ? $", {warnings} warnings" : string.Empty)}).");
                }
                else
                {
                    var errors = diagnostics.Count(d => d.IsError);
                    Console.Error.WriteLine($"{path.Name}: {errors} error{(errors == 1 ? string.Empty : "s")}.");
                }
            }

            return compilation.Plan is null ? ExitCodes.InvalidInput : ExitCodes.Success;
        }));
        return command;
    }

    public static Command Plan()
    {
        var file = GlobalOptions.TemplateFile();
        var inputs = GlobalOptions.Inputs();
        var inputsFile = GlobalOptions.InputsFile();
        var format = new Option<string>("--format") { Description = "text, json, dot (Graphviz) or mermaid.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "dot", "mermaid");
        var json = GlobalOptions.Json();
        var command = new Command("plan", "Compile a template and print the plan graph it would run.")
        {
            file, inputs, inputsFile, format, json, GlobalOptions.Offline(),
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            if (parse.GetValue(json) && parse.GetValue(format) is "dot" or "mermaid")
            {
                throw new CliUsageException($"--json and --format {parse.GetValue(format)} ask for two different outputs; give one.");
            }

            var compilation = await CompileAsync(parse, parse.GetValue(file)!, InputValues.Read(parse.GetValue(inputs), parse.GetValue(inputsFile)), ct);
            var diagnostics = compilation.Diagnostics;
            CommandRunner.PrintDiagnostics(diagnostics.Where(d => d.IsError || compilation.Plan is not null));
            if (compilation.Plan is not { } plan)
            {
                return ExitCodes.InvalidInput;
            }

            Console.Out.WriteLine(PlanRenderer.Render(plan, parse.GetValue(json) ? "json" : parse.GetValue(format)!));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Compiles on the server when <c>--server</c> is given (its policy and compiler judge), else here.</summary>
    private static async Task<(DeploymentPlan? Plan, IReadOnlyList<ApiDiagnostic> Diagnostics)> CompileAsync(
        ParseResult parse, FileInfo file, IReadOnlyDictionary<string, string> inputs, CancellationToken ct)
    {
        if (parse.GetValue(GlobalOptions.Server) is not null)
        {
            CommandRunner.RefuseOfflineWithServer(parse);
            await using var client = await CommandRunner.CreateClientAsync(parse, ct);
            var (plan, remote) = await ((HttpOrchestraClient)client).CompileAsync(file.FullName, inputs, ct);
            // The server names the template by its full path; show it as the user spelled it, as a local run does.
            return (plan, [.. remote.Select(d => d.File == file.FullName ? d with { File = file.ToString() } : d)]);
        }

        CliFiles.RequireFile(file, "The template", suggestTemplates: true);

        // The same limits as a deploy from this machine (Orchestra:Compiler).
        var options = new OrchestraOptions();
        CommandRunner.Configuration(parse).GetSection(OrchestraOptions.SectionName).Bind(options);
        var compilation = new TemplateCompiler(options.Compiler.WithImportFetcher(HttpImportFetcher.ForCommand(options, GlobalOptions.IsOffline(parse)))).Compile(TemplateSource.FromFile(file.ToString()), inputs);
        return (compilation.Plan, [.. compilation.Diagnostics.Select(ApiDiagnostic.From)]);
    }

    private sealed record ValidationReport(string File, bool Valid, IReadOnlyList<ApiDiagnostic> Diagnostics, int Nodes, int Operations);
}
