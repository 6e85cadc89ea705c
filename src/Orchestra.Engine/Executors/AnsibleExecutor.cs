using System.Globalization;
using System.Text.Json;
using Orchestra.Engine.Executors.Internal;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Executors;

/// <summary>
/// Runs playbook implementations (<c>.yml</c>/<c>.yaml</c>) with <c>ansible-playbook</c> (<see cref="EngineOptions.AnsiblePlaybookPath"/>),
/// as xOpera runs them: against the operation's host, with the inputs as extra variables, and the global <c>set_stats</c> data as outputs.
/// </summary>
/// <remarks>
/// <para><b>Where.</b> Each attempt gets a private directory (mode 0700 under the temporary directory, removed afterwards). The playbook
/// and each of the operation's <see cref="OperationRequest.Dependencies"/> (files or whole directories) are copied side by side into
/// it, so a playbook finds its dependencies by name beside itself (<c>{{ playbook_dir }}/file.txt</c>, <c>copy: src=file.txt</c>); the
/// process's working directory stays the plan's base directory, like a script's, so relative artifact paths (<c>get_artifact</c>) work.
/// Roles are also looked up in <c>roles/</c> beside the original playbook.</para>
/// <para><b>Host.</b> The play runs against one host: <c>localhost</c> with the local connection when <see cref="OperationRequest.Host"/>
/// is empty, <c>localhost</c> or a loopback address; otherwise that address over SSH with Ansible's defaults (the orchestrator's user
/// and keys, host keys checked). Plays for <c>hosts: all</c> or <c>hosts: localhost</c> (locally) match it.</para>
/// <para><b>Inputs.</b> Written to a YAML file passed as <c>-e @file</c>, never on the command line nor in the environment; each string is
/// <c>!unsafe</c>, so quotes, <c>$(...)</c>, line breaks and Jinja in a value arrive as the text they were and are never templated; with
/// <see cref="OperationRequest.InputValues"/>, numbers, booleans, lists and maps keep their kind.</para>
/// <para><b>Environment.</b> The clean environment of scripts (<see cref="ScriptEnvironment"/>: <c>PATH</c>, <c>HOME</c>, the
/// passed-through variables, <c>ORCHESTRA_DEPLOYMENT</c> and the rest of the attempt's identity, no inputs, no <c>ORCHESTRA_OUTPUTS</c>),
/// <c>TMPDIR</c> in the private directory, and Ansible settings that make a run deterministic and quiet: <c>ANSIBLE_CONFIG</c> (an empty
/// file of its own, so no <c>ansible.cfg</c> of the working directory or the user applies), no cows, no retry files, no colour, no
/// interpreter-discovery, localhost or deprecation warnings, the local temporary directory (and, for the local connection, the remote
/// one) inside the private directory, and host key checking off for the local connection only.</para>
/// <para><b>Outputs.</b> Keys of the run's global <c>set_stats</c> data (not <c>per_host</c>) become the outputs, and so the node's
/// attributes: strings as they are, other values as compact JSON; a key that is not letters, digits, <c>_ . -</c> is ignored with a
/// warning. The data is bounded by <see cref="EngineOptions.MaxOutputsFileBytes"/>.</para>
/// <para><b>Result.</b> Exit code 0 is success. Otherwise the error names each failed (or unreachable) task with its host, message,
/// return code and the end of its stderr (or stdout), or, when no task failed (a syntax error), the end of ansible-playbook's
/// stderr. The playbook's own output is captured like a script's (<see cref="OperationResult.Stdout"/>, <see cref="OperationRequest.OnOutputLine"/>).</para>
/// <para><b>Kill.</b> ansible-playbook runs as the leader of its own process group, recorded for the orphan sweep, exactly as
/// <see cref="ProcessExecutor"/> runs scripts: a timeout or cancellation stops the whole tree (workers, modules, their children).</para>
/// </remarks>
public sealed class AnsibleExecutor : IOperationExecutor
{
    private readonly EngineOptions _options;
    private readonly ProcessExecutor _processes;

