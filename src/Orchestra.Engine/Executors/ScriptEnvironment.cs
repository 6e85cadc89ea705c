using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Executors;

/// <summary>
/// The environment an operation's process starts with, and the rule that decides which input names may become its variables:
/// one rule, applied by <see cref="Plans.PlanValidator"/> (so a plan that breaks it is never submitted), by the TOSCA compiler
/// (a located error at the input) and again by <see cref="ProcessExecutor"/> before it starts anything (so a plan journaled by an
/// earlier release, or built without either, cannot break it either).
/// </summary>
/// <remarks>
/// <para><b>Input names.</b> An input is passed under its own name when that is a variable name, <c>[A-Za-z_][A-Za-z0-9_]*</c>;
/// otherwise under <see cref="VariableNameFor"/> of it: every other character becomes <c>_</c> and a leading digit gets a <c>_</c>
/// prefix (<c>db-port</c> is <c>$db_port</c>), as earlier releases did, so templates and journaled plans written for them keep
/// running. The rule is judged on the variable the script really gets, so <c>LD-PRELOAD</c> (passed as <c>LD_PRELOAD</c>) is refused
/// like <c>LD_PRELOAD</c>. A name that is empty or holds <c>=</c> or NUL is refused outright, and so are two inputs of one operation
/// that would be passed under the same variable (<see cref="Collisions"/>). The variable must not be one the executor
/// sets (<c>PATH</c>, <c>HOME</c>, <c>USER</c>, <c>LOGNAME</c>, <c>LANG</c>, <c>LC_ALL</c>, <c>TMPDIR</c>, <c>ORCHESTRA_*</c>) nor one
/// that the shell, the dynamic loader, the C library, an interpreter or a common tool acts on: <c>BASH*</c> (<c>BASH_ENV</c>,
/// <c>BASH_FUNC_*</c>), <c>ENV</c>, <c>SHELLOPTS</c>, <c>PS4</c>, <c>IFS</c>, <c>CDPATH</c>, ...; <c>LD_*</c>, <c>GCONV_PATH</c>,
/// <c>GLIBC_TUNABLES</c>, <c>HOSTALIASES</c>, <c>LOCPATH</c>, <c>MALLOC_*</c>, <c>NLSPATH</c>, <c>LC_*</c>, <c>LANGUAGE</c>, <c>TZ</c>, ...;
/// <c>PYTHON*</c>, <c>PERL*</c>, <c>RUBY*</c>, <c>NODE_*</c>, <c>NPM_CONFIG_*</c>, <c>JAVA_*</c>, <c>_JAVA_OPTIONS</c>,
/// <c>DOTNET_*</c>, <c>GIT_*</c>, <c>SSH_*</c>, <c>EDITOR</c>, <c>PAGER</c>, <c>LESS*</c>, proxies, <c>OPENSSL_*</c>, <c>XDG_*</c>, ...
/// (the full table is <c>Executors/Internal/DeniedVariables.cs</c>). Everything else is allowed.</para>
/// <para><b>Why a deny list (allowed by default).</b> Inputs reach scripts by name (<c>$port</c>, <c>$STATE_DIR</c>): that is the
/// convention TOSCA orchestrators share and existing CSARs rely on, so an allow-list of names, or every input under a prefix,
/// would break every script for no gain a list cannot give. The names that turn data into code are a known set for the programs
/// the executor starts (bash, python3, the loader) and those scripts commonly call, and the list denies whole families by prefix,
/// so a new member of a family is denied too. Together with the clean environment below, an input changes nothing but the
/// variable of its own name.</para>
/// <para><b>The environment.</b> Nothing of the orchestrator's own environment (its bearer token, database URLs, cloud credentials)
/// reaches a script. It gets exactly: <c>PATH</c> = <see cref="EngineOptions.ScriptSearchPath"/>; <c>HOME</c>, <c>USER</c> and
/// <c>LOGNAME</c> of the orchestrator's user; <c>LANG</c> = <c>LC_ALL</c> = <c>C.UTF-8</c>; <c>TMPDIR</c> = the orchestrator's
/// temporary directory; each variable named in <see cref="EngineOptions.PassEnvironment"/> that the orchestrator has (it replaces
/// the fixed value of the same name); its inputs; and <c>ORCHESTRA_DEPLOYMENT</c>, <c>ORCHESTRA_NODE</c>, <c>ORCHESTRA_OPERATION</c>,
/// <c>ORCHESTRA_PHASE</c>, <c>ORCHESTRA_ATTEMPT</c>, <c>ORCHESTRA_IDEMPOTENCY_KEY</c>, <c>ORCHESTRA_OUTPUTS</c>, and for a revert
/// <c>ORCHESTRA_REVERTING</c> (<c>ORCHESTRA_OPERATION</c> is always the operation that runs: a revert's is <c>Standard.delete</c>,
/// its <c>ORCHESTRA_REVERTING</c> the <c>Standard.create</c> it undoes). An input named like
/// a passed-through variable is refused by the executor (only it knows the list), as is an input value holding a NUL character
/// (it cannot be an environment value).</para>
/// </remarks>
public static class ScriptEnvironment
{
    /// <summary>The <c>PATH</c> scripts get unless <see cref="EngineOptions.ScriptSearchPath"/> says otherwise.</summary>
    public const string DefaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string Locale = "C.UTF-8";

