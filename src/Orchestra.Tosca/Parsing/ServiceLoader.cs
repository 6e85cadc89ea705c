using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Parsing;

/// <summary>Loads a service template and, transitively, its imports; registers every type they define.</summary>
internal sealed class ServiceLoader(ToscaCompilerOptions options, DiagnosticBag diagnostics, TypeRegistry registry, TypeReader typeReader)
{
    public static readonly IReadOnlyList<string> SupportedVersions =
        ["tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1", "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3"];

    public static readonly IReadOnlyList<string> TopLevelKeys =
    [
        "tosca_definitions_version", "namespace", "metadata", "description", "dsl_definitions", "repositories", "imports",
        "artifact_types", "data_types", "capability_types", "interface_types", "relationship_types", "node_types",
        "group_types", "policy_types", "topology_template", "template_name", "template_author", "template_version",
    ];

    private static readonly string[] ImportKeys = ["file", "repository", "namespace_prefix", "namespace_uri"];

    private static readonly Lazy<IReadOnlyList<(string Name, YMapping Root)>> BuiltIns = new(LoadBuiltIns);

    private readonly Dictionary<string, List<ToscaType>> _loaded = new(StringComparer.Ordinal);
    private readonly List<string> _chain = [];
    private readonly RemoteImports _remote = new(options, diagnostics);
    private string _mainDirectory = string.Empty;
    private string _mainDisplayDirectory = string.Empty;

    /// <summary>Registers the normative types and Orchestra's profile.</summary>
    public void LoadBuiltInTypes()
    {
        foreach (var (name, root) in BuiltIns.Value)
        {
            typeReader.ReadFile(root, name, builtIn: true);
        }

        registry.AddShortNames();
    }

    /// <summary>Loads the main template (from disk, or from <paramref name="content"/> when given) and its imports.</summary>
    public YMapping? LoadMain(string fullPath, string displayPath, byte[]? content)
    {
        _mainDirectory = Path.GetDirectoryName(fullPath) ?? string.Empty;
        _mainDisplayDirectory = Path.GetDirectoryName(displayPath) ?? string.Empty;
        if (content is not null && !options.FileAccess.Allows(_mainDirectory))
        {
            // Text in memory stands for a file in this directory: its relative imports and scripts would resolve there.
            diagnostics.Error(ErrorCodes.PathNotAllowed, SourceLocation.StartOf(displayPath),
                $"the template's directory '{_mainDirectory}' is outside {options.FileAccess.DescribeRoots()}");
            return null;
        }

        var node = content is null
            ? LoadTemplateFile(fullPath, displayPath, null)
            : YamlLoader.LoadBytes(content, displayPath, options, diagnostics);
        if (node is null)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Error(ErrorCodes.NotToscaDocument, SourceLocation.StartOf(displayPath),
                    "file is empty; a service template is a YAML map that starts with 'tosca_definitions_version'");
            }

