namespace Orchestra.Tosca.Diagnostics;

/// <summary>
/// The stable diagnostic codes. Codes never change meaning once released; the table with examples is in
/// <c>docs/tosca.md</c> (a test keeps the two in step).
/// </summary>
/// <remarks>
/// TOS0xx: reading the file (YAML, limits). TOS1xx: document structure (version, keys, imports).
/// TOS2xx: type definitions. TOS3xx: values and constraints. TOS4xx: topology (templates, requirements,
/// groups, policies). TOS5xx: functions. TOS6xx: the deployment plan and inputs.
/// </remarks>
public static class ErrorCodes
{
    /// <summary>The file cannot be read (missing, unreadable, or not text).</summary>
    public const string FileUnreadable = "TOS001";

    /// <summary>The text is not valid YAML.</summary>
    public const string YamlSyntax = "TOS002";

    /// <summary>A mapping has the same key twice.</summary>
    public const string DuplicateKey = "TOS003";

    /// <summary>The file is larger than <see cref="ToscaCompilerOptions.MaxFileBytes"/>.</summary>
    public const string FileTooLarge = "TOS004";

    /// <summary>
    /// The document expands (aliases included) to more than <see cref="ToscaCompilerOptions.MaxNodes"/> YAML nodes, or to more than
    /// <see cref="ToscaCompilerOptions.MaxExpandedBytes"/> of text.
    /// </summary>
    public const string TooManyNodes = "TOS005";

    /// <summary>The document nests deeper than <see cref="ToscaCompilerOptions.MaxDepth"/>.</summary>
    public const string TooDeep = "TOS006";

    /// <summary>The document is not a TOSCA service template at all (empty, not a mapping, several documents).</summary>
    public const string NotToscaDocument = "TOS007";

    /// <summary>An alias names an anchor that is not defined before it.</summary>
    public const string UnknownAnchor = "TOS008";

    /// <summary><c>tosca_definitions_version</c> is missing.</summary>
    public const string MissingVersion = "TOS101";

    /// <summary><c>tosca_definitions_version</c> names a version this processor does not support.</summary>
    public const string InvalidVersion = "TOS102";

    /// <summary>A key that the grammar does not allow at that place.</summary>
    public const string UnknownKey = "TOS103";

    /// <summary>A key that the grammar requires is missing.</summary>
    public const string MissingKey = "TOS104";

    /// <summary>A value has the wrong YAML shape (a mapping where a list is expected, and so on).</summary>
    public const string WrongShape = "TOS105";

    /// <summary>An imported file cannot be found or read.</summary>
    public const string ImportNotFound = "TOS106";

    /// <summary>Reserved: files that import each other in a cycle (accepted since issue 14: each is read once).</summary>
    public const string ImportCycle = "TOS107";

    /// <summary>An import definition is malformed.</summary>
    public const string InvalidImport = "TOS108";

    /// <summary>
    /// A path the template uses (the template itself, an import, an implementation, a dependency, an artifact) leads outside
    /// the directories <see cref="ToscaCompilerOptions.FileAccess"/> allows; it is neither read nor recorded.
    /// </summary>
    public const string PathNotAllowed = "TOS109";

    /// <summary>
    /// An import by URL or from a repository was not fetched because policy forbids it: no fetcher is configured, fetching is off
    /// (<c>--offline</c>) and the file is not in the import cache, or the host is not one the server may fetch from. Nothing was sent.
    /// </summary>
    public const string ImportFetchRefused = "TOS120";

    /// <summary>An import by URL or from a repository could not be fetched: connection, HTTP status, time-out, redirect.</summary>
    public const string ImportFetchFailed = "TOS121";

    /// <summary>A type name that is not defined (normative, imported or local).</summary>
    public const string UnknownType = "TOS201";

    /// <summary>Two different files define the same type.</summary>
    public const string DuplicateType = "TOS202";

    /// <summary>Types derive from each other in a cycle.</summary>
    public const string DerivationCycle = "TOS203";

    /// <summary>A derivation or refinement breaks the rules (wrong kind of parent, incompatible property type).</summary>
    public const string InvalidDerivation = "TOS204";

    /// <summary>A definition is malformed (a property without a type, a bad entry_schema).</summary>
    public const string InvalidDefinition = "TOS205";

    /// <summary>A value does not have the declared type.</summary>
    public const string TypeMismatch = "TOS301";

    /// <summary>A value violates a constraint.</summary>
    public const string ConstraintViolated = "TOS302";

    /// <summary>A required property has no value and no default.</summary>
    public const string MissingRequiredProperty = "TOS303";

    /// <summary>A property, attribute or input is assigned that the type does not define.</summary>
    public const string UnknownProperty = "TOS304";

    /// <summary>A constraint clause is malformed or unknown.</summary>
    public const string InvalidConstraint = "TOS305";

    /// <summary>
    /// An operation input whose name cannot be an environment variable of its script: not a variable name
    /// (<c>[A-Za-z_][A-Za-z0-9_]*</c>), or one the executor sets or the shell, the dynamic loader or an interpreter acts on
    /// (<c>BASH_ENV</c>, <c>LD_PRELOAD</c>, <c>PYTHONPATH</c>, ...; the rule is <see cref="Engine.Executors.ScriptEnvironment.IsAllowedInputName"/>).
    /// </summary>
    public const string UnsafeInputName = "TOS306";

