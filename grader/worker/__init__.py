"""The untrusted side: the only code that runs beside a student's.

It imports nothing from the rest of ``grader`` (runner, suites, reference, gradebook,
reports): everything it needs arrives as data over the channel. ``python -m grader.worker``
starts the zygote, which forks one child per student (per group of assignments with
equal limits).
"""
