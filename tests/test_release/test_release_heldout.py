"""The Titanic held-out rows are reference data: no bundle may hold one of them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from grader.release.leaks import distinctive_lines, find_leaks

REPO = Path(__file__).resolve().parents[2]
PUBLIC = REPO / "assignments" / "titanic" / "train.csv"
HELDOUT = REPO / "reference" / "titanic" / "heldout.csv"


def _rows(path: Path) -> list[str]:
    return path.read_text().splitlines()[1:]


def test_the_two_parts_are_the_files_their_data_notes_name() -> None:
    for path in (PUBLIC, HELDOUT):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in (path.parent / "DATA.md").read_text(), path
    public, heldout = _rows(PUBLIC), _rows(HELDOUT)
    assert (len(public), len(heldout)) == (712, 179)
    assert not set(public) & set(heldout)


def test_every_heldout_row_is_distinctive() -> None:
    lines = distinctive_lines(REPO / "reference", REPO / "assignments")
    assert all(row.strip() in lines for row in _rows(HELDOUT))


def test_a_bundle_holding_the_whole_kaggle_file_is_refused(tmp_path: Path) -> None:
    header = PUBLIC.read_text().splitlines()[0]
    whole = tmp_path / "bundle" / "assignments" / "titanic" / "all.csv"
    whole.parent.mkdir(parents=True)
    whole.write_text("\n".join([header, *_rows(PUBLIC), *_rows(HELDOUT)]) + "\n")
    leaks = find_leaks(tmp_path / "bundle", REPO / "reference", REPO / "assignments")
    assert len(leaks) == 179
    assert all("reference/titanic/heldout.csv" in leak.what for leak in leaks)


def test_the_public_part_alone_is_no_leak(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "train.csv").write_bytes(PUBLIC.read_bytes())
    assert not find_leaks(bundle, REPO / "reference", REPO / "assignments")
