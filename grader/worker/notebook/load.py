"""Reading the file: is it a runnable Python notebook, and if not, what should the student do."""

from __future__ import annotations

import json
import os
import re
import warnings
from typing import Any

from .records import NotebookError


def nbformat_module():
    import nbformat
    import nbformat.reader
    import nbformat.validator

    return nbformat


_FOREIGN_FORMATS = (
    ("<!doctype html", "an HTML export of a notebook, not the notebook itself"),
    ("<html", "an HTML export of a notebook, not the notebook itself"),
    ("%pdf", "a PDF, not a notebook"),
    ("pk\x03\x04", "a zip archive, not a notebook"),
)


def load_notebook(path: str) -> Any:
    name = os.path.basename(path)
    redo = f"open it in Jupyter (or Colab) and save it again as {name}"
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise NotebookError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        head = raw[:8].decode("latin-1").lower()
        for magic, what in _FOREIGN_FORMATS:
            if head.startswith(magic):
                raise NotebookError(
                    f"{name} is {what}; submit the .ipynb file saved by Jupyter"
                ) from None
        raise NotebookError(f"{name} is not UTF-8 text, so it is not a notebook; {redo}") from None
    if not text.strip():
        raise NotebookError(f"{name} is empty; {redo}")
    lead = text.lstrip()
    if not lead.startswith("{"):
        for magic, what in _FOREIGN_FORMATS:
            if lead[: len(magic)].lower() == magic:
                raise NotebookError(f"{name} is {what}; submit the .ipynb file saved by Jupyter")
        if _looks_like_python(text):
            stem = os.path.splitext(name)[0]
            raise NotebookError(
                f"{name} is a Python script renamed to .ipynb, not a notebook (a notebook is "
                f"JSON); submit it as {stem}.py, or paste the code into a notebook and save that"
            )
        raise NotebookError(f"{name} is not a Jupyter notebook (a notebook is JSON); {redo}")
    nbformat = nbformat_module()
    try:
        nb = nbformat.reader.reads(text)
    except nbformat.reader.NotJSONError:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        else:  # pragma: no cover - nbformat and json disagree
            where = "nbformat could not parse it"
        raise NotebookError(
            f"{name} is not valid JSON ({where}); the file is damaged, perhaps cut short or "
            f"edited by hand: {redo}"
        ) from None
    except Exception as exc:  # NBFormatError, missing/odd "nbformat" field, ...
        raise NotebookError(f"{name} is JSON but not a Jupyter notebook ({exc}); {redo}") from None
    major = nb.get("nbformat")
    if not isinstance(major, int) or isinstance(major, bool):
        raise NotebookError(
            f'{name} is JSON but not a Jupyter notebook (it has no "nbformat" version); {redo}'
        )
    if major != 4:
        if major < 4:
            raise NotebookError(
                f"{name} is saved in notebook format v{major}; open it in a current Jupyter and "
                "save it again (that writes format v4)"
            )
        raise NotebookError(
            f"{name} is saved in notebook format v{major}, which the grader does not read; "
            "save it from Jupyter as a v4 notebook"
        )
    if not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{name} has no list of cells; {redo}")
    language = _notebook_language(nb)
    if language and language != "python":
        raise NotebookError(
            f"{name} is a {language} notebook; the grader runs Python notebooks only"
        )
    code = [c for c in nb.cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    if not code:
        raise NotebookError(
            f"{name} has no code cells, so there is nothing to run; put your code in code "
            "cells (not Markdown cells) and save the notebook again"
        )
    for cell in code:
        if not isinstance(cell.get("source", ""), str):
            raise NotebookError(f"{name} has a code cell whose source is not text; {redo}")
    if not any(cell.get("source", "").strip() for cell in code):
        raise NotebookError(
            f"{name} has only empty code cells, so there is nothing to run; did you save the "
            "notebook after writing your code?"
        )
    nb.setdefault("metadata", {})
    return nb


def _notebook_language(nb: Any) -> str:
    meta = nb.get("metadata")
    if not isinstance(meta, dict):
        return ""
    for key, sub in (("language_info", "name"), ("kernelspec", "language")):
        value = meta.get(key)
        if isinstance(value, dict) and isinstance(value.get(sub), str):
            return value[sub].strip().lower()
    return ""


def _looks_like_python(text: str) -> bool:
    try:
        compile(text, "<submission>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        pass
    else:
        return True
    return bool(re.search(r"^\s*(import \w|from \w+ import|def \w+\(|class \w+|# %%)", text, re.M))


def schema_note(nb: Any, name: str) -> str | None:
    nbformat = nbformat_module()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"{name} does not follow the notebook schema ({first[:200]}); it was run anyway, "
            "but save it again from Jupyter to be safe"
        )
    except Exception:  # a validator crash is not the student's problem
        return None
    return None

