namespace Orchestra.Engine.Tests.Executors;

/// <summary>
/// Tests that measure the process's allocations (<see cref="GC.GetTotalAllocatedBytes(bool)"/> counts every thread): they run
/// alone, after the parallel collections, so that other tests' allocations are not counted against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "Allocation measurements";
}
