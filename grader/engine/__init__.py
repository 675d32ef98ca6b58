"""The grading engine: the trusted side of the sandbox, from the zygote to the pytest session.

One pool process holds one ``grading.Engine``; its pieces, from the student's code outwards::

    sandbox.Sandbox          how the worker is confined (bwrap, unshare, or nothing)
        |
    host.WorkerHost          the sandboxed zygote (``python -m grader.worker``), started once;
    host.SharedChild         forks one child per student (per group of equal limits) and
    host.ChildHandle         holds the trusted end of its socket and its output file
        |                                   ... the wire: ``grader.worker.protocol`` ...
    assignment_run.AssignmentRun   one assignment of one student in that child: its clock,
        |                          restarts, timeouts, callbacks, the decoding of replies
    proxy.SubmissionProxy    what a hidden test sees: the student's namespace, functions
    proxy.RemoteObject, ...  (RemoteCall), objects (RemoteObject) and exceptions
        |                    (RemoteException), each attribute read or call one request
    plugin.GradingPlugin     pytest plugin: markers, fixtures, a test loop fed by ``Job``s
    session.SuiteSession     one pytest session, kept open, that grades job after job

Beside them: ``memory`` (each child's resident-memory budget: a cgroup, else a watchdog),
``budget`` (how much one reply may bring back), ``load_entries`` (the worker's load report
brought to one shape) and ``files`` (the byte budget of what a student submitted).

``grading.Engine.grade(submission)`` ties them together and returns a ``StudentResult``.
Nothing here executes or unpickles what the student wrote: their code runs only in the
worker (``grader.worker``), which imports nothing from this package.
"""
