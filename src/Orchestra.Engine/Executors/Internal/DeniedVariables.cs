namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// The environment variable names an operation input may not have, by the program that acts on them. A name ending in <c>*</c>
/// is a prefix: the whole family is denied, so a member added by a later release of the program is denied too.
/// </summary>
/// <remarks>
/// Matching is case-sensitive (Linux variable names are), except for the families whose programs read them in any case
/// (proxies, npm, .NET). Sources: bash(1) "Shell Variables" and INVOCATION, dash(1), glibc's <c>unsecvars.h</c> and tunables,
/// ld.so(8), locale(7), python(1), perlrun(1), ruby(1), node(1), the JDK launcher, git(1), ssh(1), openssl(1).
/// </remarks>
internal static class DeniedVariables
{
    private static readonly Family[] Families =
    [
        new("the executor sets it for every script", false,
            "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR", "ORCHESTRA_*"),
        new("bash, sh and other shells act on it (startup files, exported functions, options, prompts, word splitting, command lookup)", false,
            "BASH*", "ENV", "SHELLOPTS", "POSIXLY_CORRECT", "IFS", "CDPATH", "GLOBIGNORE", "EXECIGNORE", "FIGNORE", "PS1", "PS2", "PS3", "PS4",
            "PROMPT_COMMAND", "PROMPT_DIRTRIM", "HISTFILE", "INPUTRC", "TMOUT", "MAIL", "MAILPATH", "MAILCHECK", "OPTIND", "OPTERR", "FUNCNEST",
            "HOSTFILE", "SHELL", "PWD", "OLDPWD", "SHLVL", "TEXTDOMAIN", "TEXTDOMAINDIR", "TERM", "TERMINFO", "TERMINFO_DIRS", "TERMCAP",
            "ZDOTDIR", "FPATH", "KSH_*"),
        new("the dynamic loader or the C library acts on it (preloaded libraries, character-set modules, locales, tunables, the resolver, the allocator)", false,
            "LD_*", "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "MALLOC_*", "NIS_PATH", "NLSPATH",
            "RESOLV_*", "RES_OPTIONS", "TZ", "TZDIR", "LANGUAGE", "LC_*", "MEMUSAGE_*", "LIBC_FATAL_STDERR_", "GMON_OUT_PREFIX"),
        new("python acts on it (module search path, startup code, warnings filters, pip and pyenv configuration)", false,
            "PYTHON*", "PYENV*", "PIP_*"),
        new("perl acts on it (library path, command-line options, debugger)", false,
            "PERL*"),
        new("ruby acts on it (options, library path, gems)", false,
            "RUBY*", "GEM_*", "BUNDLE_*", "BUNDLER_*"),
        new("node and npm act on it (options such as --require, module path, configuration)", false,
            "NODE_*", "YARN_*", "COREPACK_*"),
        new("npm acts on it in any case (configuration such as script-shell)", true,
            "NPM_CONFIG_*"),
        new("java acts on it (agents, options, class path)", false,
            "JAVA_*", "_JAVA_OPTIONS", "JDK_*", "CLASSPATH", "MAVEN_OPTS", "MAVEN_ARGS", "GRADLE_OPTS"),
        new(".NET acts on it in any case (startup hooks, profilers, runtime settings)", true,
            "DOTNET_*", "COMPLUS_*", "CORECLR_*", "ASPNETCORE_*"),
        new("git acts on it (ssh command, exec path, configuration, pager, editor)", false,
            "GIT_*"),
        new("ssh acts on it (askpass program, agent socket)", false,
            "SSH_*"),
        new("it names a program that tools run (editor, pager, askpass, browser, less preprocessor, vi startup commands)", false,
            "EDITOR", "VISUAL", "PAGER", "MANPAGER", "LESS*", "BROWSER", "SUDO_ASKPASS", "SUDO_EDITOR", "SYSTEMD_*", "EXINIT", "VIMINIT", "MYVIMRC"),
        new("it redirects the network traffic of curl, wget, pip, git and most HTTP clients (proxies), in any case", true,
            "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY", "NO_PROXY", "SOCKS_PROXY", "GRPC_PROXY"),
        new("TLS libraries act on it (OpenSSL configuration and engines, trusted certificates)", false,
            "OPENSSL_*", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE"),
        new("tools load configuration or plugins from it (XDG directories, curl, wget, kubectl, docker, AWS, Ansible, Lua, Tcl)", false,
            "XDG_*", "CURL_HOME", "WGETRC", "KUBECONFIG", "DOCKER_CONFIG", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "ANSIBLE_*",
            "LUA_*", "TCLLIBPATH", "TCL_LIBRARY"),
    ];

    /// <summary>What acts on <paramref name="name"/>, or <see langword="null"/> when nothing listed does.</summary>
    public static string? ActedOnBy(string name)
    {
        foreach (var family in Families)
        {
            var comparison = family.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            foreach (var pattern in family.Names)
            {
                var matches = pattern.EndsWith('*')
                    ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), comparison)
                    : name.Equals(pattern, comparison);
                if (matches)
                {
                    return family.ActedOnBy;
                }
            }
        }

        return null;
    }

    private sealed record Family(string ActedOnBy, bool IgnoreCase, params string[] Names);
}
