"""Image decoding and encoding ops of `tf.io` (and `tf.image`): PNG, JPEG, GIF, BMP.

Decoding goes through Pillow (imported on first use) and then applies TensorFlow's channel and
dtype rules with NumPy, so PNG, GIF and BMP pixels equal TensorFlow's exactly (RGB to gray uses
libpng's fixed-point weights, as TensorFlow's PNG decoder does). JPEG decoding uses the
libjpeg-turbo build inside Pillow with the same defaults as TensorFlow (ISLOW DCT, fancy
upsampling); see docs/io.md for the measured difference. PNG encoding is written here (adaptive
row filters chosen as libpng does, zlib at `compression`), so 16-bit colour images encode too.
"""

from __future__ import annotations

import io as _io
import struct
import zlib

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import legacy_name, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _sniff(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] in (b"GIF8",):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return ""


def _scalar_bytes(x, op: str) -> bytes:
    a = np.asarray(x, dtype=object)
    if a.ndim != 0:
        raise _err(f"{op}: contents must be scalar, got shape {list(a.shape)}")
    v = a.item()
    data = v.encode("utf-8") if isinstance(v, str) else bytes(v)
    if not data:
        raise _err("Input is empty.")
    return data


def _open(data: bytes, kind: str, truncated=False):
    from PIL import Image, ImageFile

    try:
        img = Image.open(_io.BytesIO(data))
        if truncated:
            ImageFile.LOAD_TRUNCATED_IMAGES = True
        img.load()
        return img
    except Exception as e:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError...
        if kind == "jpeg":
            raise _err("jpeg::Uncompress failed. Invalid JPEG data or crop window.") from e
        raise _err(f"Invalid {kind.upper()} data, size {len(data)}") from e
    finally:
        if truncated:
            ImageFile.LOAD_TRUNCATED_IMAGES = False


# ------------------------------------------------------------------ pixels and channels


def _gray(rgb: np.ndarray) -> np.ndarray:
    """libpng's RGB -> gray (weights 0.299/0.587/0.114 in 1/32768ths, truncated)."""
    wide = rgb.astype(np.int64)
    g = (wide[..., 0] * 9797 + wide[..., 1] * 19234 + wide[..., 2] * 3737) >> 15
    return g.astype(rgb.dtype)[..., None]


def _set_channels(a: np.ndarray, channels: int) -> np.ndarray:
    """Converts an H x W x C array (C in 1..4) to `channels` (0 keeps C)."""
    c = a.shape[-1]
    if channels in (0, c):
        return a
    full = np.iinfo(a.dtype).max
    if channels == 1:
        return a[..., :1] if c <= 2 else _gray(a[..., :3])
    if channels == 3:
        return np.repeat(a[..., :1], 3, axis=-1) if c <= 2 else a[..., :3]
    base = np.repeat(a[..., :1], 3, axis=-1) if c <= 2 else a[..., :3]
    alpha = a[..., 3:4] if c == 4 else (a[..., 1:2] if c == 2 else np.full_like(a[..., :1], full))
    return np.concatenate([base, alpha], axis=-1)


