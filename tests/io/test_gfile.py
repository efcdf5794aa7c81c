"""tf.io.gfile: GFile modes and positions, directory operations, and TensorFlow's error classes.

Expected behaviour (messages, error classes, what rmtree does to a file...) was read off
TensorFlow 2.21.
"""

import os

import pytest

import tensorflux as tf

gfile = tf.io.gfile


def test_public_names():
    for n in ["GFile", "copy", "exists", "get_registered_schemes", "glob", "isdir", "join",
              "listdir", "makedirs", "mkdir", "remove", "rename", "rmtree", "stat", "walk"]:  # fmt: skip
        assert hasattr(gfile, n), n


def test_text_write_read_positions(tmp_path):
    p = str(tmp_path / "a.txt")
    f = gfile.GFile(p, "w")
    assert not gfile.exists(p)  # opened lazily, like TensorFlow
    with f:
        f.write("hello\nworld\n")
        assert f.tell() == 12
    with gfile.GFile(p, "r") as f:
        assert f.read(3) == "hel" and f.tell() == 3
        assert f.readline() == "lo\n"
        assert f.readlines() == ["world\n"]
        assert f.read() == "" and f.readline() == ""
    with gfile.GFile(p, "rb") as f:
        assert f.read() == b"hello\nworld\n" and f.size() == 12
        f.seek(2)
        assert f.tell() == 2 and f.read(2) == b"ll"
        f.seek(-3, 2)
        assert f.read() == b"ld\n"
        f.seek(offset=1)
        assert f.read(1) == b"e"
    assert list(gfile.GFile(p, "rb")) == [b"hello\n", b"world\n"]
    assert list(gfile.GFile(p)) == ["hello\n", "world\n"]
    assert gfile.GFile(p).name == p and gfile.GFile(p, "rb").mode == "rb"


def test_append_binary_and_mixed_values(tmp_path):
    p = str(tmp_path / "b")
    with gfile.GFile(p, "wb") as f:
        f.write("str")  # either kind of value in either mode, as in TensorFlow
        f.write(b"\x00\xff")
    with gfile.GFile(p, "a") as f:
        f.write("more")
    assert open(p, "rb").read() == b"str\x00\xffmore"
    with gfile.GFile(p, "w") as f:
        f.write(b"bytes")
        f.flush()
        assert open(p, "rb").read() == b"bytes"  # flush makes writes visible
    f = gfile.GFile(p, "r")
    f.close()
    assert f.read() == "bytes"  # a closed GFile reopens on use, as TensorFlow's does
    f.close()


