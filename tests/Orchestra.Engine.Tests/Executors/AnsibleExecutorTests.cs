using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Testing;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>Playbook implementations run with the real ansible-playbook against the local machine.</summary>
[Trait("Category", "Integration")]
[RequiresAnsible]
public sealed class AnsibleExecutorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-ansible-").FullName;
    private readonly EngineOptions _options = new() { KillGracePeriod = TimeSpan.FromMilliseconds(500) };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Playbook(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        return name;
    }

    private OperationRequest Request(string implementation, Dictionary<string, string>? inputs = null, TimeSpan? timeout = null) =>
        new("dep-1", "web", "Standard.create", TaskPhase.Deploy, implementation, inputs ?? [], 1, "dep-1/web/Standard.create/deploy", _dir, timeout ?? TimeSpan.FromSeconds(120));

    private Task<OperationResult> Run(OperationRequest request, CancellationToken cancellationToken = default) =>
        new ExecutorRegistry(_options).RunAsync(request, TimeProvider.System, cancellationToken);

    [ConditionalFact]
    public async Task SetStats_BecomeOutputs_AndTheOutputIsKept()
    {
        Playbook("create.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - name: Say hello
                  debug: { msg: "hello from the playbook" }
                - set_stats:
                    data:
                      url: "http://127.0.0.1:{{ web_port }}/"
                      count: 3
                      tags: [ a, b ]
            """);
        var lines = new List<string>();
        var result = await Run(Request("create.yml", new() { ["web_port"] = "8080" }) with { OnOutputLine = (_, line) => { lock (lines) { lines.Add(line); } } });

        Assert.True(result.Outcome == OperationOutcome.Succeeded, result.Error);
        Assert.Equal("http://127.0.0.1:8080/", result.Outputs["url"]);
        Assert.Equal("3", result.Outputs["count"]);
        Assert.Equal("""["a","b"]""", result.Outputs["tags"]);
        Assert.Contains("hello from the playbook", result.Stdout!.Text, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("Say hello", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("cowsay", StringComparison.OrdinalIgnoreCase) || l.Contains("[WARNING]", StringComparison.Ordinal));
    }

    [ConditionalFact]
    public async Task FailingTask_FailsWithTheTasksNameMessageAndStderr()
    {
        Playbook("create.yaml", """
            - hosts: all
              gather_facts: false
              tasks:
                - name: Break on purpose
                  shell: echo "the disk is full" >&2; exit 4
            """);
        var result = await Run(Request("create.yaml"));

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("Break on purpose", result.Error, StringComparison.Ordinal);
        Assert.Contains("the disk is full", result.Error, StringComparison.Ordinal);
        Assert.Contains("Break on purpose", result.Stdout!.Text, StringComparison.Ordinal);
    }

    [ConditionalFact]
    public async Task HostileInputs_ArriveAsVariablesUnharmed_AndNeverOnTheCommandLine()
    {
        var hostile = "it's \"quoted\" $(touch pwned) `id` {{ 7 * 7 }} {% raw %}\nsecond line\\n\ttab ünï 🚀";
        Playbook("create.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - shell: "ps -o args= -p $PPID; ps -o args= -C ansible-playbook"
                  register: commands
                - set_stats:
                    data:
                      echoed: "{{ secret }}"
                      commands: "{{ commands.stdout }}"
            """);
        var result = await Run(Request("create.yml", new() { ["secret"] = hostile }));

        Assert.True(result.Outcome == OperationOutcome.Succeeded, result.Error);
        Assert.Equal(hostile, result.Outputs["echoed"]);
        Assert.False(File.Exists(Path.Combine(_dir, "pwned")));
        Assert.DoesNotContain("second line", result.Outputs["commands"], StringComparison.Ordinal);
        Assert.Contains("ansible-playbook", result.Outputs["commands"], StringComparison.Ordinal);
    }

    [ConditionalFact]
    public async Task StructuredInputs_KeepTheirKind()
    {
        Playbook("create.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - set_stats:
                    data:
                      first: "{{ servers[0] }}"
                      port_plus_one: "{{ config.port + 1 }}"
                      enabled_type: "{{ enabled | type_debug }}"
            """);
        var values = new Dictionary<string, JsonElement>
        {
            ["servers"] = JsonSerializer.SerializeToElement(new[] { "10.0.0.1", "10.0.0.2" }),
            ["config"] = JsonSerializer.SerializeToElement(new { port = 5432 }),
            ["enabled"] = JsonSerializer.SerializeToElement(true),
        };
        var request = Request("create.yml", values.ToDictionary(v => v.Key, v => v.Value.GetRawText())) with { InputValues = values };
        var result = await Run(request);

        Assert.True(result.Outcome == OperationOutcome.Succeeded, result.Error);
        Assert.Equal("10.0.0.1", result.Outputs["first"]);
        Assert.Equal("5433", result.Outputs["port_plus_one"]);
        Assert.Equal("bool", result.Outputs["enabled_type"]);
    }

    [ConditionalFact]
    public async Task Dependencies_ArePlacedBesideThePlaybook()
    {
        Playbook("files/motd.txt", "welcome\n");
        Playbook("playbooks/create.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - set_stats:
                    data:
                      motd: "{{ lookup('file', playbook_dir + '/motd.txt') }}"
            """);
        var result = await Run(Request("playbooks/create.yml") with { Dependencies = ["files/motd.txt"] });

        Assert.True(result.Outcome == OperationOutcome.Succeeded, result.Error);
        Assert.Equal("welcome", result.Outputs["motd"]);
    }

    [ConditionalFact]
    public async Task LoopbackHost_RunsLocally_AsLocalhost()
    {
        Playbook("create.yml", """
            - hosts: localhost
              gather_facts: false
              tasks:
                - set_stats: { data: { ran_as: "{{ inventory_hostname }} {{ ansible_connection }}" } }
            """);
        var result = await Run(Request("create.yml") with { Host = "127.0.0.1" });

        Assert.True(result.Outcome == OperationOutcome.Succeeded, result.Error);
        Assert.Equal("localhost local", result.Outputs["ran_as"]);
    }

    [ConditionalFact]
    public async Task HostAddressThatIsNoHostName_IsRefused_BeforeAnythingRuns()
    {
        var marker = Path.Combine(_dir, "ran");
        Playbook("create.yml", $$"""
            - hosts: all
              gather_facts: false
              tasks:
                - file: { path: "{{marker}}", state: touch }
            """);
        var result = await Run(Request("create.yml") with { Host = "db.example;{{ lookup('pipe', 'id') }}" });

        Assert.Equal(OperationOutcome.Failed, result.Outcome);
        Assert.Contains("is neither a host name nor an IP address", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [ConditionalFact]
    public async Task Timeout_KillsTheWholeProcessTree()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        Playbook("hang.yml", $$"""
            - hosts: all
              gather_facts: false
              tasks:
                - shell: 'sleep 1000 & echo $! > "{{pidFile}}"; wait'
            """);
        var watch = Stopwatch.StartNew();
        // Long enough for ansible to start the task on a loaded machine; the task itself would run for 1000 s.
        var result = await Run(Request("hang.yml", timeout: TimeSpan.FromSeconds(15))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(OperationOutcome.TimedOut, result.Outcome);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(40), $"took {watch.Elapsed}");
        Assert.True(File.Exists(pidFile), "the task never started");
        await AssertProcessGoneAsync(ReadPid(pidFile));
    }

    [ConditionalFact]
    public async Task Cancellation_KillsTheWholeProcessTree_AndReportsCancelled()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        Playbook("hang.yml", $$"""
            - hosts: all
              gather_facts: false
              tasks:
                - shell: 'bash -c "trap \"\" TERM; sleep 1000" & echo $! > "{{pidFile}}"; wait'
            """);
        using var cts = new CancellationTokenSource();
        var run = Run(Request("hang.yml"), cts.Token);
        await WaitForFileAsync(pidFile);
        cts.Cancel();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(OperationOutcome.Cancelled, result.Outcome);
        await AssertProcessGoneAsync(ReadPid(pidFile));
    }

    private static int ReadPid(string pidFile) => int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);

    private static async Task AssertProcessGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (File.Exists($"/proc/{pid}/stat"))
        {
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat").ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : string.Empty, TaskScheduler.Default);
            if (stat.Length == 0 || stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"process {pid} still runs");
            await Task.Delay(50);
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} never appeared");
            await Task.Delay(50);
        }
    }
}
