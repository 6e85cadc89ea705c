namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// The source of the callback plugin each playbook run gets (enabled by <c>ANSIBLE_CALLBACKS_ENABLED</c>): an aggregate callback, so
/// the default stdout callback still prints what a person reads, that writes the run's global <c>set_stats</c> data (what xOpera takes
/// as the operation's outputs) and each failed or unreachable task to the JSON file named by <c>ORCHESTRA_ANSIBLE_RESULTS</c>.
/// </summary>
internal static class AnsibleCallbackPlugin
{
    /// <summary>The plugin's name (its file is <c>&lt;Name&gt;.py</c>).</summary>
    public const string Name = "orchestra_results";

    /// <summary>The variable that names the results file.</summary>
    public const string ResultsVariable = "ORCHESTRA_ANSIBLE_RESULTS";

    /// <summary>The Python source.</summary>
    public const string Source = """
        # Written by Orchestra for one ansible-playbook run; removed with the run's directory.
        import json
        import os

        from ansible.plugins.callback import CallbackBase

        try:
            from ansible.module_utils.common.json import AnsibleJSONEncoder
        except ImportError:
            from ansible.parsing.ajson import AnsibleJSONEncoder

        DOCUMENTATION = '''
        name: orchestra_results
        type: aggregate
        short_description: records set_stats data and failed tasks for Orchestra
        description:
          - Writes them as JSON to the file named by ORCHESTRA_ANSIBLE_RESULTS.
        '''


        class CallbackModule(CallbackBase):
            CALLBACK_VERSION = 2.0
            CALLBACK_TYPE = 'aggregate'
            CALLBACK_NAME = 'orchestra_results'
            CALLBACK_NEEDS_ENABLED = True

            def __init__(self, *args, **kwargs):
                super(CallbackModule, self).__init__(*args, **kwargs)
                self._failures = []

            def _record(self, kind, result):
                data = result._result if isinstance(result._result, dict) else {}
                self._failures.append({
                    'kind': kind,
                    'task': result._task.get_name(),
                    'host': result._host.get_name(),
                    'msg': data.get('msg'),
                    'rc': data.get('rc'),
                    'stderr': data.get('stderr'),
                    'stdout': data.get('stdout'),
                })

            def v2_runner_on_failed(self, result, ignore_errors=False):
                if not ignore_errors:
                    self._record('failed', result)

            def v2_runner_on_unreachable(self, result):
                self._record('unreachable', result)

            def v2_playbook_on_stats(self, stats):
                path = os.environ.get('ORCHESTRA_ANSIBLE_RESULTS')
                if not path:
                    return
                document = {'stats': stats.custom.get('_run', {}), 'failures': self._failures}
                with open(path + '.tmp', 'w', encoding='utf-8') as f:
                    json.dump(document, f, cls=AnsibleJSONEncoder, separators=(',', ':'), ensure_ascii=False)
                os.replace(path + '.tmp', path)

        """;
}
