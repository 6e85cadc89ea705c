using System.Net;
using System.Text;
using System.Text.Json;
using Orchestra.Engine.Files;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// The private directory of one playbook run (mode 0700, under the temporary directory, removed when disposed): the playbook and its
/// dependencies side by side in <c>files/</c>, as xOpera places them, and the inventory, variables, configuration, callback plugin,
/// results file and Ansible's own temporary directories in <c>ctl/</c> and <c>tmp/</c>.
/// </summary>
internal sealed class AnsibleWorkspace : IDisposable
{
    private AnsibleWorkspace(string root)
    {
        Root = root;
        Files = Directory.CreateDirectory(Path.Combine(root, "files")).FullName;
        Control = Directory.CreateDirectory(Path.Combine(root, "ctl")).FullName;
        Temp = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
    }

    public string Root { get; }

    public string Files { get; }

    public string Control { get; }

    public string Temp { get; }

    public string Inventory => Path.Combine(Control, "inventory.yaml");

    public string Variables => Path.Combine(Control, "variables.yaml");

    public string Config => Path.Combine(Control, "ansible.cfg");

    public string Callbacks => Path.Combine(Control, "callbacks");

    public string Results => Path.Combine(Control, "results.json");

    /// <summary>Creates the directory with its control files (all but the inventory).</summary>
    public static AnsibleWorkspace Create(OperationRequest request)
    {
        var workspace = new AnsibleWorkspace(Directory.CreateTempSubdirectory("orchestra-ansible-").FullName);
        try
        {
            Directory.CreateDirectory(workspace.Callbacks);
            File.WriteAllText(Path.Combine(workspace.Callbacks, AnsibleCallbackPlugin.Name + ".py"), AnsibleCallbackPlugin.Source);
            File.WriteAllText(workspace.Config, "[defaults]\n");
            File.WriteAllText(workspace.Variables, AnsibleVariablesFile.Render(request), new UTF8Encoding(false));
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="host"/> names the orchestrator's own machine: none, <c>localhost</c> or a loopback address.</summary>
    public static bool IsLocal(string? host) =>
        string.IsNullOrWhiteSpace(host)
        || string.Equals(host.Trim(), "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim(), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Writes the inventory of the one host the play runs against; <see langword="null"/>, or why the address cannot be one.</summary>
    public string? WriteInventory(string? host)
    {
        string name;
        Dictionary<string, string> variables;
        if (IsLocal(host))
        {
            // The play's interpreter is the one ansible-playbook runs on: no discovery, no warning about it.
            name = "localhost";
            variables = new() { ["ansible_connection"] = "local", ["ansible_python_interpreter"] = "{{ ansible_playbook_python }}" };
        }
        else
        {
            name = host!.Trim();
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '[' or ']'))
            {
                return $"the host address '{name}' is neither a host name nor an IP address";
            }

            variables = new() { ["ansible_host"] = name.Trim('[', ']') };
        }

        var inventory = new Dictionary<string, object> { ["all"] = new Dictionary<string, object> { ["hosts"] = new Dictionary<string, object> { [name] = variables } } };
        File.WriteAllText(Inventory, JsonSerializer.Serialize(inventory) + "\n");
        return null;
    }

    /// <summary>
    /// Copies a file or a directory (recursively) into <see cref="Files"/> under its own name, each file resolved and checked against
    /// <paramref name="access"/> first; returns the copy's path, or throws <see cref="UnauthorizedAccessException"/> naming what leads outside.
    /// </summary>
    public string Stage(string source, FileAccessPolicy access)
    {
        var target = Path.Combine(Files, Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar)));
        if (Directory.Exists(source))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(Allowed(file, access), copy, overwrite: true);
            }

            Directory.CreateDirectory(target);
        }
        else
        {
            File.Copy(Allowed(source, access), target, overwrite: true);
        }

        return target;
    }

    private static string Allowed(string file, FileAccessPolicy access) =>
        !access.IsRestricted ? file
        : access.Resolve(file) ?? throw new UnauthorizedAccessException($"{file} leads outside {access.DescribeRoots()}");

    /// <summary>What the callback plugin recorded; <see langword="null"/> when the run wrote nothing (it ended before its stats).</summary>
    public JsonDocument? ReadResults(int maxBytes, out string? error)
    {
        error = null;
        var read = FileAccessPolicy.Unrestricted.ReadFile(Results, maxBytes);
        switch (read.Status)
        {
            case FileReadStatus.Read:
                try
                {
                    return JsonDocument.Parse(read.Content!);
                }
                catch (JsonException ex)
                {
                    error = $"the playbook's results cannot be read: {ex.Message}";
                    return null;
                }

            case FileReadStatus.NotFound:
                return null;
            case FileReadStatus.TooLarge:
                error = $"the playbook's set_stats data is over the limit of {maxBytes} bytes (EngineOptions.MaxOutputsFileBytes)";
                return null;
            default:
                error = $"the playbook's results cannot be read ({read.Status})";
                return null;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same (a task made a file read-only).
        }
    }
}