def test_gfile_errors(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(tf.errors.NotFoundError, match="nope; No such file or directory"):
        gfile.GFile(missing).read()
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        gfile.GFile(str(tmp_path)).read()
    with pytest.raises(tf.errors.InvalidArgumentError, match="mode is not 'r' or 'w'"):
        gfile.GFile(missing, "x")
    p = str(tmp_path / "c")
    with gfile.GFile(p, "w") as f:
        with pytest.raises(tf.errors.PermissionDeniedError, match="isn't open for reading"):
            f.read()
        f.write("")
    with gfile.GFile(p, "r") as f:
        with pytest.raises(tf.errors.PermissionDeniedError, match="isn't open for writing"):
            f.write("x")
    with gfile.GFile(p, "r+") as f:
        f.write("ab")
        f.seek(0)
        assert f.read() == "ab"


def test_directories(tmp_path):
    d = str(tmp_path)
    gfile.makedirs(os.path.join(d, "sub", "deep"))
    gfile.makedirs(d)  # existing: fine
    gfile.mkdir(os.path.join(d, "e1"))
    gfile.mkdir(os.path.join(d, "e1"))  # existing: fine
    with pytest.raises(tf.errors.NotFoundError):
        gfile.mkdir(os.path.join(d, "x", "y"))
    open(os.path.join(d, "a.txt"), "w").write("12345")
    with pytest.raises(tf.errors.FailedPreconditionError, match="is not a directory"):
        gfile.makedirs(os.path.join(d, "a.txt"))
    assert sorted(gfile.listdir(d)) == ["a.txt", "e1", "sub"]
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory"):
        gfile.listdir(os.path.join(d, "zz"))
    assert gfile.isdir(d) and not gfile.isdir(os.path.join(d, "a.txt"))
    assert not gfile.isdir(os.path.join(d, "zz")) and not gfile.exists(os.path.join(d, "zz"))
    s = gfile.stat(os.path.join(d, "a.txt"))
    assert s.length == 5 and not s.is_directory and s.mtime_nsec % 10**9 == 0
    assert s.mtime_nsec // 10**9 == int(os.stat(os.path.join(d, "a.txt")).st_mtime)
    assert gfile.stat(d).is_directory
    with pytest.raises(tf.errors.NotFoundError):
        gfile.stat(os.path.join(d, "zz"))
    # walk: top-down and bottom-up, missing top yields nothing
    walked = {top: (sorted(dirs), files) for top, dirs, files in gfile.walk(d)}
    assert walked[d] == (["e1", "sub"], ["a.txt"])
    assert walked[os.path.join(d, "sub")] == (["deep"], [])
    up = [top for top, _, _ in gfile.walk(d, topdown=False)]
    assert up[-1] == d and up.index(os.path.join(d, "sub", "deep")) < up.index(
        os.path.join(d, "sub"))  # fmt: skip
    assert list(gfile.walk(os.path.join(d, "zz"))) == []
    errors = []
    assert list(gfile.walk(os.path.join(d, "zz"), onerror=errors.append)) == []
    assert isinstance(errors[0], tf.errors.NotFoundError)


def test_remove_rmtree(tmp_path):
    d = str(tmp_path)
    gfile.makedirs(os.path.join(d, "t", "u"))
    open(os.path.join(d, "t", "u", "f"), "w").write("x")
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        gfile.remove(os.path.join(d, "t"))
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        gfile.remove(os.path.join(d, "zz"))
    with pytest.raises(tf.errors.NotFoundError, match="zz not found"):
        gfile.rmtree(os.path.join(d, "zz"))
    gfile.remove(os.path.join(d, "t", "u", "f"))
    gfile.rmtree(os.path.join(d, "t"))
    assert not os.path.exists(os.path.join(d, "t"))
    open(os.path.join(d, "g"), "w").write("x")
    gfile.rmtree(os.path.join(d, "g"))  # TensorFlow's rmtree deletes a plain file too
    assert not os.path.exists(os.path.join(d, "g"))


def test_copy_rename(tmp_path):
    d = str(tmp_path)
    p, q = os.path.join(d, "p"), os.path.join(d, "q")
    open(p, "wb").write(b"payload")
    gfile.copy(p, q)
    assert open(q, "rb").read() == b"payload"
    with pytest.raises(tf.errors.AlreadyExistsError, match="file already exists"):
        gfile.copy(p, q)
    open(p, "wb").write(b"new")
    gfile.copy(p, q, overwrite=True)
    assert open(q, "rb").read() == b"new"
    assert sorted(os.listdir(d)) == ["p", "q"]  # no temporary file left behind
    with pytest.raises(tf.errors.NotFoundError):
        gfile.copy(os.path.join(d, "zz"), q, True)
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.rename(p, q)
    gfile.rename(q, os.path.join(d, "r"))
    gfile.rename(os.path.join(d, "r"), p, overwrite=True)
    assert open(p, "rb").read() == b"new" and sorted(os.listdir(d)) == ["p"]
    with pytest.raises(tf.errors.NotFoundError):
        gfile.rename(os.path.join(d, "zz"), q)
    gfile.mkdir(os.path.join(d, "e1"))
    gfile.mkdir(os.path.join(d, "e2"))
    gfile.rename(os.path.join(d, "e1"), os.path.join(d, "e2"), overwrite=True)
    assert sorted(os.listdir(d)) == ["e2", "p"]


def test_glob_and_join(tmp_path):
    d = str(tmp_path)
    for n in ["a.txt", "b.txt", "c.csv"]:
        open(os.path.join(d, n), "w").close()
    gfile.makedirs(os.path.join(d, "s", "deep"))
    assert gfile.glob(os.path.join(d, "*.txt")) == [os.path.join(d, "a.txt"),
                                                    os.path.join(d, "b.txt")]  # fmt: skip
    assert gfile.glob(os.path.join(d, "zz*")) == []
    assert gfile.glob([os.path.join(d, "*.csv"), os.path.join(d, "s*")]) == [
        os.path.join(d, "c.csv"), os.path.join(d, "s")]  # fmt: skip
    assert gfile.glob(os.path.join(d, "*/*")) == [os.path.join(d, "s", "deep")]
    assert gfile.exists("file://" + os.path.join(d, "a.txt"))
    assert gfile.join("a", "b", "c") == "a/b/c" and gfile.join("a/", "/b") == "/b"
