using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Dispatch;

/// <content>Supervision of children: the parent's strategy decides about a failed child.</content>
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
            case Directive.Restart when strategy.RequestRestartPermission(child.Cell.RestartStatistics, _system.TimeProvider):
                Log.ChildRestarted(_system.Logger, childPath, failed.Cause);
                child.SendSystemMessage(new Recreate(failed.Cause));
                break;
            case Directive.Restart:
                Log.ChildCrashLoop(_system.Logger, childPath, failed.Cause);
                child.SendSystemMessage(new Terminate());
                break;
            case Directive.Stop:
                Log.ChildStopped(_system.Logger, childPath, failed.Cause);
                child.SendSystemMessage(new Terminate());
                break;
            default:
                Log.ChildEscalated(_system.Logger, childPath, failed.Cause);
                Fail(failed.Cause);
                break;
        }
    }
}