def _pil_array(img) -> np.ndarray:
    """H x W x C uint8/uint16 pixels of a decoded Pillow image, channels as stored."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.asarray(img).astype(np.uint16)[..., None]
    if mode == "I":
        return np.clip(np.asarray(img), 0, 65535).astype(np.uint16)[..., None]
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode == "1":
        img = img.convert("L")
    elif mode == "PA":
        img = img.convert("RGBA")
    elif mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        img = img.convert("RGBA" if "A" in mode else "RGB")
    a = np.asarray(img)
    return a[..., None] if a.ndim == 2 else a


def _to_dtype(a: np.ndarray, dtype, png=False) -> np.ndarray:
    """uint8/uint16 pixels to `dtype` with TensorFlow's scaling (libpng widens 8-bit PNG data by
    257; other formats are shifted by 8 bits)."""
    if dtype is dtypes.uint8:
        return a if a.dtype == np.uint8 else (a >> 8).astype(np.uint8)
    if dtype is dtypes.uint16:
        return a if a.dtype == np.uint16 else a.astype(np.uint16) * (257 if png else 256)
    if dtype.is_floating:
        scale = float(np.iinfo(a.dtype).max)
        return (a.astype(np.float32) / np.float32(scale)).astype(dtype.as_numpy_dtype)
    raise _err(f"Value for attr 'dtype' of {legacy_name(dtype)} is not in the list of allowed "
               "values: uint8, uint16, float")  # fmt: skip


def _check_channels(channels, allowed=(0, 1, 3, 4)):
    if channels not in allowed:
        raise _err(f"`channels` must be 0, 1, 3 or 4 but got {channels}")


def _frames(img) -> np.ndarray:
    from PIL import ImageSequence

    out = []
    for f in ImageSequence.Iterator(img):
        rgba = np.asarray(f.convert("RGBA"))
        # pixels no frame has covered yet (transparent) are black, as in TensorFlow
        out.append(np.where(rgba[..., 3:] == 0, 0, rgba[..., :3]).astype(np.uint8))
    return np.stack(out)


def _bmp32(data: bytes):
    """BGRA pixels of an uncompressed 32-bit BMP (Pillow drops their alpha), else None."""
    if len(data) < 34:
        return None
    offset, _, w, h, _, bpp, comp = struct.unpack("<IIiiHHI", data[10:34])
    if bpp != 32 or comp not in (0, 3) or w <= 0 or h == 0:
        return None
    n = w * abs(h) * 4
    if offset + n > len(data):
        raise _err(f"Invalid BMP data, size {len(data)}")
    px = np.frombuffer(data, np.uint8, n, offset).reshape(abs(h), w, 4)
    px = px if h < 0 else px[::-1]
    return np.ascontiguousarray(px[..., [2, 1, 0, 3]])


def _fix(x: float) -> int:
    return int(x * 65536 + 0.5)


_YCC_TABLES = []


def _ycc_tables():
    """libjpeg's YCbCr -> RGB lookup tables (16 fraction bits, the same rounding)."""
    if not _YCC_TABLES:
        x = np.arange(256, dtype=np.int64) - 128
        r = (_fix(1.402) * x + 32768) >> 16
        b = (_fix(1.772) * x + 32768) >> 16
        g = (-_fix(0.34414) * x[:, None] + 32768 - _fix(0.71414) * x[None, :]) >> 16  # [cb, cr]
        _YCC_TABLES.extend([r.astype(np.int16), g.astype(np.int16).reshape(-1),
                            b.astype(np.int16)])  # fmt: skip
    return _YCC_TABLES


def _ycc_to_rgb(y, cb, cr) -> np.ndarray:
    """libjpeg's fixed-point YCbCr -> RGB, through its tables."""
    r_of_cr, g_of_cbcr, b_of_cb = _ycc_tables()
    y = y.astype(np.int16)
    cb, cr = cb.astype(np.intp), cr.astype(np.intp)
    out = np.empty(y.shape + (3,), np.uint8)
    for k, delta in enumerate((r_of_cr[cr], g_of_cbcr[cb * 256 + cr], b_of_cb[cb])):
        v = y + delta
        np.clip(v, 0, 255, out=v)
        out[..., k] = v
    return out


def _fancy_h2(c: np.ndarray, width: int, vertical: bool) -> np.ndarray:
    """libjpeg's "fancy" (triangle filter) 2x upsampling of a chroma plane: 2x2 for 4:2:0 when
    `vertical`, else 2x1 for 4:2:2; the image edges repeat their last sample."""
    c = c.astype(np.int16)
    if vertical:
        above = np.concatenate([c[:1], c[:-1]])
        below = np.concatenate([c[1:], c[-1:]])
        rows = np.empty((2 * c.shape[0], c.shape[1]), np.int16)
        rows[0::2], rows[1::2] = 3 * c + above, 3 * c + below
        left = np.concatenate([rows[:, :1], rows[:, :-1]], axis=1)
        right = np.concatenate([rows[:, 1:], rows[:, -1:]], axis=1)
        out = np.empty((rows.shape[0], 2 * c.shape[1]), np.int16)
        out[:, 0::2], out[:, 1::2] = (3 * rows + left + 8) >> 4, (3 * rows + right + 7) >> 4
    else:
        left = np.concatenate([c[:, :1], c[:, :-1]], axis=1)
        right = np.concatenate([c[:, 1:], c[:, -1:]], axis=1)
        out = np.empty((c.shape[0], 2 * c.shape[1]), np.int16)
        out[:, 0::2], out[:, 1::2] = (3 * c + left + 1) >> 2, (3 * c + right + 2) >> 2
    return out[:, :width]


