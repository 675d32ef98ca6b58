"""The untrusted side: the only code that runs beside a student's.

It imports nothing from the rest of ``grader`` (runner, suites, reference, gradebook,
reports): everything it needs arrives as data over the channel. ``python -m grader.worker``
starts the zygote, which forks one child per student (per group of assignments with
equal limits). Every message it exchanges with the engine is declared in ``protocol``.

Its own exceptions never cross the boundary as objects: what the student's code raised
travels as data (``protocol.ErrorInfo``), and the engine turns a broken channel into its own
``grader.errors`` (``ProtocolError``, ``WorkerDiedError``, ``SubmissionTimeout``)::

    wire.WireError                 a frame that breaks the format (engine: ProtocolError)
    ├── wire.ChannelClosed         the other end hung up (engine: WorkerDiedError)
    ├── wire.ChannelTimeout        no frame before the deadline (engine: SubmissionTimeout)
    └── wire.FrameTooLarge         a frame over the reader's bounds (engine: ReplyTooLarge)
    child.CallbackError            the grader's callable, called back, refused (RuntimeError)
    notebook.NotebookError         the file is not a notebook we can run (the file's load error)
    notebook.CellTimeoutError      a cell ran past its limit (a BaseException, so a student's
                                   ``except Exception`` does not swallow it)
    notebook_caps.NotebookTooLarge a notebook past max_notebook_kb or max_notebook_cells (the
                                   file's load error)
    saved_model.SavedModelRefused  a saved model whose archive asks for too much (a ValueError:
                                   the test that loads the model fails with it)
"""
