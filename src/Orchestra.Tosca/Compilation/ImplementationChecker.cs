using Orchestra.Engine.Executors;
using Orchestra.Engine.Files;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Refuses, at compile time, an operation implementation that would certainly fail when the engine runs it: a file that does not
/// exist (TOS609), a path that is not a readable regular file (TOS610), or something no executor runs (TOS611). What runs is what
/// the engine's executors run: <c>.sh</c> with bash, <c>.py</c> with python3, other executable files directly, and the
/// <see cref="BuiltinExecutor.Names"/>.
/// </summary>
/// <remarks>
/// A path the <see cref="FileAccessPolicy"/> refuses is left alone: the compiler reports it as TOS109 and nothing here looks at
/// the file, so the answer says nothing about whether a file outside the allowed directories exists.
/// </remarks>
internal sealed class ImplementationChecker(DiagnosticBag diagnostics, string baseDirectory, FileAccessPolicy files)
{
    private const string WhatRuns = "Orchestra runs .sh scripts with bash, .py scripts with python3, executable files directly, and the built-ins orchestra:noop, orchestra:sleep and orchestra:fail";

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
            diagnostics.Error(ErrorCodes.NoExecutor, at,
                $"{what} is a YAML file, such as an Ansible playbook, which no executor runs: {WhatRuns}; run ansible-playbook from a .sh script");
        }
        else if (extension is not ".SH" and not ".PY" && !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(real) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            diagnostics.Error(ErrorCodes.NoExecutor, at,
                $"{what} is neither a .sh nor a .py script and is not executable, so it cannot be run directly; chmod +x {full}, or give it the extension of its interpreter");
        }
    }
}
