namespace Orchestra.Engine.Deployments;

/// <summary>Folds a deployment's journaled events into its attempts, each with the output journaled with its outcome.</summary>
public static class AttemptLogs
{
    /// <summary>Every attempt of every task, in the order they started.</summary>
    /// <param name="events">The deployment's events, oldest first (a journal from any release: older ones have no output events).</param>
    /// <returns>The attempts.</returns>
    public static IReadOnlyList<AttemptLog> From(IEnumerable<DeploymentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var attempts = new List<AttemptLog>();
        var latest = new Dictionary<(string, string, TaskPhase, int), int>();
        Plans.DeploymentPlan? plan = null;

        void End(string node, string operation, TaskPhase phase, int attempt, Func<AttemptLog, AttemptLog> change)
        {
            if (latest.TryGetValue((node, operation, phase, attempt), out var index))
            {
                attempts[index] = change(attempts[index]);
            }
        }

        foreach (var @event in events)
        {
            switch (@event)
            {
                case DeploymentSubmitted e:
                    plan = e.Plan;
                    break;
                case TaskStarted e:
                    var key = (e.Node, e.Operation, e.Phase, e.Attempt);
                    if (latest.TryGetValue(key, out var previous) && attempts[previous].Outcome == AttemptOutcome.Running)
                    {
                        attempts[previous] = attempts[previous] with { Outcome = AttemptOutcome.Interrupted };
                    }

                    latest[key] = attempts.Count;
                    attempts.Add(new AttemptLog(e.Node, e.Operation, e.Phase, e.Attempt, AttemptOutcome.Running, e.At, null, null, null, null, null)
                    {
                        Runs = e.Phase == TaskPhase.Revert ? plan?.RevertNameOf(e.Node, e.Operation) : null,
                    });
                    break;
                case TaskOutputCaptured e:
                    End(e.Node, e.Operation, e.Phase, e.Attempt, a => a with { Stdout = e.Stdout, Stderr = e.Stderr });
                    break;
                case TaskSucceeded e:
                    End(e.Node, e.Operation, e.Phase, e.Attempt, a => a with { Outcome = AttemptOutcome.Succeeded, FinishedAt = e.At });
                    break;
                case TaskAttemptFailed e:
                    End(e.Node, e.Operation, e.Phase, e.Attempt, a => a with { Outcome = AttemptOutcome.Failed, FinishedAt = e.At, ExitCode = e.ExitCode, Error = e.Error });
                    break;
                case TaskFailed e:
                    End(e.Node, e.Operation, e.Phase, e.Attempt, a => a with { Outcome = AttemptOutcome.Failed, FinishedAt = e.At, ExitCode = e.ExitCode, Error = e.Error });
                    break;
                case TaskCancelled e:
                    End(e.Node, e.Operation, e.Phase, e.Attempt, a => a.Outcome == AttemptOutcome.Running ? a with { Outcome = AttemptOutcome.Cancelled, FinishedAt = e.At, Error = e.Reason } : a);
                    break;
                default:
                    break;
            }
        }

        return attempts;
    }
}
