"""`tf.io.gfile`: file access with TensorFlow's API and errors, on the local filesystem.

Paths may be `str`, `bytes` or `os.PathLike`; a `file://` prefix is accepted. Failures raise the
`tf.errors` class TensorFlow raises (`NotFoundError`, `AlreadyExistsError`,
`FailedPreconditionError`, `PermissionDeniedError`) with TensorFlow's messages. `copy` and
`rename(overwrite=True)` replace the destination atomically (write to a temporary name, then
`os.replace`), so a reader never sees half a file.
"""

from __future__ import annotations

import errno
import glob as _glob
import os
import shutil
import tempfile

from tensorflux._src.core import errors

_MODES = ("r", "w", "a", "r+", "w+", "a+")


def _path(path) -> str:
    p = os.fsdecode(os.fspath(path))
    return p[len("file://") :] if p.startswith("file://") else p


def _os_error(e: OSError, path: str):
    """The tf.errors exception TensorFlow raises for an OS failure on `path`."""
    reason = os.strerror(e.errno) if e.errno else str(e)
    msg = f"{path}; {reason}"
    if e.errno == errno.ENOENT:
        return errors.NotFoundError(None, None, msg)
    if e.errno == errno.EEXIST:
        return errors.AlreadyExistsError(None, None, msg)
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return errors.PermissionDeniedError(None, None, msg)
    if e.errno in (errno.EISDIR, errno.ENOTDIR, errno.ENOTEMPTY):
        return errors.FailedPreconditionError(None, None, msg)
    return errors.UnknownError(None, None, msg)


class GFile:
    """A file object with TensorFlow's `tf.io.gfile.GFile` interface.

    The file is opened on first use. Text modes (`"r"`, `"w"`, `"a"`) read and write `str`
    (UTF-8, no newline translation); binary modes (`"rb"`, ...) use `bytes`. Either kind of value
    may be written in either mode. `tell`/`seek` count bytes.

    Args:
      name: the path.
      mode: one of "r", "w", "a", "r+", "w+", "a+", optionally with "b".
    """

    def __init__(self, name, mode="r"):
        if mode.replace("b", "") not in _MODES:
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'"
            )
        self.__name = name
        self.__mode = mode
        self._binary = "b" in mode
        self._f = None

    @property
    def name(self):
        """The path the file was opened with."""
        return self.__name

    @property
    def mode(self):
        """The mode the file was opened with."""
        return self.__mode

    def _file(self):
        if self._f is None:
            path = _path(self.__name)
            m = self.__mode.replace("b", "")
            try:
                self._f = open(path, m + "b", buffering=1 << 16)
            except IsADirectoryError as e:
                raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from e
            except OSError as e:
                raise _os_error(e, path) from e
        return self._f

    def _check(self, reading: bool):
        m = self.__mode
        if reading and not (m.startswith("r") or "+" in m):
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        if not reading and m.startswith("r") and "+" not in m:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")

    def _out(self, data: bytes):
        return data if self._binary else data.decode("utf-8")

    def size(self) -> int:
        """The file's length in bytes."""
        if self._f is not None and "r" not in self.__mode:
            self._f.flush()
        return stat(self.__name).length

    def write(self, file_content) -> None:
        """Writes `file_content` (str or bytes) at the current position."""
        self._check(False)
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        self._file().write(bytes(file_content))

    def read(self, n=-1):
        """Reads `n` bytes (all remaining ones when `n` is -1 or None)."""
        self._check(True)
        data = self._file().read(-1 if n is None else n)
        return self._out(data)

    def readline(self):
        """Reads one line, newline included ("" at the end of the file)."""
        self._check(True)
        return self._out(self._file().readline())

    def readlines(self):
        """All remaining lines."""
        self._check(True)
        return [self._out(line) for line in self._file().readlines()]

    def seek(self, offset=None, whence=0, position=None):
        """Moves to `offset` bytes from the start (whence 0), current position (1) or end (2)."""
        if position is not None:
            offset = position
        if offset is None:
            raise TypeError("seek(): offset argument required")
        self._file().seek(offset, whence)

    def tell(self) -> int:
        """The current position in bytes."""
        return self._file().tell()

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        """Pushes written data to the file."""
        if self._f is not None:
            self._f.flush()

    def close(self) -> None:
        """Flushes and closes the file; using the object again reopens it."""
        if self._f is not None:
            self._f.close()
            self._f = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__


Open = GFile


class FileStatistics:
    """What `stat` returns: `length` (bytes), `mtime_nsec` and `is_directory`."""

    __slots__ = ("length", "mtime_nsec", "is_directory")

    def __init__(self, length=-1, mtime_nsec=0, is_directory=False):
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory

    def __repr__(self):
        return (f"FileStatistics(length={self.length}, mtime_nsec={self.mtime_nsec}, "
                f"is_directory={self.is_directory})")  # fmt: skip


def exists(path) -> bool:
    """Whether `path` names an existing file or directory."""
    return os.path.exists(_path(path))


def isdir(path) -> bool:
    """Whether `path` is a directory."""
    return os.path.isdir(_path(path))