    /// <summary>Creates the executor.</summary>
    /// <param name="options">The engine options.</param>
    /// <param name="processes">The process executor whose process records, process groups and pipe draining the runs share.</param>
    public AnsibleExecutor(EngineOptions options, ProcessExecutor processes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(processes);
        _options = options;
        _processes = processes;
    }

    /// <summary>Whether an implementation is a playbook this executor runs: a path (not a built-in nor a URL) ending in <c>.yml</c> or <c>.yaml</c>.</summary>
    /// <param name="implementation">The implementation as recorded in the plan.</param>
    /// <returns><see langword="true"/> for a playbook.</returns>
    public static bool IsPlaybook(string implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return !implementation.StartsWith(BuiltinExecutor.Prefix, StringComparison.Ordinal)
            && !implementation.Contains("://", StringComparison.Ordinal)
            && (implementation.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || implementation.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc/>
    public bool CanExecute(string implementation) => IsPlaybook(implementation);

    /// <inheritdoc/>
    public async ValueTask<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await _processes.RunGuardedAsync(request, RunAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OperationResult> RunAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(request.WorkingDirectory ?? Environment.CurrentDirectory);
        var playbook = Path.GetFullPath(Path.Combine(directory, request.Implementation));
        if (_processes.CheckAccess(ref playbook, directory) is { } refused)
        {
            return refused;
        }

        if (!File.Exists(playbook))
        {
            return OperationResult.Failed($"playbook not found: {playbook}");
        }

        if (!Directory.Exists(directory))
        {
            return OperationResult.Failed($"working directory not found: {directory}");
        }

        var dependencies = new List<string>();
        foreach (var dependency in request.Dependencies ?? [])
        {
            var full = Path.GetFullPath(Path.Combine(directory, dependency));
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                return OperationResult.Failed($"dependency of the playbook not found: {full}");
            }

            dependencies.Add(full);
        }

        using var workspace = AnsibleWorkspace.Create(request);
        if (workspace.WriteInventory(request.Host) is { } badHost)
        {
            return OperationResult.Failed($"not run: {badHost}");
        }

        string staged;
        try
        {
            foreach (var dependency in dependencies)
            {
                workspace.Stage(dependency, _options.FileAccess);
            }

            // Last, so that a dependency of the same name never replaces the playbook.
            staged = workspace.Stage(playbook, _options.FileAccess);
        }
        catch (UnauthorizedAccessException ex)
        {
            return OperationResult.Failed($"not run: a dependency {ex.Message}");
        }
        catch (IOException ex)
        {
            return OperationResult.Failed($"not run: the playbook and its dependencies cannot be copied into the run's directory: {ex.Message}");
        }

        var info = ProcessExecutor.GatedStartInfo(_options.AnsiblePlaybookPath, directory);
        info.ArgumentList.Add("-i");
        info.ArgumentList.Add(workspace.Inventory);
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add("@" + workspace.Variables);
        info.ArgumentList.Add(staged);
        FillEnvironment(info.Environment, request, workspace, Path.GetDirectoryName(playbook)!);

        var warnings = new List<string>();
        var run = await _processes.RunProcessAsync(request, info, _options.AnsiblePlaybookPath, warnings, cancellationToken).ConfigureAwait(false);
        if (run.StartFailure is { } failure)
        {
            return failure;
        }

        if (run.Killed)
        {
            return run.WithOutput(OperationResult.Cancelled());
        }

        using var results = workspace.ReadResults(_options.MaxOutputsFileBytes, out var unreadable);
        if (run.ExitCode != 0)
        {
            return run.WithOutput(results is not null && Failures(results.RootElement) is { Length: > 0 } failures
                ? OperationResult.Failed($"ansible-playbook exit code {run.ExitCode.ToString(CultureInfo.InvariantCulture)}: {failures}", run.ExitCode)
                : run.FailedExit() with { Error = "ansible-playbook " + run.FailedExit().Error });
        }

        if (unreadable is not null)
        {
            return run.WithOutput(OperationResult.Failed(unreadable));
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (results?.RootElement.TryGetProperty("stats", out var stats) == true && stats.ValueKind == JsonValueKind.Object)
        {
            foreach (var stat in stats.EnumerateObject())
            {
                if (stat.Name.Length == 0 || !stat.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                {
                    warnings.Add($"set_stats key '{stat.Name}' ignored: an output's name is ASCII letters, digits, '_', '.' and '-'");
                    continue;
                }

                outputs[stat.Name] = PlanValue.Render(stat.Value);
            }
        }

        return run.WithOutput(OperationResult.Succeeded(outputs, warnings));
    }

    private string Failures(JsonElement results)
    {
        if (!results.TryGetProperty("failures", out var failures) || failures.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        foreach (var failure in failures.EnumerateArray())
        {
            string? Text(string name) => failure.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                ? PlanValue.Render(value).Trim() : null;
            var kind = Text("kind") == "unreachable" ? "could not reach" : "failed on";
            var part = $"task '{Text("task")}' {kind} {Text("host")}";
            if (Text("msg") is { Length: > 0 } msg)
            {
                part += ": " + msg;
            }

            if (Text("rc") is { Length: > 0 } rc)
            {
                part += $" (rc {rc})";
            }

            if (Text("stderr") is { Length: > 0 } stderr)
            {
                part += "; stderr: " + stderr;
            }
            else if (Text("stdout") is { Length: > 0 } stdout)
            {
                part += "; stdout: " + stdout;
            }

            parts.Add(part);
        }

        var text = string.Join("; ", parts);
        return text.Length <= _options.ErrorTailChars ? text : text[..(_options.ErrorTailChars - 3)] + "...";
    }

    private void FillEnvironment(IDictionary<string, string?> environment, OperationRequest request, AnsibleWorkspace workspace, string playbookDirectory)
    {
        ScriptEnvironment.FillBase(environment, _options, workspace.Temp);
        ScriptEnvironment.FillContext(environment, request);
        var local = AnsibleWorkspace.IsLocal(request.Host);
        environment["ANSIBLE_CONFIG"] = workspace.Config;
        environment["ANSIBLE_NOCOWS"] = "1";
        environment["ANSIBLE_NOCOLOR"] = "1";
        environment["ANSIBLE_FORCE_COLOR"] = "0";
        environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
        environment["ANSIBLE_STDOUT_CALLBACK"] = "default";
        environment["ANSIBLE_CALLBACK_PLUGINS"] = workspace.Callbacks + ":~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback";
        environment["ANSIBLE_CALLBACKS_ENABLED"] = AnsibleCallbackPlugin.Name;
        environment["ANSIBLE_ROLES_PATH"] = Path.Combine(playbookDirectory, "roles") + ":~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles";
        environment["ANSIBLE_LOCAL_TEMP"] = Path.Combine(workspace.Temp, "local");
        environment["ANSIBLE_SSH_CONTROL_PATH_DIR"] = Path.Combine(workspace.Temp, "cp");
        environment["ANSIBLE_PYTHON_INTERPRETER"] = "auto_silent";
        environment["ANSIBLE_LOCALHOST_WARNING"] = "0";
        environment["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "0";
        environment["ANSIBLE_DEPRECATION_WARNINGS"] = "0";
        environment["ANSIBLE_SHOW_CUSTOM_STATS"] = "0";
        if (local)
        {
            environment["ANSIBLE_REMOTE_TEMP"] = Path.Combine(workspace.Temp, "remote");
            environment["ANSIBLE_HOST_KEY_CHECKING"] = "0";
        }

        environment[AnsibleCallbackPlugin.ResultsVariable] = workspace.Results;
    }
}