    /// <summary>Decides whether an input may be passed to a script under the name <paramref name="name"/>.</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="reason">When it may not: why, in words for a person (what acts on the variable, or what a name must not hold).</param>
    /// <returns><see langword="true"/> when the variable it is passed as (<see cref="VariableNameFor"/>) is one nothing listed acts on.</returns>
    public static bool IsAllowedInputName(string name, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            reason = "an empty name cannot be an environment variable";
            return false;
        }

        if (name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            reason = "a name holding '=' or a NUL character cannot be an environment variable";
            return false;
        }

        var variable = VariableNameFor(name);
        reason = DeniedVariables.ActedOnBy(variable) is { } actor
            ? (variable == name ? string.Empty : $"it is passed as {variable}, and ")
                + $"{actor}, so an input of that name could run code or change what the script runs; rename the input"
            : null;
        return reason is null;
    }

    /// <summary>
    /// The environment variable an input of this name is passed as: the name itself when it is a variable name
    /// (<see cref="IsVariableName"/>), otherwise the name with every character but ASCII letters, digits and <c>_</c> replaced by
    /// <c>_</c>, and a <c>_</c> before a leading digit (<c>db-port</c> → <c>db_port</c>, <c>9lives</c> → <c>_9lives</c>).
    /// </summary>
    /// <param name="name">The input's name, not empty.</param>
    /// <returns>The variable's name.</returns>
    public static string VariableNameFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsVariableName(name))
        {
            return name;
        }

        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return (name.Length > 0 && char.IsAsciiDigit(name[0]) ? "_" : string.Empty) + string.Concat(chars);
    }

    /// <summary>The inputs of one operation that would be passed under the same variable (<c>db-port</c> and <c>db_port</c>).</summary>
    /// <param name="names">The names of one operation's inputs.</param>
    /// <returns>Each variable that more than one input would be passed as, with those inputs' names in order.</returns>
    public static IEnumerable<(string Variable, IReadOnlyList<string> Inputs)> Collisions(IEnumerable<string> names) =>
        names.Where(n => n.Length > 0)
            .GroupBy(VariableNameFor, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Order(StringComparer.Ordinal)]));

    /// <summary>Says why inputs collide, for an error message.</summary>
    /// <param name="variable">The variable they would all be passed as.</param>
    /// <param name="inputs">Their names.</param>
    /// <returns>The sentence.</returns>
    public static string DescribeCollision(string variable, IReadOnlyList<string> inputs) =>
        $"inputs {string.Join(" and ", inputs.Select(i => $"'{i}'"))} would all be passed to the script as {variable}; rename one";

    /// <summary>Whether <paramref name="name"/> has the shape of a variable name, <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool IsVariableName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Everything in a request's inputs that must stop it from running, one line per input; empty when it may run.</summary>
    internal static List<string> Refusals(OperationRequest request, EngineOptions options)
    {
        var refusals = new List<string>();
        foreach (var (variable, inputs) in Collisions(request.Inputs.Keys))
        {
            refusals.Add(DescribeCollision(variable, inputs));
        }

        foreach (var (name, value) in request.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            if (!IsAllowedInputName(name, out var reason))
            {
                refusals.Add($"input '{name}' cannot be an environment variable of the script: {reason}");
            }
            else if (options.PassEnvironment.Contains(VariableNameFor(name), StringComparer.Ordinal))
            {
                refusals.Add($"input '{name}' has the name of a variable the operator passes from the orchestrator's environment (PassEnvironment); rename the input");
            }
            else if (value.Contains('\0', StringComparison.Ordinal))
            {
                refusals.Add($"input '{name}' holds a NUL character, which an environment variable cannot");
            }
        }

        return refusals;
    }

    /// <summary>Replaces <paramref name="environment"/> (a start info's, filled with the orchestrator's) with the script's environment.</summary>
    internal static void Fill(IDictionary<string, string?> environment, OperationRequest request, string outputsFile, EngineOptions options)
    {
        FillBase(environment, options, Path.GetTempPath());
        foreach (var (name, value) in request.Inputs)
        {
            environment[VariableNameFor(name)] = value;
        }

        FillContext(environment, request);
        environment["ORCHESTRA_OUTPUTS"] = outputsFile;
    }

    /// <summary>
    /// Replaces <paramref name="environment"/> with what every operation process gets before its inputs: <c>PATH</c>, <c>HOME</c>,
    /// <c>USER</c>, <c>LOGNAME</c>, <c>LANG</c>, <c>LC_ALL</c>, <c>TMPDIR</c> (<paramref name="temp"/>) and the passed-through variables.
    /// </summary>
    internal static void FillBase(IDictionary<string, string?> environment, EngineOptions options, string temp)
    {
        var passed = options.PassEnvironment
            .Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)))
            .Where(v => v.Value is not null)
            .ToList();
        environment.Clear();
        environment["PATH"] = options.ScriptSearchPath;
        if (Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home)
        {
            environment["HOME"] = home;
        }

        environment["USER"] = Environment.UserName;
        environment["LOGNAME"] = Environment.UserName;
        environment["LANG"] = Locale;
        environment["LC_ALL"] = Locale;
        environment["TMPDIR"] = temp.Length > 1 ? temp.TrimEnd(Path.DirectorySeparatorChar) : temp;
        foreach (var (name, value) in passed)
        {
            environment[name] = value;
        }
    }

    /// <summary>Adds the attempt's identity: <c>ORCHESTRA_DEPLOYMENT</c>, <c>_NODE</c>, <c>_OPERATION</c>, <c>_REVERTING</c>, <c>_PHASE</c>, <c>_ATTEMPT</c>, <c>_IDEMPOTENCY_KEY</c>.</summary>
    internal static void FillContext(IDictionary<string, string?> environment, OperationRequest request)
    {
        environment["ORCHESTRA_DEPLOYMENT"] = request.DeploymentId;
        environment["ORCHESTRA_NODE"] = request.Node;
        environment["ORCHESTRA_OPERATION"] = request.Operation;
        if (request.Reverting is { } reverting)
        {
            environment["ORCHESTRA_REVERTING"] = reverting;
        }

        environment["ORCHESTRA_PHASE"] = request.Phase.ToString().ToLowerInvariant();
        environment["ORCHESTRA_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        environment["ORCHESTRA_IDEMPOTENCY_KEY"] = request.IdempotencyKey;
    }

    /// <summary>
    /// Where a program named without a directory (<c>python3</c>) is, looked up on the orchestrator's own <c>PATH</c> as it was
    /// before scripts got a clean one: the interpreter an operator configured keeps being the one that runs.
    /// </summary>
    internal static string ResolveProgram(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || Environment.GetEnvironmentVariable("PATH") is not { Length: > 0 } path)
        {
            return program;
        }

        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return program;
    }
}
