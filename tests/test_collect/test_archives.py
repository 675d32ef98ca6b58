"""Archives are untrusted input: each class of attack refused by the mechanism, in memory,
and a refused archive costs its owner one line while the class is collected as usual."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader import collect
from grader.archives import ArchiveRefused, unpack

from .fixtures import CORRECT, grade_softmax, zip_bytes


def _zip_with(info: zipfile.ZipInfo, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as handle:
        handle.writestr(info, data)
    return buffer.getvalue()


def _tar_with(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as handle:
        for info, data in members:
            info.size = len(data)
            handle.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return buffer.getvalue()


def _link_zip() -> bytes:
    info = zipfile.ZipInfo("softmax.py")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return _zip_with(info, b"/work/main/reference/softmax/solution.py")


def _tar(kind: bytes, name: str = "softmax.py", target: str = "") -> bytes:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return _tar_with((info, b""))


@pytest.mark.parametrize(("data", "words"), [
    (zip_bytes({"../../evil.py": b"x"}), "outside the archive"),
    (zip_bytes({"/etc/cron.d/evil": b"x"}), "absolute path"),
    (zip_bytes({"C:/evil.py": b"x"}), "absolute path"),
    (_link_zip(), "symbolic link"),
    (_tar(tarfile.SYMTYPE, target="/etc/shadow"), "symbolic link"),
    (_tar(tarfile.LNKTYPE, target="softmax.py"), "hard link"),
    (_tar(tarfile.CHRTYPE), "not a regular file"),
    (_tar(tarfile.FIFOTYPE), "not a regular file"),
    (_tar_with((tarfile.TarInfo("../evil.py"), b"x")), "outside the archive"),
], ids=["zip-slip", "absolute", "drive", "zip-symlink", "tar-symlink", "tar-hardlink",
        "tar-device", "tar-fifo", "tar-slip"])
def test_hostile_entries_refuse_the_archive(data: bytes, words: str) -> None:
    with pytest.raises(ArchiveRefused, match=words):
        unpack("hw.zip", data)


def test_bytes_are_counted_as_they_come_out() -> None:
    """A 70 MiB member compresses to a few kilobytes: the cap holds on what is read."""
    bomb = zip_bytes({"data.npy": bytes(70 << 20)})
    assert len(bomb) < 1 << 20
    with pytest.raises(ArchiveRefused, match="more than 64 MiB"):
        unpack("hw.zip", bomb)


def test_too_many_entries_and_too_deep_nesting_are_refused() -> None:
    with pytest.raises(ArchiveRefused, match="more than 2000 entries"):
        unpack("hw.zip", zip_bytes({f"f{i}.py": b"" for i in range(2001)}))
    nested = zip_bytes({"softmax.py": CORRECT})
    for level in range(3):
        nested = zip_bytes({f"level{level}.zip": nested})
    with pytest.raises(ArchiveRefused, match="nested more than 3 deep"):
        unpack("hw.zip", nested)


def test_an_archive_inside_an_archive_and_junk() -> None:
    inner = zip_bytes({"softmax.py": CORRECT})
    found = unpack("hw.tar", _tar_with((tarfile.TarInfo("hw3/inner.zip"), inner),
                                       (tarfile.TarInfo("__MACOSX/._x"), b"")))
    assert found.files == {"hw3/inner.zip/softmax.py": CORRECT}
    assert found.archives == ["hw3/inner.zip"] and found.dropped == ["__MACOSX/._x"]


def test_a_bomb_or_a_slip_costs_its_owner_only(tmp_path: Path) -> None:
    download = tmp_path / "download"
    download.mkdir()
    (download / "lovelaceada_1017_1_softmax.py").write_bytes(CORRECT)
    (download / "mallory_1066_2_hw.zip").write_bytes(zip_bytes({"x.npy": bytes(70 << 20)}))
    (download / "trent_1067_3_hw.zip").write_bytes(
        zip_bytes({"softmax.py": CORRECT, "../../../evil.py": b"print('owned')"}))
    out = tmp_path / "collected"
    run = collect.main(source=download, out=out, platform="canvas")
    by_name = {s.student: s for s in run.students}
    assert by_name["mallory"].status == by_name["trent"].status == "refused"
    assert "more than 64 MiB" in by_name["mallory"].ignored["hw.zip"]
    assert "outside the archive" in by_name["trent"].ignored["hw.zip"]
    assert not list(tmp_path.rglob("evil.py")), "nothing is written outside the student"
    assert not any((out / "trent").iterdir()), "a refused archive is not half unpacked"
    results = grade_softmax(out)
    assert results["lovelaceada"]["score"] == 10.0
    assert results["mallory"]["status"] == results["trent"]["status"] == "missing"
