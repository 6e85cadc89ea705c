namespace Orchestra.Actors.Tests.Supervision;

internal sealed record Crash(Exception Error);

internal sealed record GetCount;

internal sealed record GetChild(string Name);

internal sealed class RestartMe : Exception;

internal sealed class StopMe : Exception;

internal sealed class ResumeMe : Exception;

/// <summary>Counts (and echoes to their sender) the strings it gets; reports its lifecycle to its own probe.</summary>
internal sealed class SupervisedWorker : ReceiveActor
{
    private readonly IActorRef _lifecycle;
    private int _count;

    public SupervisedWorker(IActorRef lifecycle)
    {
        _lifecycle = lifecycle;
        Receive<string>(s =>
        {
            _count++;
            Sender.Tell(s);
        });
        Receive<GetCount>(_ => Sender.Tell(_count));
        Receive<Crash>(c => throw c.Error);
    }

    protected override void PreStart() => _lifecycle.Tell("PreStart");

    protected override void PostStop() => _lifecycle.Tell("PostStop");

    protected override void PreRestart(Exception reason, object? message)
    {
        _lifecycle.Tell($"PreRestart:{reason.GetType().Name}:{message?.GetType().Name}");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _lifecycle.Tell("PostRestart");
        base.PostRestart(reason);
    }
}

/// <summary>Supervises one <see cref="SupervisedWorker"/> per (name, lifecycle probe) with the given strategy.</summary>
internal sealed class WorkerSupervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public WorkerSupervisor(SupervisorStrategy strategy, IReadOnlyList<(string Name, IActorRef Lifecycle)> workers)
    {
        _strategy = strategy;
        foreach (var (name, lifecycle) in workers)
        {
            Context.ActorOf(Props.Create(() => new SupervisedWorker(lifecycle)), name);
        }

        Receive<GetChild>(g => Sender.Tell(Context.Child(g.Name) ?? (object)new Status.Failure(new InvalidOperationException("no child " + g.Name))));
        Receive<GetCount>(_ => Sender.Tell(Context.GetChildren().Count));
    }

    protected override SupervisorStrategy CreateSupervisorStrategy() => _strategy;
}
