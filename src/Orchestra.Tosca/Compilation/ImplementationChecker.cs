using Orchestra.Engine.Executors;
using Orchestra.Engine.Files;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Refuses, at compile time, an operation implementation that would certainly fail when the engine runs it: a file that does not
/// exist (TOS609), a path that is not a readable regular file (TOS610), or something no executor runs (TOS611). What runs is what
/// the engine's executors run: Ansible playbooks (<c>.yml</c>/<c>.yaml</c> holding a list of plays), <c>.sh</c> with bash,
/// <c>.py</c> with python3, other executable files directly, and the <see cref="BuiltinExecutor.Names"/>.
/// </summary>
/// <remarks>
/// A path the <see cref="FileAccessPolicy"/> refuses is left alone: the compiler reports it as TOS109 and nothing here looks at
/// the file, so the answer says nothing about whether a file outside the allowed directories exists.
/// </remarks>
internal sealed class ImplementationChecker(DiagnosticBag diagnostics, string baseDirectory, FileAccessPolicy files)
{
    private const string WhatRuns = "Orchestra runs Ansible playbooks (.yml/.yaml) with ansible-playbook, .sh scripts with bash, .py scripts with python3, executable files directly, and the built-ins orchestra:noop, orchestra:sleep and orchestra:fail";
    private const string AnsibleArtifact = "tosca.artifacts.Implementation.Ansible";

    /// <summary>Checks one implementation as recorded in the plan.</summary>
    /// <param name="recorded">The path recorded in the plan (relative to the plan's base directory), a built-in or a URL.</param>
    /// <param name="written">The implementation as the template writes it (a path or an artifact's name).</param>
    /// <param name="operation">The operation's name in the plan, e.g. <c>Standard.create</c>.</param>
    /// <param name="node">The node template the operation belongs to.</param>
    /// <param name="artifact">The node's artifact the implementation names, if it names one.</param>
    /// <param name="location">The implementation's value.</param>
    public void Check(string recorded, string written, string operation, NodeTemplate node, ArtifactDefinition? artifact, SourceLocation location)
    {
        var what = artifact is null
            ? $"implementation '{written}' of operation '{operation}'"
            : $"artifact '{artifact.Name}' ('{artifact.File}'), the implementation of operation '{operation}' of node template '{node.Name}',";
        var at = artifact?.Location ?? location;
        if (recorded.StartsWith(BuiltinExecutor.Prefix, StringComparison.Ordinal))
        {
            if (!BuiltinExecutor.Names.Contains(recorded))
            {
                diagnostics.Error(ErrorCodes.NoExecutor, at,
                    $"{what} is not a built-in: the built-ins are {string.Join(", ", BuiltinExecutor.Names)}",
                    Suggestions.DidYouMean(recorded, BuiltinExecutor.Names));
            }

            return;
        }

        if (artifact is { Repository: { } repository })
        {
            diagnostics.Error(ErrorCodes.NoExecutor, at,
                $"{what} is in repository '{repository}': Orchestra does not fetch artifacts from repositories; put the file beside the template and remove 'repository'");
            return;
        }

        if (recorded.Contains("://", StringComparison.Ordinal))
        {
            diagnostics.Error(ErrorCodes.NoExecutor, at, $"{what} is a URL: Orchestra runs local files only; download it beside the template and name it by its path");
            return;
        }

        var full = Path.GetFullPath(Path.Combine(baseDirectory, recorded));
        if (files.Resolve(full) is not { } real)
        {
            return;
        }

        // Zero bytes: opening it is the check (no blocking on a FIFO, no reading of a device), the content is not needed.
        var probe = files.ReadFile(real, 0);
        switch (probe.Status)
        {
            case FileReadStatus.NotAllowed:
                return;
            case FileReadStatus.NotFound:
                diagnostics.Error(ErrorCodes.ImplementationNotFound, at,
                    $"{what} does not exist (looked for {full}); create it or correct the path (a relative path is resolved from the file that defines the operation)");
                return;
            case FileReadStatus.NotRegularFile:
                diagnostics.Error(ErrorCodes.ImplementationNotReadable, at, $"{what} is {probe.Kind}, not a file ({full}); name the script itself");
                return;
            case FileReadStatus.Unreadable:
                diagnostics.Error(ErrorCodes.ImplementationNotReadable, at, $"{what} cannot be read ({full}: {probe.Error}); make it readable by the user Orchestra runs as");
                return;
        }

        var extension = Path.GetExtension(real).ToUpperInvariant();
        if (extension is ".YML" or ".YAML")
        {
            if (PlaybookProblem(real) is { } problem)
            {
                diagnostics.Error(ErrorCodes.NoExecutor, at,
                    $"{what} is a YAML file but not an Ansible playbook ({problem}): {WhatRuns}");
            }
        }
        else if (artifact?.Type is { } type && (type == AnsibleArtifact || type.EndsWith(".Ansible", StringComparison.Ordinal)))
        {
            diagnostics.Error(ErrorCodes.NoExecutor, at,
                $"{what} is an Ansible artifact, but its file does not end in .yml or .yaml, which is how Orchestra knows a playbook; rename it");
        }
        else if (extension is not ".SH" and not ".PY" && !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(real) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            diagnostics.Error(ErrorCodes.NoExecutor, at,
                $"{what} is neither a .sh nor a .py script and is not executable, so it cannot be run directly; chmod +x {full}, or give it the extension of its interpreter");
        }
    }

    // A playbook is a YAML list of plays, each a mapping with hosts: or an import_playbook: (what ansible-playbook accepts). Only the
    // first PlaybookSniffBytes are looked at: a longer file is taken as a playbook, and ansible-playbook judges it when it runs.
    private string? PlaybookProblem(string path)
    {
        var read = files.ReadFile(path, PlaybookSniffBytes);
        if (read.Status == FileReadStatus.TooLarge)
        {
            return null;
        }

        if (read.Status != FileReadStatus.Read)
        {
            return $"it cannot be read: {read.Error}";
        }

        YamlDotNet.RepresentationModel.YamlStream stream = [];
        try
        {
            using var reader = new StreamReader(new MemoryStream(read.Content!));
            stream.Load(reader);
        }
#pragma warning disable CA1031 // Whatever YamlDotNet throws, the answer is the same: not a playbook.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"it does not parse as YAML: {ex.Message}";
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlDotNet.RepresentationModel.YamlSequenceNode plays || plays.Children.Count == 0)
        {
            return "its top level is not a list of plays";
        }

        foreach (var play in plays.Children)
        {
            if (play is not YamlDotNet.RepresentationModel.YamlMappingNode mapping
                || !mapping.Children.Keys.Any(k => k is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "hosts" or "import_playbook" or "ansible.builtin.import_playbook" }))
            {
                return $"the entry at line {play.Start.Line} is not a play: a play has hosts: or import_playbook:";
            }
        }

        return null;
    }

    /// <summary>How much of a <c>.yml</c>/<c>.yaml</c> implementation is read to tell a playbook from other YAML (1 MiB); a longer file is taken as a playbook.</summary>
    internal const int PlaybookSniffBytes = 1024 * 1024;
}
