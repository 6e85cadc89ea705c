using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Dispatch;

/// <content>Supervision of children: the parent's strategy decides about a failed child (and, all-for-one, its siblings).</content>
internal sealed partial class ActorCell
{
    private void HandleFailed(Failed failed)
    {
        var child = failed.Child;
        if (!IsChild(child) || child.IsTerminated)
        {
            return;
        }

        var strategy = _strategy ??= _actor?.GetSupervisorStrategy() ?? _system.DefaultSupervisorStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decider(failed.Cause);
        }
        catch (Exception ex)
        {
            Log.HookFailed(_system.Logger, "SupervisorStrategy.Decider", Path.ToString(), ex);
            directive = Directive.Escalate;
        }

        var childPath = child.Path.ToString();
        switch (directive)
        {
            case Directive.Resume:
                Log.ChildResumed(_system.Logger, childPath, failed.Cause);
                child.SendSystemMessage(new Resume());
                break;
            case Directive.Restart:
                var affected = Affected(child, strategy);
                if (RequestRestartPermission(affected, strategy))
                {
                    Log.ChildRestarted(_system.Logger, childPath, failed.Cause);
                    foreach (var target in affected)
                    {
                        LogSibling(target, child, failed.Cause, restarted: true);
                        target.SendSystemMessage(new Recreate(failed.Cause));
                    }
                }
                else
                {
                    Log.ChildCrashLoop(_system.Logger, childPath, failed.Cause);
                    StopAffected(affected, child, failed.Cause);
                }

                break;
            case Directive.Stop:
                Log.ChildStopped(_system.Logger, childPath, failed.Cause);
                StopAffected(Affected(child, strategy), child, failed.Cause);
                break;
            default:
                Log.ChildEscalated(_system.Logger, childPath, failed.Cause);
                Fail(failed.Cause);
                break;
        }
    }

    /// <summary>The children a restart or stop applies to: the failed one first, then (all-for-one) its live siblings.</summary>
    private List<LocalActorRef> Affected(LocalActorRef failedChild, SupervisorStrategy strategy)
    {
        List<LocalActorRef> affected = [failedChild];
        if (strategy.AppliesToAllChildren && _children is { } children)
        {
            foreach (var sibling in children.Snapshot())
            {
                if (sibling is LocalActorRef local && !ReferenceEquals(local, failedChild) && !local.IsTerminated)
                {
                    affected.Add(local);
                }
            }
        }

        return affected;
    }

    private bool RequestRestartPermission(List<LocalActorRef> affected, SupervisorStrategy strategy)
    {
        // Every child's window counts this restart (no short cut): their histories stay comparable.
        var permitted = true;
        foreach (var target in affected)
        {
            permitted &= strategy.RequestRestartPermission(target.Cell.RestartStatistics, _system.TimeProvider);
        }

        return permitted;
    }

    private void StopAffected(List<LocalActorRef> affected, LocalActorRef failedChild, Exception cause)
    {
        foreach (var target in affected)
        {
            LogSibling(target, failedChild, cause, restarted: false);
            target.SendSystemMessage(new Terminate());
        }
    }

    private void LogSibling(LocalActorRef target, LocalActorRef failedChild, Exception cause, bool restarted)
    {
        if (ReferenceEquals(target, failedChild))
        {
            return;
        }

        if (restarted)
        {
            Log.SiblingRestarted(_system.Logger, target.Path.ToString(), failedChild.Path.ToString(), cause);
        }
        else
        {
            Log.SiblingStopped(_system.Logger, target.Path.ToString(), failedChild.Path.ToString(), cause);
        }
    }
}
