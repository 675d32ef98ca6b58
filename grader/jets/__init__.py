"""The jet-classifier assignment's trusted-side helpers: data, metrics, settings.

``data`` loads the real jets (OpenML 42468 or a local file) or generates the surrogate;
``metrics`` scores a probability matrix; ``settings`` reads the assignment's thresholds.
None of them imports TensorFlow; what the worker does for the jet suite (seeding, loading a
saved model) lives in ``grader.worker.builtins``, beside the student's code.
"""
