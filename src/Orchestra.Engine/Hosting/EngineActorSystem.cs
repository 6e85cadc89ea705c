using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Persistence;
using Orchestra.Persistence.Provided;

namespace Orchestra.Engine.Hosting;

/// <summary>
/// The Akka.NET actor system deployments run on, configured the one way the engine needs it: Orchestra's journal and snapshot plugins on
/// the store the <see cref="DeploymentsHost"/> is given (with the deployment events' stable manifests), Akka's log lines through the application's <see cref="ILoggerFactory"/> (nothing
/// on stdout), and a guardian that stops a failed deployment actor instead of restarting it (its next request recovers it from the
/// journal, under a fresh lease).
/// </summary>
/// <remarks>Converts implicitly to Akka's <see cref="ActorSystem"/>; disposing it terminates the actor system and waits for that.</remarks>
public sealed class EngineActorSystem : IAsyncDisposable
{
    private EngineActorSystem(ActorSystem system) => System = system;

    /// <summary>The serializer of the deployment events and snapshot (their stable manifests): the plugins' and the host's reads'.</summary>
    internal static EventSerializer DeploymentSerializer { get; } = new(DeploymentEventTypes.Register(new EventTypeRegistry()));

    /// <summary>The Akka actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>Lets an <see cref="EngineActorSystem"/> stand where Akka's <see cref="ActorSystem"/> is expected.</summary>
    /// <param name="system">The engine's actor system.</param>
    public static implicit operator ActorSystem(EngineActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.System;
    }

    /// <summary>Starts an actor system for deployments.</summary>
    /// <param name="name">Its name (letters, digits, <c>-</c> and <c>_</c>).</param>
    /// <param name="loggerFactory">Where Akka's own warnings and errors go; <see langword="null"/> for nowhere.</param>
    /// <param name="maxConcurrentRecoveries">How many deployment actors replay their journal at once (Akka's <c>max-concurrent-recoveries</c>); 50 by default.</param>
    /// <returns>The started actor system.</returns>
    public static EngineActorSystem Create(string name, ILoggerFactory? loggerFactory = null, int maxConcurrentRecoveries = 50)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new EngineActorSystem(ActorSystem.Create(name, Setup(loggerFactory, maxConcurrentRecoveries)));
    }

    /// <summary>The setup <see cref="Create"/> starts an actor system with (for a test kit that starts its own).</summary>
    /// <param name="loggerFactory">Where Akka's own warnings and errors go; <see langword="null"/> for nowhere.</param>
    /// <param name="maxConcurrentRecoveries">How many deployment actors replay their journal at once; 50 by default.</param>
    /// <returns>The HOCON and the setups of the engine's actor system.</returns>
    public static ActorSystemSetup Setup(ILoggerFactory? loggerFactory = null, int maxConcurrentRecoveries = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentRecoveries, 1);
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              loggers = ["{{typeof(LoggerFactoryLogger).FullName}}, {{typeof(LoggerFactoryLogger).Assembly.GetName().Name}}"]
              logger-startup-timeout = 10s
              log-dead-letters-during-shutdown = off
              actor.guardian-supervisor-strategy = "Akka.Actor.StoppingSupervisorStrategy"
              persistence.max-concurrent-recoveries = {{maxConcurrentRecoveries}}
            }
            """).WithFallback(ConfigurationFactory.ParseString(ProvidedStore.Hocon));
        return ActorSystemSetup.Create(
            BootstrapSetup.Create().WithConfig(config),
            new LoggerFactorySetup(loggerFactory ?? NullLoggerFactory.Instance),
            new OrchestraPersistenceSetup(DeploymentSerializer));
    }

    /// <summary>Terminates the actor system (its actors stop) and completes when it has.</summary>
    public Task TerminateAsync() => System.Terminate();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await TerminateAsync().ConfigureAwait(false);
}
