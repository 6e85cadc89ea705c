using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;
using Spectre.Console;

namespace Orchestra.Cli.Tests.Output;

/// <summary>The terminal's live table keeps every column where it was while node states and operations change.</summary>
[Trait("Category", "Unit")]
public sealed class LiveProgressViewTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static string[] Rows(DeploymentView view, DateTimeOffset now)
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 110;
        var live = new LiveProgressView(console, _ => Task.FromResult<DeploymentView?>(view), new FixedTime(now));
        console.Write(live.Render(view));
        return [.. text.ToString().Split('\n').Where(l => l.Contains("database", StringComparison.Ordinal) || l.Contains("application-server", StringComparison.Ordinal))];
    }

    private static string Separators(string row) => string.Join(',', row.Select((c, i) => (c, i)).Where(p => p.c == '│').Select(p => p.i));

    [Fact]
    public void Render_ColumnsStayPut_WhileStatesAndOperationsChange()
    {
        var views = new Views();
        var waiting = Rows(views.View, views.Now);
        views.Wait(1).Apply(views.Start("database", "Standard.create"))
            .Wait(2).Apply(new TaskAttemptFailed(views.Now, "database", "Standard.create", TaskPhase.Deploy, 1, "a long error text from the script", 1, views.Now.AddSeconds(5)));
        var retrying = Rows(views.View, views.Now);
        views.Wait(0).Apply(new UndeployRequested(views.Now));
        var tearingDown = Rows(views.View, views.Now);

        Assert.Equal(2, waiting.Length);
        Assert.All(retrying.Concat(tearingDown), row => Assert.Equal(Separators(waiting[0]), Separators(row)));
        Assert.Contains(retrying, row => row.Contains("retry in 5.0 s", StringComparison.Ordinal));
    }
}
