namespace Orchestra.Cli.Commands;

/// <summary>Checks the files a command is given, so that a wrong path is said plainly: missing, or a directory where a file is expected.</summary>
internal static class CliFiles
{
    /// <summary>Requires <paramref name="file"/> to be an existing file.</summary>
    /// <param name="file">The path as the user gave it.</param>
    /// <param name="what">What it is, for the message: <c>The template</c>, <c>The inputs file</c>.</param>
    /// <param name="suggestTemplates">For a directory, name the YAML files inside it (a template is usually one of them).</param>
    /// <exception cref="CliUsageException">It does not exist, or it is a directory.</exception>
    public static void RequireFile(FileInfo file, string what, bool suggestTemplates = false)
    {
        if (Directory.Exists(file.FullName))
        {
            var candidates = suggestTemplates
                ? Directory.EnumerateFiles(file.FullName, "*.yaml").Concat(Directory.EnumerateFiles(file.FullName, "*.yml"))
                    .Select(f => $"'{Path.Combine(file.ToString(), Path.GetFileName(f))}'").Order(StringComparer.Ordinal).Take(3).ToArray()
                : [];
            var hint = candidates.Length == 0 ? "." : $"; did you mean {string.Join(" or ", candidates)}?";
            throw new CliUsageException($"{what} '{file}' is a directory, not a file{hint}");
        }

        if (!file.Exists)
        {
            throw new CliUsageException($"{what} '{file}' does not exist.");
        }
    }
}
