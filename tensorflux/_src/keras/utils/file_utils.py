"""`keras.utils.get_file`: download a file once into the Keras cache, check its hash, extract."""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from tensorflux._src.keras.utils import io_utils
from tensorflux._src.keras.utils.progbar import Progbar


def keras_home() -> str:
    """`$KERAS_HOME`, else `~/.keras`."""
    return os.path.expanduser(os.environ.get("KERAS_HOME", os.path.join("~", ".keras")))


def _hasher(algorithm, file_hash=None):
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None
                                 and len(file_hash) == 64):  # fmt: skip
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=65535) -> str:
    """The hex digest of a file ("sha256", "md5" or "auto" = sha256)."""
    h = _hasher("sha256" if algorithm == "auto" else algorithm)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            h.update(chunk)
    return h.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535) -> bool:
    """Whether the file's hash equals `file_hash` ("auto": sha256 for 64 hex digits, else md5)."""
    h = _hasher(algorithm, file_hash)
    name = "sha256" if h.name == "sha256" else "md5"
    return str(hash_file(fpath, name, chunk_size)) == str(file_hash)


def _safe_members(tar, dest):
    base = os.path.realpath(dest)
    for m in tar.getmembers():
        target = os.path.realpath(os.path.join(dest, m.name))
        if os.path.commonpath([base, target]) == base and not (m.issym() or m.islnk()):
            yield m


def extract_archive(file_path, path=".", archive_format="auto") -> bool:
    """Extracts a tar/tar.gz/tar.bz2 or zip archive into `path`; False if it is neither."""
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    for kind in archive_format:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            try:
                with tarfile.open(file_path) as tar:
                    tar.extractall(path, members=list(_safe_members(tar, path)))
            except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                if os.path.exists(path):
                    shutil.rmtree(path, ignore_errors=True)
                raise
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            try:
                with zipfile.ZipFile(file_path) as z:
                    base = os.path.realpath(path)
                    for name in z.namelist():
                        target = os.path.realpath(os.path.join(path, name))
                        if os.path.commonpath([base, target]) == base:
                            z.extract(name, path)
            except (zipfile.BadZipFile, RuntimeError, KeyboardInterrupt):
                if os.path.exists(path):
                    shutil.rmtree(path, ignore_errors=True)
                raise
            return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):  # fmt: skip
    """Downloads a file from a URL unless it is already in the cache, and returns its path.

    Args:
      fname: the file name in the cache (default: the URL's last path part).
      origin: the URL.
      untar: deprecated; extract as tar.
      md5_hash: deprecated; an md5 `file_hash`.
      file_hash: the expected sha256 or md5 hex digest.
      cache_subdir: the folder under the cache directory ("datasets").
      hash_algorithm: "sha256", "md5" or "auto" (from the hash length).
      extract: extract the archive; the extraction folder's path is returned.
      archive_format: "auto", "tar", "zip" or None.
      cache_dir: the cache directory (default `~/.keras`, or `$KERAS_HOME`).
      force_download: download even when cached.

    Returns:
      The local path of the file (or of the extracted folder).

    Raises:
      ValueError: without `origin`, with a path as `fname`, or when the hash does not match.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = keras_home()
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    base = os.path.expanduser(cache_dir)
    if not os.access(base, os.W_OK):
        try:
            os.makedirs(base, exist_ok=True)
        except OSError:
            pass
        if not os.access(base, os.W_OK):
            base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(),
                                ".keras")  # fmt: skip
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    given = fname
    fname = os.fspath(fname) if fname is not None else None
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'.Please specify "
                "the `fname` argument."
            )
    elif os.sep in fname:
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify the file's parent "
            f"directory, use the `cache_dir` argument. Received: fname={fname}"
        )
    if extract or untar:
        if given and "." in fname:
            target = os.path.join(datadir, fname)
            stem = fname[: fname.find(".")]
            extract_dir = os.path.join(datadir, f"{stem}_extracted")
        else:
            extract_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)
    download = True
    if not force_download and os.path.exists(target):
        download = False
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            io_utils.print_msg(
                "A local file was found, but it seems to be incomplete or outdated because the "
                f"{hash_algorithm} file hash does not match the original value of {file_hash} so "
                "we will re-download the data."
            )
            download = True
    if download:
        io_utils.print_msg(f"Downloading data from {origin}")
        state = {"bar": None, "done": False}

        def hook(block_num, block_size, total):
            total = None if total == -1 else total
            if state["bar"] is None:
                state["bar"] = Progbar(total)
            now = block_num * block_size
            if total is None:
                state["bar"].update(now)
            elif now < total:
                state["bar"].update(now)
            elif not state["done"]:
                state["bar"].update(state["bar"].target)
                state["done"] = True

        msg = "URL fetch failure on {}: {} -- {}"
        try:
            try:
                urllib.request.urlretrieve(origin, target, hook)
            except urllib.error.HTTPError as e:
                raise Exception(msg.format(origin, e.code, e.msg)) from e
            except urllib.error.URLError as e:
                raise Exception(msg.format(origin, e.errno, e.reason)) from e
        except (Exception, KeyboardInterrupt):
            if os.path.exists(target):
                os.remove(target)
            raise
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            raise ValueError(
                f"Incomplete or corrupted file detected. The {hash_algorithm} file hash does not "
                f"match the provided value of {file_hash}."
            )
    if extract or untar:
        if untar:
            archive_format = "tar"
        if not extract_archive(target, extract_dir, archive_format):
            warnings.warn("Could not extract archive.", stacklevel=2)
        return extract_dir
    return target