def _manual_upsampling(mode, factors, channels, ratio, fancy_fast) -> bool:
    """Whether chroma needs libjpeg's fancy upsampling redone here: 4:2:2 below 1/8 scale or
    4:2:0 at full size (scaled 4:2:0 needs none: libjpeg scales chroma in its IDCT, and at 1/8
    scale it upsamples plainly)."""
    if not fancy_fast or channels == 1 or mode != "RGB" or len(factors) != 3:
        return False
    if factors[1] != (1, 1) or factors[2] != (1, 1):
        return False
    return (factors[0] == (2, 1) and ratio < 8) or (factors[0] == (2, 2) and ratio == 1)


def _jpeg(data: bytes, channels: int, ratio: int, truncated: bool, fancy=True, dct=""):
    """Decodes as TensorFlow's libjpeg-turbo setup does: the fast integer DCT unless
    dct_method="INTEGER_ACCURATE"; fancy chroma upsampling redone here when Pillow cannot."""
    from PIL import Image

    if channels == 4:
        raise _err("JPEG does not support 4 channels")
    if ratio not in (1, 2, 4, 8):
        raise _err(f"ratio must be 1, 2, 4, or 8, got {ratio}")
    accurate = dct == "INTEGER_ACCURATE"
    try:
        img = Image.open(_io.BytesIO(data))
        w, h = img.size
        layers = getattr(img, "layer", [])
        factors = [(lh, lv) for _, lh, lv, _ in layers]
        # 4:2:0 / 4:2:2 colour with fancy upsampling at full size: decode raw YCbCr (fast DCT,
        # chroma only replicated) and upsample it here, since Pillow couples the two settings.
        manual = _manual_upsampling(img.mode, factors, channels, ratio, fancy and not accurate)
        mode = "L" if channels == 1 else ("YCbCr" if manual else img.mode)
        img.draft(mode, (max(1, w // ratio), max(1, h // ratio)))
        subsampled = len(set(factors)) > 1
        # Pillow's draft flag selects libjpeg's fast DCT (TensorFlow's default) together with
        # plain upsampling; it is off only where fancy upsampling is wanted and not done here.
        needs_fancy = fancy and subsampled and channels != 1 and ratio == 1 and not manual
        if img.decoderconfig:
            img.decoderconfig = (img.decoderconfig[0], 0 if accurate or needs_fancy else 1)
    except Exception as e:  # noqa: BLE001
        raise _err("jpeg::Uncompress failed. Invalid JPEG data or crop window.") from e
    img = _open_loaded(img, data, truncated)
    if manual:
        ycc = np.asarray(img)
        vertical = factors[0][1] == 2
        sub = ycc[:: 2 if vertical else 1, ::2]
        size_w, size_h = img.size
        cb = _fancy_h2(sub[..., 1], size_w, vertical)[:size_h]
        cr = _fancy_h2(sub[..., 2], size_w, vertical)[:size_h]
        return _set_channels(_ycc_to_rgb(ycc[..., 0], cb, cr), channels)
    a = _pil_array(img)
    if img.mode == "CMYK":
        if channels == 1:  # libjpeg has no CMYK -> gray conversion
            raise _err("jpeg::Uncompress failed. Invalid JPEG data or crop window.")
        # libjpeg-turbo's CMYK -> RGB on the stored (inverted) values: R = C' * K' / 255
        inv = 255 - a.astype(np.int32)
        a = (inv[..., :3] * inv[..., 3:] // 255).astype(np.uint8)
    return _set_channels(a, channels)


def _open_loaded(img, data, truncated):
    from PIL import ImageFile

    try:
        if truncated:
            ImageFile.LOAD_TRUNCATED_IMAGES = True
        img.load()
        return img
    except Exception as e:  # noqa: BLE001
        raise _err("jpeg::Uncompress failed. Invalid JPEG data or crop window.") from e
    finally:
        if truncated:
            ImageFile.LOAD_TRUNCATED_IMAGES = False


def decode_any(data: bytes, op: str, channels=0, dtype=dtypes.uint8, expand_animations=True,
               ratio=1, truncated=False, fancy=True, dct="") -> np.ndarray:  # fmt: skip
    """Decodes image bytes as TensorFlow's `op` does; returns a NumPy array."""
    kind = _sniff(data)
    if not kind or kind == "webp":
        raise _err("Unknown image file format. One of JPEG, PNG, GIF, BMP required.")
    if op == "DecodeBmp" and kind != "bmp":
        use = {"png": "decode_png", "jpeg": "decode_jpeg", "gif": "decode_gif"}[kind]
        raise _err(f"Trying to decode {kind.upper()} format using DecodeBmp op. Use `{use}` or "
                   "`decode_image` instead.")  # fmt: skip
    if kind == "bmp" and op in ("DecodePng", "DecodeJpeg", "DecodeGif"):
        raise _err("Trying to decode BMP format using a wrong op. Use `decode_bmp` or "
                   f"`decode_image` instead. Op used: {op}")  # fmt: skip
    if kind == "gif":
        if channels not in (0, 3):
            raise _err(f"channels must be 0 or 3 for GIF, got {channels}")
        a = _frames(_open(data, kind))
        if op == "DecodeImage" and not expand_animations:
            a = a[0]
        elif op in ("DecodePng", "DecodeJpeg", "DecodeBmp"):
            a = a[0]
        return _to_dtype(a, dtype)
    if kind == "bmp" and channels not in (0, 3, 4):
        raise _err(f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    _check_channels(channels)
    if kind == "jpeg":
        a = _jpeg(data, channels, ratio if op in ("DecodeJpeg", "DecodeAndCropJpeg") else 1,
                  truncated, fancy, dct)  # fmt: skip
    else:
        head = _png_header(data) if kind == "png" else None
        if head is not None and head[2] == 16 and head[3] in (2, 4, 6):
            a = _set_channels(_decode_png16(data), channels)
        else:
            raw = _bmp32(data) if kind == "bmp" else None
            raw = _pil_array(_open(data, kind)) if raw is None else raw
            if head is not None and head[2] < 8 and channels == 4 and raw.shape[-1] in (1, 3):
                # TensorFlow's PNG reader adds alpha at the file's bit depth: 2**depth - 1
                fill = np.full_like(raw[..., :1], (1 << head[2]) - 1)
                a = np.concatenate([_set_channels(raw, 3), fill], axis=-1)
            else:
                a = _set_channels(raw, channels)
    if op == "DecodeGif":
        a = a[None]
    return _to_dtype(a, dtype, png=kind == "png")


# ------------------------------------------------------------------ decode ops


def _string_in(in_dtypes, op):
    if in_dtypes[0] is not dtypes.string:
        raise _err(f"{op}: contents must be a string tensor, got {in_dtypes[0].name}")


def _decode_rule(op, rank, default_dtype=dtypes.uint8):
    def dtype(in_dtypes, attrs):
        _string_in(in_dtypes, op)
        return attrs.get("dtype", default_dtype)

    def shape(inputs, attrs):
        if rank is None:
            return TensorShape(None)
        ch = attrs.get("channels", 0)
        if op == "DecodeGif":
            ch = 3
        return TensorShape([None] * (rank - 1) + [ch or None])

    return Rule(dtype, shape)


def _decode_op(name, rank):
    op = defop(name, infer=_decode_rule(name, rank))

    @op.kernel
    def _(xp, contents, channels=0, dtype=dtypes.uint8, ratio=1, try_recover_truncated=False,
          fancy_upscaling=True, dct_method="", acceptable_fraction=1.0):  # fmt: skip
        data = _scalar_bytes(contents, name)
        return xp.asarray(decode_any(data, name, channels, dtype, ratio=ratio,
                                     truncated=try_recover_truncated, fancy=fancy_upscaling,
                                     dct=dct_method))  # fmt: skip

    not_differentiable(op)
    return op


DecodePng = _decode_op("DecodePng", 3)
DecodeJpeg = _decode_op("DecodeJpeg", 3)
DecodeBmp = _decode_op("DecodeBmp", 3)
DecodeGif = _decode_op("DecodeGif", 4)


def _image_rule():
    def dtype(in_dtypes, attrs):
        _string_in(in_dtypes, "DecodeImage")
        return attrs["dtype"]

    def shape(inputs, attrs):
        if attrs["expand_animations"]:
            return TensorShape(None)
        return TensorShape([None, None, attrs["channels"] or None])

    return Rule(dtype, shape)


DecodeImage = defop("DecodeImage", infer=_image_rule())


@DecodeImage.kernel
def _(xp, contents, channels=0, dtype=dtypes.uint8, expand_animations=True):
    data = _scalar_bytes(contents, "DecodeImage")
    return xp.asarray(decode_any(data, "DecodeImage", channels, dtype, expand_animations))


def _crop_shape(inputs, attrs):
    w = static_value(inputs[1])
    ch = attrs.get("channels", 0) or None
    if w is None:
        return TensorShape([None, None, ch])
    return TensorShape([int(w[2]), int(w[3]), ch])


DecodeAndCropJpeg = defop(
    "DecodeAndCropJpeg",
    infer=Rule(lambda d, a: _string_in(d, "DecodeAndCropJpeg") or dtypes.uint8, _crop_shape),
    host_inputs=(1,),
)


@DecodeAndCropJpeg.kernel
def _(xp, contents, crop_window, channels=0, ratio=1, try_recover_truncated=False,
      fancy_upscaling=True, dct_method="", acceptable_fraction=1.0):  # fmt: skip
    data = _scalar_bytes(contents, "DecodeAndCropJpeg")
    y, x, h, w = (int(v) for v in np.asarray(crop_window).reshape(-1)[:4])
    a = decode_any(data, "DecodeAndCropJpeg", channels, ratio=ratio,
                   truncated=try_recover_truncated, fancy=fancy_upscaling, dct=dct_method)
    if min(y, x) < 0 or h <= 0 or w <= 0 or y + h > a.shape[0] or x + w > a.shape[1]:
        raise _err("jpeg::Uncompress failed. Invalid JPEG data or crop window.")
    return xp.asarray(np.ascontiguousarray(a[y : y + h, x : x + w]))


def _jpeg_shape(data: bytes):
    """(height, width, components) from a JPEG's SOF marker, without decoding."""
    if data[:2] != b"\xff\xd8":
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0x01,) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if pos + 10 > len(data):
                return None
            h, w = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return h, w, data[pos + 9]
        if marker == 0xDA:
            return None
        pos += 2 + length
    return None


ExtractJpegShape = defop(
    "ExtractJpegShape",
    infer=Rule(lambda d, a: _string_in(d, "ExtractJpegShape") or a["output_type"],
               lambda inputs, attrs: TensorShape([3])),
)  # fmt: skip


@ExtractJpegShape.kernel
def _(xp, contents, output_type=dtypes.int32):
    data = _scalar_bytes(contents, "ExtractJpegShape")
    shape = _jpeg_shape(data)
    if shape is None:
        raise _err(f"Invalid JPEG data, size {len(data)}")
    return xp.asarray(np.array(shape, dtype=output_type.as_numpy_dtype))


not_differentiable(DecodeImage, DecodeAndCropJpeg, ExtractJpegShape)


# ------------------------------------------------------------------ PNG writer and 16-bit reader


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = np.abs(p - a), np.abs(p - b), np.abs(p - c)
    return np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))


_COST = np.minimum(np.arange(256), 256 - np.arange(256)).astype(np.uint8)


def encode_png_bytes(image: np.ndarray, compression: int = -1) -> bytes:
    """PNG bytes for an H x W x C (C 1..4) uint8/uint16 array; each row gets the filter with the
    smallest sum of absolute values, as libpng chooses."""
    h, w, c = image.shape
    depth = 16 if image.dtype == np.uint16 else 8
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    rows = np.ascontiguousarray(image.astype(">u2") if depth == 16 else image)
    x = rows.view(np.uint8).reshape(h, -1)
    bpp = c * depth // 8
    up = np.zeros_like(x)
    up[1:] = x[:-1]
    left = np.zeros_like(x)
    left[:, bpp:] = x[:, :-bpp]
    upleft = np.zeros_like(x)
    upleft[:, bpp:] = up[:, :-bpp]
    a, b, cc = (v.astype(np.int16) for v in (left, up, upleft))
    pred = _paeth(a, b, cc).astype(np.uint8)
    avg = ((a + b) >> 1).astype(np.uint8)
    best = x.copy()  # filter 0 (None); uint8 arithmetic wraps mod 256 as PNG wants
    kind = np.zeros(h, np.uint8)
    cost = _COST[x].sum(axis=1, dtype=np.int64)
    for f, filtered in ((1, x - left), (2, x - up), (3, x - avg), (4, x - pred)):
        fc = _COST[filtered].sum(axis=1, dtype=np.int64)
        better = fc < cost
        best[better], kind[better], cost = filtered[better], f, np.minimum(fc, cost)
    body = np.concatenate([kind[:, None], best], axis=1)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, 0)
    level = 6 if compression == -1 else compression
    idat = _chunk(b"IDAT", zlib.compress(body.tobytes(), level))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + idat + _chunk(b"IEND", b"")


def _png_header(data: bytes):
    """(width, height, bit depth, colour type, interlace) from the IHDR chunk."""
    if len(data) < 33 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">IIBBBBB", data[16:29])[:4] + (data[28],)


