using System.Reflection;
using System.Text.RegularExpressions;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Tosca.Tests.Diagnostics;

/// <summary>docs/tosca.md is where authors look a code up: it must list every code the compiler can report, and no other.</summary>
public sealed partial class ErrorCodeDocumentationTests
{
    [Fact]
    public void AuthoringGuide_ListsEveryErrorCode_AndNoUnknownOne()
    {
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        var documented = TableRow().Matches(File.ReadAllText(Guide())).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(codes);
        Assert.Empty(codes.Except(documented).Order());
        Assert.Empty(documented.Except(codes).Order());
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    private static string Guide()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "tosca.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("docs/tosca.md was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| (TOS\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
