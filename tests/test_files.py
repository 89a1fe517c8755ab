"""geo.core.files: the reader refuses what is not a regular file; the writer checks every path
first, writes all files or none, and names only the user's paths in its messages."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import threading

import pytest

from geo.core import files
from geo.i18n import quote


def temp_names(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def refused(outputs: dict, says: str) -> str:
    with pytest.raises(files.OutputError) as caught:
        files.write_all(outputs)
    message = str(caught.value)
    assert says in message, message
    assert "\n" not in message and message.endswith(".")
    return message


# --------------------------------------------------------------------------- checksum


def test_sha256_is_the_standard_digest():
    assert files.sha256(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert files.sha256(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


# --------------------------------------------------------------------------- the same file twice


def test_same_path_twice_is_refused(tmp_path):
    out = tmp_path / "m.html"
    with pytest.raises(files.OutputError, match="are the same file"):
        files.check_outputs([out, str(out)])
    refused({str(out): "a", str(tmp_path) + "/./m.html": "b"}, "are the same file")
    assert list(tmp_path.iterdir()) == []


def test_same_file_by_another_spelling_is_refused(tmp_path):
    (tmp_path / "sub").mkdir()
    refused(
        {tmp_path / "m.html": "a", str(tmp_path / "sub" / ".." / "m.html"): "b"},
        "are the same file",
    )
    assert not (tmp_path / "m.html").exists()


def test_same_file_through_a_symlink_is_refused(tmp_path):
    (tmp_path / "real.html").write_text("old")
    (tmp_path / "link.html").symlink_to("real.html")
    refused({tmp_path / "real.html": "a", tmp_path / "link.html": "b"}, "are the same file")
    assert (tmp_path / "real.html").read_text() == "old"


def test_same_file_through_a_hard_link_is_refused(tmp_path):
    (tmp_path / "one.html").write_text("old")
    os.link(tmp_path / "one.html", tmp_path / "two.html")
    refused({tmp_path / "one.html": "a", tmp_path / "two.html": "b"}, "are the same file")
    assert (tmp_path / "one.html").read_text() == "old"


# --------------------------------------------------------------------------- folders


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_folder_is_refused(tmp_path, slash):
    (tmp_path / "maps").mkdir()
    message = refused({str(tmp_path / "maps") + slash: "x"}, "is a folder")
    assert "map.html" in message  # an example of what to give instead
    assert list((tmp_path / "maps").iterdir()) == []


def test_a_missing_folder_is_refused(tmp_path):
    out = tmp_path / "newdir" / "m.html"
    message = refused({out: "x"}, "does not exist")
    assert str(out) in message and str(tmp_path / "newdir") in message
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_with_a_trailing_slash_is_refused_and_creates_no_file(tmp_path):
    message = refused({str(tmp_path / "newdir") + "/": "x"}, "names a folder")
    assert "newdir/map.html" in message
    assert list(tmp_path.iterdir()) == []  # no file called newdir


def test_a_file_used_as_a_folder_is_refused(tmp_path):
    (tmp_path / "plain").write_text("x")
    refused({tmp_path / "plain" / "m.html": "x"}, "is not a folder")
    assert (tmp_path / "plain").read_text() == "x"


# --------------------------------------------------------------------------- devices and pipes


def test_dev_null_is_refused_and_left_alone(tmp_path):
    before = os.stat("/dev/null")
    refused({"/dev/null": "x", tmp_path / "m.html": "y"}, "not a regular file")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_is_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused({fifo: "x"}, "not a regular file")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
def test_a_copy_of_dev_full_made_with_mknod_is_refused_and_left_alone(tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.stat("/dev/full").st_rdev)
    refused({full: "x"}, "not a regular file")
    assert stat.S_ISCHR(os.stat(full).st_mode)


# --------------------------------------------------------------------------- symbolic links


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "target.html").write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to("target.html")
    files.write_all({link: "new"})
    assert link.is_symlink() and os.readlink(link) == "target.html"
    assert (tmp_path / "target.html").read_text() == "new"
    assert temp_names(tmp_path) == []


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.html"
    link.symlink_to("made.html")
    files.write_all({link: "new"})
    assert link.is_symlink() and (tmp_path / "made.html").read_text() == "new"


# --------------------------------------------------------------------------- all or nothing


@pytest.mark.parametrize("first_exists", [True, False])
def test_a_full_disk_on_the_second_write_leaves_the_first_file_as_it_was(
    tmp_path, monkeypatch, first_exists
):
    first, second = tmp_path / "m.html", tmp_path / "m.geojson"
    if first_exists:
        first.write_text("old page")
    calls = []
    real_write = files._write_fd

    def write(fd, data):
        calls.append(len(data))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(fd, data)

    monkeypatch.setattr(files, "_write_fd", write)
    message = refused({first: "new page", second: "{}"}, "No space left on device")
    assert str(second) in message and ".tmp" not in message
    assert len(calls) == 2
    if first_exists:
        assert first.read_text() == "old page"
    else:
        assert not first.exists()
    assert not second.exists()
    assert temp_names(tmp_path) == []


def test_interrupted_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_write_fd", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_all({tmp_path / "m.html": "x"})
    assert list(tmp_path.iterdir()) == []


def test_all_files_are_written_with_text_as_utf8(tmp_path):
    files.write_all({tmp_path / "a.html": "Chișinău", tmp_path / "b.bin": b"\x00\xff"})
    assert (tmp_path / "a.html").read_bytes() == "Chișinău".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"


def test_new_files_get_the_umask_and_existing_files_keep_their_mode(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_all({tmp_path / "new.html": "x"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.html").st_mode) == 0o640
    kept = tmp_path / "kept.html"
    kept.write_text("old")
    kept.chmod(0o604)
    files.write_all({kept: "new"})
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o604 and kept.read_text() == "new"


# --------------------------------------------------------------------------- messages


def test_a_250_byte_file_name_is_written_though_a_temp_name_from_it_would_be_too_long(tmp_path):
    out = tmp_path / ("m" * 245 + ".html")
    files.write_all({out: "x"})
    assert out.read_text() == "x" and temp_names(tmp_path) == []


def test_a_too_long_file_name_is_refused_naming_the_users_path(tmp_path):
    out = tmp_path / ("m" * 260 + ".html")
    with pytest.raises(files.OutputError) as caught:
        files.write_all({out: "x"})
    message = str(caught.value)
    assert "too long" in message.lower() and str(out)[-60:] in message and str(out)[:40] in message
    assert ".tmp" not in message and "kharkiv-map-" not in message
    assert len(message) < 300


@pytest.mark.skipif(not os.path.exists("/proc/version"), reason="needs Linux /proc")
def test_out_proc_version_is_refused_naming_it_not_a_temporary_file():
    before = open("/proc/version").read()
    with pytest.raises(files.OutputError) as caught:
        files.write_all({"/proc/version": "x"})
    message = str(caught.value)
    assert message.startswith("cannot write /proc/version:") and ".tmp" not in message
    assert open("/proc/version").read() == before


def test_values_in_messages_are_cut_to_a_short_prefix():
    assert quote.shown("x" * 1000) == "x" * quote.VALUE_LIMIT + "…"
    assert quote.shown("short") == "short"
    long_path = "/" + "d" * 400 + "/m.html"
    shown = quote.shown_path(long_path)
    assert (
        len(shown) <= quote.PATH_LIMIT + 1
        and shown.startswith("/ddd")
        and shown.endswith("d/m.html")
    )


def test_an_empty_name_is_refused():
    refused({"": "x"}, "empty file name")


# --------------------------------------------------------------------------- reading


def test_read_regular_refuses_a_fifo_without_hanging(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = {}

    def read():
        try:
            files.read_regular(fifo, 100)
        except files.ReadError as err:
            result["error"] = err

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "reading a FIFO hung"
    assert "not a regular file" in str(result["error"]) and str(fifo) in str(result["error"])


def test_read_regular_refuses_a_file_over_the_limit_before_reading(tmp_path):
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(files.ReadError, match="101 bytes, more than the 100"):
        files.read_regular(big, 100)
    assert files.read_regular(big, 101) == b"x" * 101


def test_read_regular_says_when_a_file_is_missing_or_a_folder(tmp_path):
    with pytest.raises(files.ReadError) as caught:
        files.read_regular(tmp_path / "absent", 10)
    assert caught.value.missing and "No such file" in str(caught.value)
    with pytest.raises(files.ReadError, match="not a regular file") as caught:
        files.read_regular(tmp_path, 10)
    assert not caught.value.missing