def _decode_png16(data: bytes) -> np.ndarray:
    """A 16-bit colour PNG (which Pillow reduces to 8 bits), unfiltered here with NumPy."""
    w, h, _, color, interlace = _png_header(data)
    if interlace:
        raise NotImplementedError("decode_png: interlaced 16-bit colour PNGs are not supported")
    c = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    pos, idat = 8, []
    while pos + 8 <= len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat.append(data[pos + 8 : pos + 8 + n])
        pos += 12 + n
    try:
        raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    except zlib.error as e:
        raise _err(f"Invalid PNG data, size {len(data)}") from e
    bpp, stride = 2 * c, 2 * c * w
    if raw.size < h * (stride + 1):
        raise _err(f"Invalid PNG data, size {len(data)}")
    raw = raw[: h * (stride + 1)].reshape(h, stride + 1)
    out = np.zeros((h, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for r in range(h):
        f, line = raw[r, 0], raw[r, 1:].copy()
        if f == 1:
            line = np.cumsum(line.reshape(w, bpp), axis=0, dtype=np.uint8).reshape(-1)
        elif f == 2:
            line = line + prev
        elif f in (3, 4):
            p16 = prev.astype(np.int16)
            for i in range(0, stride, bpp):
                a = line[i - bpp : i].astype(np.int16) if i else np.zeros(bpp, np.int16)
                b = p16[i : i + bpp]
                if f == 3:
                    pred = (a + b) // 2
                else:
                    cc = p16[i - bpp : i] if i else np.zeros(bpp, np.int16)
                    pred = _paeth(a, b, cc)
                line[i : i + bpp] = (line[i : i + bpp] + pred) % 256
        out[r] = line
        prev = line
    return out.view(">u2").reshape(h, w, c).astype(np.uint16)


# ------------------------------------------------------------------ encode ops


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _encode_dtype(allowed, op):
    def dtype(in_dtypes, attrs):
        t = in_dtypes[0]
        if t not in allowed:
            names = ", ".join(legacy_name(a) for a in allowed)
            raise _err(f"Value for attr 'T' of {legacy_name(t)} is not in the list of allowed "
                       f"values: {names}")  # fmt: skip
        return dtypes.string

    return dtype


def _scalar_shape(inputs, attrs):
    return TensorShape([])


EncodePng = defop("EncodePng", infer=Rule(_encode_dtype((dtypes.uint8, dtypes.uint16),
                                                        "EncodePng"), _scalar_shape))  # fmt: skip


@EncodePng.kernel
def _(xp, image, compression=-1):
    a = image.get() if hasattr(image, "get") else np.asarray(image)
    if a.ndim != 3:
        raise _err(f"image must be 3-dimensional{_shape_text(a.shape)}")
    if not 1 <= a.shape[2] <= 4:
        raise _err(f"image must have 1, 2, 3, or 4 channels, got {a.shape[2]}")
    if not -1 <= compression <= 9:
        raise _err(f"compression should be in [-1,9], got {compression}")
    return np.array(encode_png_bytes(a, compression), dtype=object)


EncodeJpeg = defop("EncodeJpeg", infer=Rule(_encode_dtype((dtypes.uint8,), "EncodeJpeg"),
                                            _scalar_shape))  # fmt: skip


@EncodeJpeg.kernel
def _(xp, image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
      chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
      xmp_metadata=""):  # fmt: skip
    from PIL import Image

    a = image.get() if hasattr(image, "get") else np.asarray(image)
    if a.ndim != 3:
        raise _err(f"image must be 3-dimensional{_shape_text(a.shape)}")
    want = {"grayscale": 1, "rgb": 3}.get(format)
    if format and want is None:
        raise _err(f"format must be '', 'grayscale' or 'rgb', got {format}")
    if want is not None and a.shape[2] != want:
        raise _err(f"format {format} expects {want} channels, got {_shape_text(a.shape)}")
    if a.shape[2] not in (1, 3):
        raise _err(f"image must have 1 or 3 channels, got {_shape_text(a.shape)}")
    if not 0 <= quality <= 100:
        raise _err(f"quality must be in [0,100], got {quality}")
    if density_unit not in ("in", "cm"):
        raise _err(f"density_unit must be 'in' or 'cm', got {density_unit}")
    img = Image.fromarray(np.ascontiguousarray(a[..., 0] if a.shape[2] == 1 else a))
    scale = 2.54 if density_unit == "cm" else 1.0  # Pillow writes dots per inch
    kw = dict(quality=int(quality), progressive=bool(progressive), optimize=bool(optimize_size),
              subsampling=2 if chroma_downsampling else 0,
              dpi=(x_density * scale, y_density * scale))  # fmt: skip
    if xmp_metadata:
        kw["xmp"] = xmp_metadata.encode("utf-8")
    buf = _io.BytesIO()
    img.save(buf, "JPEG", **kw)
    return np.array(buf.getvalue(), dtype=object)


not_differentiable(DecodePng, EncodePng, EncodeJpeg)


# ------------------------------------------------------------------ public functions


def _contents(x):
    from tensorflux._src.tensor import convert_to_tensor

    return convert_to_tensor(x, dtype=dtypes.string)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """Decodes a BMP, GIF, JPEG or PNG image, detecting the format from its bytes.

    Args:
      contents: a scalar string tensor with the encoded image.
      channels: 0/None (as stored), 1, 3 or 4 (GIF: 0 or 3; BMP: 0, 3 or 4).
      dtype: uint8, uint16 or a float type (floats are scaled to [0, 1]); other types go through
        `tf.image.convert_image_dtype`.
      name: the op name.
      expand_animations: whether a GIF gives all its frames `[frames, h, w, 3]` (else the first).

    Returns:
      The image as `[h, w, c]` (or `[frames, h, w, 3]` for a GIF).

    Raises:
      InvalidArgumentError: unknown format, bad data or unsupported `channels`.
    """
    dtype = dtypes.as_dtype(dtype)
    ch = int(channels or 0)
    native = dtype in (dtypes.uint8, dtypes.uint16) or dtype.is_floating
    out = DecodeImage(_contents(contents), channels=ch, dtype=dtype if native else dtypes.uint8,
                      expand_animations=bool(expand_animations), name=name)  # fmt: skip
    if native:
        return out
    from tensorflux._src.image.image_ops import convert_image_dtype

    return convert_image_dtype(out, dtype)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """Decodes a PNG image to `[h, w, channels]` uint8 or uint16 (JPEG and GIF bytes work too).

    Args:
      contents: a scalar string tensor.
      channels: 0 (as stored), 1 (gray), 3 (RGB) or 4 (RGBA).
      dtype: tf.uint8 or tf.uint16 (8-bit data is scaled by 257, 16-bit data shifted down).
      name: the op name.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.uint8, dtypes.uint16):
        raise _err(f"Value for attr 'dtype' of {legacy_name(dtype)} is not in the list of allowed "
                   "values: uint8, uint16")  # fmt: skip
    return DecodePng(_contents(contents), channels=int(channels), dtype=dtype, name=name)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):  # fmt: skip
    """Decodes a JPEG image to `[h / ratio, w / ratio, channels]` uint8.

    Args:
      contents: a scalar string tensor.
      channels: 0 (as stored), 1 (gray: the luma channel) or 3 (RGB).
      ratio: downscaling while decoding: 1, 2, 4 or 8.
      fancy_upscaling, dct_method: accepted; decoding always uses libjpeg's defaults (fancy
        upsampling, the accurate integer DCT), which are TensorFlow's defaults too.
      try_recover_truncated: decode what a truncated file holds (the rest is gray).
      acceptable_fraction: accepted (any recovered fraction is kept).
      name: the op name.
    """
    return DecodeJpeg(_contents(contents), channels=int(channels), ratio=int(ratio),
                      fancy_upscaling=bool(fancy_upscaling), dct_method=dct_method,
                      try_recover_truncated=bool(try_recover_truncated),
                      acceptable_fraction=float(acceptable_fraction), name=name)  # fmt: skip


def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                         name=None):  # fmt: skip
    """Decodes a JPEG and keeps the window `[y, x, height, width]` (see decode_jpeg)."""
    from tensorflux._src.tensor import convert_to_tensor

    window = convert_to_tensor(crop_window, dtype=dtypes.int32)
    return DecodeAndCropJpeg(_contents(contents), window, channels=int(channels),
                             ratio=int(ratio), fancy_upscaling=bool(fancy_upscaling),
                             try_recover_truncated=bool(try_recover_truncated),
                             acceptable_fraction=float(acceptable_fraction),
                             dct_method=dct_method, name=name)  # fmt: skip


def decode_gif(contents, name=None):
    """Decodes every frame of a GIF to `[frames, h, w, 3]` uint8."""
    return DecodeGif(_contents(contents), name=name)


def decode_bmp(contents, channels=0, name=None):
    """Decodes a BMP image to `[h, w, channels]` uint8 (channels 0, 3 or 4)."""
    return DecodeBmp(_contents(contents), channels=int(channels), name=name)


def encode_png(image, compression=-1, name=None):
    """Encodes a `[h, w, c]` uint8 or uint16 image (c = 1..4) as PNG.

    Args:
      image: the pixels.
      compression: zlib level 0-9, or -1 for the default (6).
      name: the op name.

    Returns:
      A scalar string tensor with the PNG bytes.
    """
    from tensorflux._src.tensor import convert_to_tensor

    return EncodePng(convert_to_tensor(image), compression=int(compression), name=name)


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):  # fmt: skip
    """Encodes a `[h, w, 1]` or `[h, w, 3]` uint8 image as JPEG (libjpeg-turbo via Pillow).

    Args:
      image: the pixels.
      format: "" (from the channel count), "grayscale" or "rgb".
      quality: 0-100.
      progressive: write a progressive JPEG.
      optimize_size: optimize the Huffman tables.
      chroma_downsampling: subsample chroma 2x2 (4:2:0) instead of keeping it (4:4:4).
      density_unit, x_density, y_density: the resolution stored in the header.
      xmp_metadata: an XMP packet to embed.
      name: the op name.
    """
    from tensorflux._src.tensor import convert_to_tensor

    return EncodeJpeg(convert_to_tensor(image), format=format, quality=int(quality),
                      progressive=bool(progressive), optimize_size=bool(optimize_size),
                      chroma_downsampling=bool(chroma_downsampling), density_unit=density_unit,
                      x_density=int(x_density), y_density=int(y_density),
                      xmp_metadata=xmp_metadata, name=name)  # fmt: skip


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """The `[height, width, channels]` of a JPEG, read from its header without decoding."""
    return ExtractJpegShape(_contents(contents), output_type=dtypes.as_dtype(output_type),
                            name=name)  # fmt: skip


def is_jpeg(contents, name=None):
    """Whether each string starts with the JPEG signature (FF D8 FF); a bool of the same shape."""
    from tensorflux._src.io.tensor_codec import decode_raw
    from tensorflux._src.ops.math_ops import equal
    from tensorflux._src.ops.reduction_ops import reduce_all

    head = decode_raw(_contents(contents), dtypes.uint8, fixed_length=3)
    return reduce_all(equal(head, np.array([0xFF, 0xD8, 0xFF], np.uint8)), axis=-1, name=name)