    /// <summary>A template names another node template that does not exist.</summary>
    public const string UnknownNodeTemplate = "TOS401";

    /// <summary>A requirement that the node type does not define, assigned without enough information to resolve it.</summary>
    public const string UnknownRequirement = "TOS402";

    /// <summary>A requirement's target does not offer a compatible capability or node type.</summary>
    public const string IncompatibleTarget = "TOS403";

    /// <summary>A requirement is assigned fewer or more times than its occurrences allow.</summary>
    public const string RequirementOccurrences = "TOS404";

    /// <summary>A requirement given by type or node_filter matches no node template of the topology.</summary>
    public const string UnsatisfiedRequirement = "TOS405";

    /// <summary>A requirement given by type or node_filter matches several node templates; the first is used (warning).</summary>
    public const string AmbiguousRequirement = "TOS406";

    /// <summary>A capability assigned in a template that its type does not define.</summary>
    public const string UnknownCapability = "TOS407";

    /// <summary>An interface or operation that the type does not define.</summary>
    public const string UnknownOperation = "TOS408";

    /// <summary>A relationship template referenced by a requirement does not exist.</summary>
    public const string UnknownRelationshipTemplate = "TOS409";

    /// <summary>A group member or policy target that does not exist or is not allowed.</summary>
    public const string InvalidTarget = "TOS410";

    /// <summary>The substitution mappings are invalid.</summary>
    public const string InvalidSubstitution = "TOS411";

    /// <summary>A workflow is invalid.</summary>
    public const string InvalidWorkflow = "TOS412";

    /// <summary>An artifact or implementation reference is invalid.</summary>
    public const string InvalidArtifact = "TOS413";

    /// <summary>
    /// The topology has a <c>workflows</c> section, which Orchestra does not run (a warning): a deployment follows the order the
    /// requirements give, and the section is only checked.
    /// </summary>
    public const string WorkflowsIgnored = "TOS414";

    /// <summary>
    /// An operation with an implementation that Orchestra never runs (a warning): one of an interface other than Standard and
    /// Configure, a notification, or a policy trigger's action.
    /// </summary>
    public const string OperationNotRun = "TOS415";

    /// <summary>A function is unknown or called with the wrong arguments.</summary>
    public const string InvalidFunction = "TOS501";

    /// <summary><c>get_input</c> names an input the topology does not declare.</summary>
    public const string UnknownInput = "TOS502";

    /// <summary>A function names a node template, capability or relationship that does not exist.</summary>
    public const string UnknownFunctionTarget = "TOS503";

    /// <summary>A function names a property or attribute that the entity does not have.</summary>
    public const string UnknownFunctionProperty = "TOS504";

    /// <summary><c>HOST</c>, <c>SOURCE</c> or <c>TARGET</c> cannot be resolved where it is used.</summary>
    public const string KeywordNotResolvable = "TOS505";

    /// <summary>
    /// A run-time value (get_attribute, get_operation_output) the plan cannot represent: indexing into text made by concat, join or
    /// token at run time, or nesting deeper than <see cref="Engine.Plans.PlanValue.MaxDepth"/> (lists and maps holding run-time
    /// values are <see cref="Engine.Plans.ListValue"/>s and <see cref="Engine.Plans.MapValue"/>s).
    /// </summary>
    public const string UnsupportedRuntimeValue = "TOS506";

    /// <summary>Node templates depend on each other in a cycle, so no order can deploy them.</summary>
    public const string DependencyCycle = "TOS601";

    /// <summary>A value supplied by the caller for an input does not fit the input's declaration.</summary>
    public const string InvalidInputValue = "TOS602";

    /// <summary>A required input has no value and no default (a warning when <see cref="ToscaCompilerOptions.RequireAllInputs"/> is turned off).</summary>
    public const string MissingInputValue = "TOS603";

    /// <summary>A value was supplied for an input the template does not declare.</summary>
    public const string UndeclaredInput = "TOS604";

    /// <summary>The compiled plan fails the engine's own checks (<c>PlanValidator</c>).</summary>
    public const string InvalidPlan = "TOS605";

    /// <summary>A policy of an Orchestra type is invalid (for example two Retry policies on one node).</summary>
    public const string InvalidPolicy = "TOS606";

    /// <summary>The compiled plan is larger than <see cref="ToscaCompilerOptions.MaxPlanBytes"/> (located at the node template that crosses it).</summary>
    public const string PlanTooLarge = "TOS607";

    /// <summary>The supplied input values are larger than <see cref="ToscaCompilerOptions.MaxInputBytes"/> (located at the input that crosses it).</summary>
    public const string InputTooLarge = "TOS608";

    /// <summary>An operation's implementation file does not exist, so the operation would certainly fail when it runs.</summary>
    public const string ImplementationNotFound = "TOS609";

    /// <summary>An operation's implementation path is not a readable regular file (a directory, a FIFO or device, or a file this user cannot read).</summary>
    public const string ImplementationNotReadable = "TOS610";

    /// <summary>
    /// No executor runs an operation's implementation: a kind Orchestra has no executor for (an Ansible playbook), an unknown
    /// <c>orchestra:</c> built-in, a URL, an artifact in a repository, or a file that is neither <c>.sh</c> nor <c>.py</c> and not executable.
    /// </summary>
    public const string NoExecutor = "TOS611";
}