            return null;
        }

        if (node is not YMapping root)
        {
            // Describe() quotes a scalar: fine for text the client sent, not for a file of the server's.
            var what = content is null ? Kind(node) : node.Describe();
            diagnostics.Error(ErrorCodes.NotToscaDocument, node.Location,
                $"a service template is a YAML map that starts with 'tosca_definitions_version', not {what}");
            return null;
        }

        Process(root, fullPath, displayPath, isMain: true, prefix: null);
        return root;
    }

    // Reads a template or an import from disk. What the file holds is quoted back in diagnostics only once it looks like
    // TOSCA (a map with 'tosca_definitions_version' or another TOSCA key): the file may be anything the path reaches, such
    // as a password file whose lines YAML reads as keys, and its content must not come back in an error message.
    private YNode? LoadTemplateFile(string fullPath, string displayPath, SourceLocation? referencedFrom)
    {
        var scratch = new DiagnosticBag();
        var node = RemoteImports.IsUrl(fullPath)
            ? _remote.Load(fullPath, referencedFrom ?? SourceLocation.StartOf(displayPath), scratch)
            : YamlLoader.LoadFile(fullPath, displayPath, options, scratch, referencedFrom);
        var tosca = node is YMapping map && LooksLikeTosca(map);
        foreach (var diagnostic in scratch.Items)
        {
            if (tosca || !QuotesContent(diagnostic.Code))
            {
                diagnostics.Add(diagnostic);
            }
        }

        if (node is YMapping && !tosca)
        {
            diagnostics.Error(ErrorCodes.NotToscaDocument, referencedFrom ?? node.Location,
                $"file '{displayPath}' is not a TOSCA file: a YAML map without 'tosca_definitions_version' or any other TOSCA key (its content is not shown)");
            return null;
        }

        return node;
    }

    private static string Kind(YNode node) => node switch
    {
        YScalar { Kind: ScalarKind.Null } => "null",
        YScalar { Kind: ScalarKind.String } => "a string",
        YScalar { Kind: ScalarKind.Boolean } => "a boolean",
        YScalar => "a number",
        _ => node.Describe(),
    };

    private static bool LooksLikeTosca(YMapping root) => root.Count == 0 || root.Entries.Any(e => TopLevelKeys.Contains(e.Key.Text));

    // The reader's diagnostics that name a key or an alias of the document.
    private static bool QuotesContent(string code) => code is ErrorCodes.DuplicateKey or ErrorCodes.UnknownAnchor or ErrorCodes.WrongShape;

    private void Process(YMapping root, string fullPath, string displayPath, bool isMain, string? prefix)
    {
        CheckVersion(root, displayPath, isMain);
        NodeReader.CheckKeys(root, TopLevelKeys, diagnostics, isMain ? "the service template" : $"imported file '{displayPath}'");
        new Validation.KeynameChecker(diagnostics).Check(root, isMain ? "the service template" : $"imported file '{displayPath}'");
        _chain.Add(fullPath);
        _remote.ReadRepositories(root, fullPath);
        foreach (var import in NodeReader.Sequence(root["imports"], diagnostics, "'imports'")?.Items ?? [])
        {
            Import(import, fullPath);
        }

        _chain.RemoveAt(_chain.Count - 1);
        var types = typeReader.ReadFile(root, fullPath, builtIn: false);
        _loaded[fullPath] = types;
        AddPrefix(types, prefix);
    }

    private void AddPrefix(List<ToscaType> types, string? prefix)
    {
        if (prefix is null)
        {
            return;
        }

        foreach (var type in types)
        {
            registry.AddAlias($"{prefix}.{type.Name}", type);
            registry.AddAlias($"{prefix}:{type.Name}", type);
        }
    }

    private void CheckVersion(YMapping root, string displayPath, bool isMain)
    {
        var versionNode = root["tosca_definitions_version"];
        if (versionNode is null)
        {
            // Imported type files without a version are accepted (tosca-parser's own data has them).
            if (isMain)
            {
                // A misspelt or truncated key is where the author meant the version to be.
                var meant = root.Entries.Select(e => e.Key).FirstOrDefault(k => !TopLevelKeys.Contains(k.Text)
                    && Suggestions.Closest(k.Text, TopLevelKeys) == "tosca_definitions_version");
                diagnostics.Error(ErrorCodes.MissingVersion, meant?.Location ?? root.Location,
                    $"the service template is missing the required key 'tosca_definitions_version'; expected one of: {string.Join(", ", SupportedVersions)}",
                    meant is null ? null : $"did you mean '{meant.Text}' (line {meant.Location.Line}) to be 'tosca_definitions_version'?");
            }

            return;
        }

        var version = NodeReader.String(versionNode, diagnostics, "'tosca_definitions_version'");
        if (version is not null && !SupportedVersions.Contains(version))
        {
            diagnostics.Error(ErrorCodes.InvalidVersion, versionNode.Location,
                $"'tosca_definitions_version' of '{displayPath}' is \"{version}\", which is not supported; expected one of: {string.Join(", ", SupportedVersions)}",
                Suggestions.DidYouMean(version, SupportedVersions));
        }
    }

    private void Import(YNode import, string importingFile)
    {
        string? file = null;
        string? prefix = null;
        (string, SourceLocation)? repository = null;
        var location = import.Location;
        switch (import)
        {
            case YScalar { IsNull: false } s:
                file = s.Text;
                break;
            case YMapping m when m.ContainsKey("file"):
                (file, prefix, repository) = ImportDefinition(m);
                break;
            case YMapping m when m.Count > 0 && m.Keys.All(ImportKeys.Contains):
                ImportDefinition(m);
                diagnostics.Error(ErrorCodes.MissingKey, m.Location, "an import definition is missing the required key 'file'");
                break;
            case YMapping { Count: 1 } m:
                var (name, value) = m.Entries[0];
                location = value.Location;
                if (value is YScalar { IsNull: false } sv)
                {
                    file = sv.Text;
                }
                else if (value is YMapping def)
                {
                    (file, prefix, repository) = ImportDefinition(def);
                    if (file is null)
                    {
                        diagnostics.Error(ErrorCodes.MissingKey, def.Location, $"import '{name.Text}' is missing the required key 'file'");
                    }
                }
                else
                {
                    diagnostics.Error(ErrorCodes.InvalidImport, value.Location, $"import '{name.Text}' must be a file path or a map with 'file', not {value.Describe()}");
                }

                break;
            default:
                diagnostics.Error(ErrorCodes.InvalidImport, import.Location, $"an import must be a file path or a map with 'file', not {import.Describe()}");
                break;
        }

        if (file is null)
        {
            return;
        }

        var full = RemoteImports.IsRemote(file, repository?.Item1, importingFile)
            ? _remote.Resolve(file, repository, _chain, location)
            : Resolve(file, importingFile, location);
        if (full is null)
        {
            return;
        }

        // Files that import each other: the one being read already registers its types once its own imports are done.
        if (_chain.Contains(full))
        {
            return;
        }

        if (_loaded.TryGetValue(full, out var types))
        {
            AddPrefix(types, prefix);
            return;
        }

        if (_loaded.Count >= options.MaxImports)
        {
            diagnostics.Error(ErrorCodes.InvalidImport, location, $"more than {options.MaxImports} files are imported (ToscaCompilerOptions.MaxImports)");
            return;
        }

        _loaded[full] = [];
        var node = LoadTemplateFile(full, Display(full), location);
        if (node is YMapping root)
        {
            Process(root, full, Display(full), isMain: false, prefix);
        }
        else if (node is not null || !diagnostics.HasErrors)
        {
            diagnostics.Error(ErrorCodes.InvalidImport, location, $"imported file \"{file}\" is not a TOSCA definitions file (it is not a YAML map)");
        }
    }

    private (string? File, string? Prefix, (string, SourceLocation)? Repository) ImportDefinition(YMapping m)
    {
        NodeReader.CheckKeys(m, ImportKeys, diagnostics, "an import definition");
        var repository = NodeReader.String(m["repository"], diagnostics, "'repository' of an import") is { } name ? (name, m["repository"]!.Location) : ((string, SourceLocation)?)null;
        return (NodeReader.String(m["file"], diagnostics, "'file' of an import"), NodeReader.String(m["namespace_prefix"], diagnostics, "'namespace_prefix'"), repository);
    }

    // Relative to the importing file; failing that, tosca-parser's fallback: when the import's directory is a
    // suffix of the importing file's directory, the file of that name in the importing file's directory.
    // A path outside the allowed directories is refused before anything is asked of the file system, so the answer does
    // not tell whether it exists.
    private string? Resolve(string file, string importingFile, SourceLocation location)
    {
        var directory = Path.GetDirectoryName(importingFile) ?? string.Empty;
        var candidate = Path.GetFullPath(Path.Combine(directory, file));
        if (!options.FileAccess.Allows(candidate))
        {
            diagnostics.Error(ErrorCodes.PathNotAllowed, location, $"import \"{file}\" is outside {options.FileAccess.DescribeRoots()}; it was not read");
            return null;
        }

        if (File.Exists(candidate))
        {
            return candidate;
        }

        var importDirectory = Path.GetDirectoryName(file.Replace('\\', '/'));
        if (!string.IsNullOrEmpty(importDirectory)
            && directory.Replace('\\', '/').TrimEnd('/').EndsWith("/" + importDirectory.Trim('/'), StringComparison.Ordinal))
        {
            var fallback = Path.Combine(directory, Path.GetFileName(file));
            if (options.FileAccess.Allows(fallback) && File.Exists(fallback))
            {
                diagnostics.Warning(ErrorCodes.ImportNotFound, location,
                    $"import \"{file}\" does not exist relative to the importing file; using {Display(fallback)} (the directory part repeats the importing file's directory)");
                return Path.GetFullPath(fallback);
            }
        }

        diagnostics.Error(ErrorCodes.ImportNotFound, location, $"imported file \"{file}\" does not exist (looked for {Display(candidate)})");
        return null;
    }

    private string Display(string fullPath)
    {
        if (RemoteImports.IsUrl(fullPath))
        {
            return fullPath;
        }

        var relative = Path.GetRelativePath(_mainDirectory, fullPath);
        return _mainDisplayDirectory.Length == 0 ? relative : Path.Combine(_mainDisplayDirectory, relative);
    }

    private static IReadOnlyList<(string Name, YMapping Root)> LoadBuiltIns()
    {
        var result = new List<(string, YMapping)>();
        var assembly = typeof(ServiceLoader).Assembly;
        foreach (var name in new[] { "tosca-normative.yaml", "orchestra-profile.yaml" })
        {
            using var stream = assembly.GetManifestResourceStream("Orchestra.Tosca.Definitions." + name)
                ?? throw new InvalidOperationException($"The embedded definitions '{name}' are missing from {assembly.GetName().Name}.");
            using var reader = new StreamReader(stream);
            var bag = new DiagnosticBag();
            var root = YamlLoader.LoadText(reader.ReadToEnd(), "<built-in>/" + name, ToscaCompilerOptions.Default, bag) as YMapping;
            if (root is null || bag.HasErrors)
            {
                throw new InvalidOperationException($"The embedded definitions '{name}' are invalid: {string.Join("; ", bag.Items)}");
            }

            result.Add(("<built-in>/" + name, root));
        }

        return result;
    }
}
