using Akka.Actor;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// <see cref="Props"/> that create an actor by calling a factory: a plain delegate call per actor, where Akka's expression-based
/// <c>Props.Create(() => new T(...))</c> evaluates the expression tree each time (a deployment creates one node actor per node and one
/// task actor per attempt, 20,000 of them for a 10,000-node plan).
/// </summary>
internal static class FactoryProps
{
    public static Props Of<TActor>(Func<TActor> factory)
        where TActor : ActorBase => Props.CreateBy(new Producer<TActor>(factory));

    private sealed class Producer<TActor>(Func<TActor> factory) : IIndirectActorProducer
        where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor)
        {
        }
    }
}
