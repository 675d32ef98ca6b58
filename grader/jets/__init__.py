"""The jet-classifier assignment's trusted-side helpers: data, metrics, settings.

``data`` loads the real jets (OpenML 42468 or a local file) or generates the surrogate;
``metrics`` scores a probability matrix; ``settings`` reads the assignment's thresholds.
None of them imports TensorFlow. ``worker_builtins`` is the exception that proves the rule:
it runs inside the sandboxed worker and imports nothing else from ``grader``.
"""
