using System.Text.Json.Serialization;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// A running operation process, as recorded on disk by <see cref="ProcessRecordStore"/> so that the next incarnation of the engine
/// on this machine can recognise (and stop) it if this one dies first.
/// </summary>
/// <param name="Version">The file format's version (1).</param>
/// <param name="RecordId">Unique per record: only the execution that wrote a record removes it.</param>
/// <param name="Pid">The process (the leader of its own group when <paramref name="ProcessGroupId"/> is set).</param>
/// <param name="ProcessGroupId">The process group it leads (<c>setsid</c>), or 0 if it shares the engine's group.</param>
/// <param name="StartTicks">Field 22 of <c>/proc/&lt;pid&gt;/stat</c>: with <paramref name="BootId"/>, a reused pid is never mistaken for it.</param>
/// <param name="BootId">The machine's boot id when it started.</param>
/// <param name="StartedAt">When it started (the engine's clock), for messages.</param>
/// <param name="IdempotencyKey">The operation's idempotency key (the file's name is derived from it).</param>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation.</param>
/// <param name="Phase">The task phase (deploy, revert, teardown).</param>
/// <param name="Attempt">The attempt.</param>
/// <param name="OwnerPid">The engine process that started it.</param>
/// <param name="OwnerStartTicks">That engine process's start ticks.</param>
internal sealed record ProcessRecord(
    int Version,
    string RecordId,
    int Pid,
    int ProcessGroupId,
    long StartTicks,
    string BootId,
    DateTimeOffset StartedAt,
    string IdempotencyKey,
    string DeploymentId,
    string Node,
    string Operation,
    string Phase,
    int Attempt,
    int OwnerPid,
    long OwnerStartTicks)
{
    /// <summary>The format written by this version.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Why the record cannot be used, or <see langword="null"/> if it is well-formed.</summary>
    /// <returns>The problem, in words.</returns>
    public string? Problem() =>
        Version != CurrentVersion ? $"unknown version {Version}"
        : Pid <= 0 ? $"invalid pid {Pid}"
        : ProcessGroupId < 0 ? $"invalid process group {ProcessGroupId}"
        : StartTicks < 0 ? $"invalid start time {StartTicks}"
        : string.IsNullOrEmpty(BootId) ? "no boot id"
        : string.IsNullOrEmpty(RecordId) ? "no record id"
        : string.IsNullOrEmpty(IdempotencyKey) ? "no idempotency key"
        : null;

    /// <summary>The process, for messages: <c>pid 1234, started at 2025-01-01T10:00:00.0000000+00:00</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() => $"pid {Pid}, started at {StartedAt:O}";
}

/// <summary>Source-generated JSON for <see cref="ProcessRecord"/>.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ProcessRecord))]
internal sealed partial class ProcessRecordJson : JsonSerializerContext;