def stat(path) -> FileStatistics:
    """Length, modification time (whole seconds, in nanoseconds) and kind of `path`."""
    p = _path(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise _os_error(e, p) from e
    # TensorFlow reports whole seconds in nanoseconds.
    return FileStatistics(st.st_size, int(st.st_mtime) * 1_000_000_000, os.path.isdir(p))


def listdir(path) -> list:
    """The names of the entries in directory `path` (no "." or "..")."""
    p = _path(path)
    if not os.path.isdir(p):
        raise errors.NotFoundError(None, None, f"Could not find directory {p}")
    return os.listdir(p)


def mkdir(path) -> None:
    """Creates directory `path`; its parent must exist. An existing directory is fine."""
    p = _path(path)
    if os.path.isdir(p):
        return
    try:
        os.mkdir(p)
    except OSError as e:
        raise _os_error(e, p) from e


def makedirs(path) -> None:
    """Creates directory `path` and any missing parents."""
    p = _path(path)
    try:
        os.makedirs(p, exist_ok=True)
    except FileExistsError as e:
        raise errors.FailedPreconditionError(None, None, f"{p} is not a directory") from e
    except NotADirectoryError as e:
        raise errors.FailedPreconditionError(None, None, f"{p} is not a directory") from e
    except OSError as e:
        raise _os_error(e, p) from e


def remove(path) -> None:
    """Deletes the file `path`."""
    p = _path(path)
    if os.path.isdir(p):
        raise errors.FailedPreconditionError(None, None, f"{p}; Is a directory")
    try:
        os.remove(p)
    except OSError as e:
        raise _os_error(e, p) from e


def rmtree(path) -> None:
    """Deletes `path` and everything below it (a plain file is deleted too)."""
    p = _path(path)
    if not os.path.lexists(p):
        raise errors.NotFoundError(None, None, f"{p} not found")
    try:
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.remove(p)
    except OSError as e:
        raise _os_error(e, p) from e


def _already_exists():
    return errors.AlreadyExistsError(None, None, "file already exists")


def rename(src, dst, overwrite=False) -> None:
    """Renames `src` to `dst`, replacing an existing `dst` only when `overwrite`."""
    s, d = _path(src), _path(dst)
    if not os.path.exists(s):
        raise errors.NotFoundError(None, None, f"{s}; No such file or directory")
    if not overwrite and os.path.exists(d):
        raise _already_exists()
    try:
        if os.path.isdir(s) and os.path.isdir(d):
            shutil.rmtree(d)  # a directory replaces an existing one, as TensorFlow's does
        os.replace(s, d)
    except OSError as e:
        raise _os_error(e, s) from e


def atomic_write_bytes(path: str, data: bytes, prefix: str = ".tmp-") -> None:
    """Writes `data` to `path` through a temporary file renamed into place (creating folders), so
    a failed write leaves any old file intact. OSError propagates unchanged."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def copy(src, dst, overwrite=False) -> None:
    """Copies file `src` to `dst` (atomically: a temporary file renamed into place)."""
    s, d = _path(src), _path(dst)
    if not overwrite and os.path.exists(d):
        raise _already_exists()
    if not os.path.exists(s):
        raise errors.NotFoundError(None, None, f"{s}; No such file or directory")
    if os.path.isdir(s):
        raise errors.FailedPreconditionError(None, None, f"{s}; Is a directory")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp_copy_", dir=os.path.dirname(os.path.abspath(d)))
        with os.fdopen(fd, "wb") as out, open(s, "rb") as inp:
            shutil.copyfileobj(inp, out, 1 << 20)
        os.replace(tmp, d)
    except OSError as e:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)
        raise _os_error(e, d) from e


def glob(pattern) -> list:
    """Paths matching `pattern` (`*`, `?`, `[...]`), or one list for a list of patterns."""
    if isinstance(pattern, (list, tuple)):
        out = []
        for p in pattern:
            out.extend(glob(p))
        return out
    p = _path(pattern)
    return sorted(_glob.glob(p))


def walk(top, topdown=True, onerror=None):
    """Yields `(dirname, subdirs, files)` for each directory under `top`.

    Args:
      top: the directory to start from (nothing is yielded when it does not exist).
      topdown: whether a directory is yielded before its subdirectories.
      onerror: called with the `tf.errors.NotFoundError` of an unreadable directory.
    """
    top = _path(top)
    try:
        names = listdir(top)
    except errors.NotFoundError as e:
        if onerror is not None:
            onerror(e)
        return
    dirs, files = [], []
    for n in names:
        (dirs if os.path.isdir(os.path.join(top, n)) else files).append(n)
    if topdown:
        yield top, dirs, files
    for d in dirs:
        yield from walk(os.path.join(top, d), topdown, onerror)
    if not topdown:
        yield top, dirs, files


def join(path, *paths) -> str:
    """Joins path components with "/" (a component starting with "/" restarts the path)."""
    return os.path.join(path, *paths)


def get_registered_schemes() -> list:
    """The URL schemes handled: only the local filesystem ("" and "file")."""
    return ["", "file"]
