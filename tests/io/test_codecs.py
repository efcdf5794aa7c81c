"""tf.io codecs: TensorProto bytes, raw bytes, CSV, compression, base64, JSON Examples, images.

Every expected value below (bytes, messages, pixel hashes) was produced by TensorFlow 2.21.
"""

import base64
import gzip
import hashlib
import io
import zlib

import numpy as np
import pytest

import tensorflux as tf

# TensorProto bytes written by TensorFlow's serialize_tensor.
TF_SERIALIZED = [
    (np.array([1, 2, 3], np.int32), "0803120412020803220c010000000200000003000000"),
    (np.float32(1.5), "0801120022040000c03f"),
    (np.array([[1.0, 2.0]]), "0802120812020801120208022210000000000000f03f0000000000000040"),
    (np.array([b"ab", b""], object), "0807120412020802420261624200"),
    (np.array([True]), "080a120412020801220101"),
    (np.array([1], np.int64), "080912041202080122080100000000000000"),
    (np.array([1], np.uint8), "0804120412020801220101"),
    (np.array([1.5], np.float16), "08131204120208012202003e"),
    (np.array([1 + 2j], np.complex64), "080812041202080122080000803f00000040"),
    (np.zeros([0, 2], np.float32), "08011206120012020802"),
    (np.uint32(7), "08161200220407000000"),
]


@pytest.mark.parametrize("value,hexbytes", TF_SERIALIZED)
def test_serialize_tensor_bytes_match_tensorflow(value, hexbytes):
    s = tf.io.serialize_tensor(value)
    assert s.shape == () and s.numpy().hex() == hexbytes
    back = tf.io.parse_tensor(bytes.fromhex(hexbytes), tf.constant(value).dtype)
    np.testing.assert_array_equal(back.numpy(), value)
    assert back.shape == np.shape(value)


def test_serialize_bfloat16_and_parse_value_fields():
    assert tf.io.serialize_tensor(tf.constant([1.5], tf.bfloat16)).numpy().hex() == (
        "080e1204120208012202c03f")
    # A TensorProto without content is zeros; one float_val fills the whole shape.
    assert tf.io.parse_tensor(bytes.fromhex("08011200"), tf.float32).numpy() == 0.0
    t = tf.io.parse_tensor(bytes.fromhex("08011204120208032d0000803f"), tf.float32)
    np.testing.assert_array_equal(t.numpy(), [1.0, 1.0, 1.0])
    # int_val (field 7) for int32, packed
    t = tf.io.parse_tensor(bytes.fromhex("08031204120208023a020102"), tf.int32)
    np.testing.assert_array_equal(t.numpy(), [1, 2])


def test_parse_tensor_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Type mismatch between parsed tensor \(int32\) and dtype \(float\)"):
        tf.io.parse_tensor(tf.io.serialize_tensor([1, 2]), tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Could not parse `serialized` as TensorProto, base64: Z2FyYmFnZf8="):
        tf.io.parse_tensor(b"garbage\xff", tf.float32)


def test_parse_tensor_in_tf_function():
    @tf.function
    def f(s):
        return tf.io.parse_tensor(s, tf.int32) * 2

    out = f.get_concrete_function(tf.TensorSpec([], tf.string)).structured_outputs
    assert out.shape.rank is None
    np.testing.assert_array_equal(f(tf.io.serialize_tensor([[1, 2]])).numpy(), [[2, 4]])


def test_serialize_sparse_matches_tensorflow():
    sp = tf.sparse.SparseTensor([[0, 1], [2, 3]], [1.5, 2.5], [3, 4])
    s = tf.io.serialize_sparse(sp)
    assert s.shape == (3,)
    assert [x.hex() for x in s.numpy()] == [
        "08091208120208021202080222200000000000000000010000000000000002000000000000000300000000000000",
        "080112041202080222080000c03f00002040",
        "0809120412020802221003000000000000000400000000000000",
    ]


def test_decode_raw():
    r = tf.io.decode_raw([b"\x01\x00\x02\x00", b"\x03\x00\x04\x00"], tf.int16)
    assert r.dtype == tf.int16 and r.numpy().tolist() == [[1, 2], [3, 4]]
    assert tf.io.decode_raw(b"\x01\x00\x02\x00", tf.int16, little_endian=False).numpy().tolist() == [
        256, 512]
    assert tf.io.decode_raw(b"\x00\x00\x80\x3f", tf.float32).numpy().tolist() == [1.0]
    assert tf.io.decode_raw(b"\x00\x3c", tf.float16).numpy().tolist() == [1.0]
    assert tf.io.decode_raw(b"\x01\x00", tf.bool).numpy().tolist() == [True, False]
    assert tf.io.decode_raw(b"", tf.float32).shape == (0,)
    p = tf.io.decode_raw([b"\x01\x02", b"\x03"], tf.uint8, fixed_length=4)
    assert p.numpy().tolist() == [[1, 2, 0, 0], [3, 0, 0, 0]]
    p = tf.io.decode_raw([b"\x01\x02\x03", b"\x03"], tf.int16, fixed_length=4)
    assert p.numpy().tolist() == [[513, 3], [3, 0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="element 1 has size 2 != 4"):
        tf.io.decode_raw([b"\x01\x00\x02\x00", b"\x03\x00"], tf.int16)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="length 3 that is not a multiple of 2, the size of int16"):
        tf.io.decode_raw(b"\x01\x00\x02", tf.int16)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"fixed_length \(3\) must be a multiple"):
        tf.io.decode_raw([b"\x01"], tf.int16, fixed_length=3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="'out_type' of string"):
        tf.io.decode_raw(b"ab", tf.string)


def test_decode_csv():
    a, b, c = tf.io.decode_csv(["1,2.5,a", '3,,"b,c"'], [[0], [1.0], ["z"]])
    assert a.dtype == tf.int32 and a.numpy().tolist() == [1, 3]
    assert b.dtype == tf.float32 and b.numpy().tolist() == [2.5, 1.0]
    assert c.numpy().tolist() == [b"a", b"b,c"]
    x, y = tf.io.decode_csv('"a""b",c', [[""], [""]])
    assert x.numpy() == b'a"b' and y.numpy() == b"c"
    x, y = tf.io.decode_csv('"ab",c', [[""], [""]], use_quote_delim=False)
    assert x.numpy() == b'"ab"'
    x, y = tf.io.decode_csv("1;2", [[0], [0]], field_delim=";")
    assert (int(x), int(y)) == (1, 2)
    x, y = tf.io.decode_csv("NA,2", [[7], [0]], na_value="NA")
    assert int(x) == 7
    x, y = tf.io.decode_csv("1,2,3", [[0], [0]], select_cols=[0, 2])
    assert (int(x), int(y)) == (1, 3)
    x, y = tf.io.decode_csv([["1 ,2"]], [[0.0], [tf.constant(0, tf.int64)]])
    assert x.shape == (1, 1) and y.dtype == tf.int64 and float(x[0, 0]) == 1.0
    x, y = tf.io.decode_csv("1e3,nan", [[np.float64(0)], [0.0]])
    assert x.dtype == tf.float64 and float(x) == 1000.0 and np.isnan(float(y))


@pytest.mark.parametrize("record,defaults,kwargs,message", [
    (",2", [tf.constant([], tf.int32), [0]], {}, "Field 0 is required but missing in record 0!"),
    ("1,2,3", [[0], [0]], {}, "Expect 2 fields but have 3 in record 0"),
    ("1", [[0], [0]], {}, "Expect 2 fields but have 1 in record 0"),
    ("x,2", [[0], [0]], {}, "Field 0 in record 0 is not a valid int32: x"),
    ("1.5,2", [[0], [0]], {}, "Field 0 in record 0 is not a valid int32: 1.5"),
    ("99999999999,2", [[0], [0]], {}, "not a valid int32: 99999999999"),
    ('"a"b,c', [[""], [""]], {}, "Quote inside a string has to be escaped by another quote"),
    ('"ab,c', [[""], [""]], {}, "Quoted field has to end with quote followed by delim or end"),
    ("a,b", [[0.0], [0.0]], {"field_delim": "ab"}, "field_delim should be only 1 char"),
    ("a,b", [[True], [0.0]], {}, "'OUT_TYPE' of bool is not in the list"),
])  # fmt: skip
def test_decode_csv_errors(record, defaults, kwargs, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace("(", r"\(")):
        tf.io.decode_csv(record, defaults, **kwargs)


def test_decode_csv_in_tf_function():
    @tf.function
    def f(lines):
        a, b = tf.io.decode_csv(lines, [[0], [""]])
        return a * 2, b

    a, b = f(tf.constant(["1,x", "2,y"]))
    assert a.numpy().tolist() == [2, 4] and b.numpy().tolist() == [b"x", b"y"]


def test_decode_compressed():
    out = tf.io.decode_compressed([zlib.compress(b"hello"), zlib.compress(b"")], "ZLIB")
    assert out.numpy().tolist() == [b"hello", b""]
    assert tf.io.decode_compressed(gzip.compress(b"hello"), "GZIP").numpy() == b"hello"
    assert tf.io.decode_compressed(b"hello").numpy() == b"hello"
    with pytest.raises(tf.errors.DataLossError, match="inflate"):
        tf.io.decode_compressed(b"hello", "ZLIB")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Only ZLIB, ZSTD, GZIP or NONE"):
        tf.io.decode_compressed(b"hello", "BAD")


def test_base64():
    e = tf.io.encode_base64([b"hello?>", b""])
    assert e.numpy().tolist() == [b"aGVsbG8_Pg", b""]
    assert tf.io.encode_base64(b"hello?>", pad=True).numpy() == b"aGVsbG8_Pg=="
    assert tf.io.decode_base64(b"aGVsbG8_Pg").numpy() == b"hello?>"
    assert tf.io.decode_base64(b"aGVsbG8_Pg==").numpy() == b"hello?>"
    data = bytes(range(256))
    assert tf.io.decode_base64(tf.io.encode_base64(data)).numpy() == data
    assert tf.io.encode_base64(data).numpy() == base64.urlsafe_b64encode(data).rstrip(b"=")
    for bad, msg in [(b"aGVsbG8/Pg==", "Invalid character found in base64."),
                     (b"a b", "Invalid character found in base64."),
                     (b"a", "Base64 string length cannot be 1 modulo 4.")]:  # fmt: skip
        with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
            tf.io.decode_base64(bad)


def test_decode_json_example():
    s = tf.io.decode_json_example(
        '{"features": {"feature": {"a": {"int64List": {"value": ["1","2"]}}}}}')
    ex = tf.train.Example.FromString(s.numpy())
    assert list(ex.features.feature["a"].int64_list.value) == [1, 2]
    # TensorFlow writes the same message (unpacked: 0a0d0a0b0a016112061a0408010802)
    tf_bytes = bytes.fromhex("0a0d0a0b0a016112061a0408010802")
    assert tf.train.Example.FromString(tf_bytes) == ex
    both = tf.io.decode_json_example(
        ['{"features": {"feature": {"a": {"floatList": {"value": [0.5]}}}}}', "{}"])
    assert both.shape == (2,) and both.numpy()[1] == b""
    with pytest.raises(tf.errors.InvalidArgumentError, match="Error while parsing JSON"):
        tf.io.decode_json_example('{"bad": 1}')
    with pytest.raises(tf.errors.InvalidArgumentError, match="Error while parsing JSON"):
        tf.io.decode_json_example("nojson")


# ------------------------------------------------------------------ images


def _pixels(h=5, w=7, c=3, seed=0, dtype=np.uint8):
    hi = 256 if dtype == np.uint8 else 65536
    return np.random.default_rng(seed).integers(0, hi, (h, w, c), dtype=dtype)


def _pil(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def _sha(t):
    return hashlib.sha256(np.ascontiguousarray(t.numpy()).tobytes()).hexdigest()[:16]


@pytest.mark.parametrize("c", [1, 2, 3, 4])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_png_round_trip(c, dtype):
    a = _pixels(6, 9, c, seed=c, dtype=dtype)
    data = tf.io.encode_png(a)
    assert data.shape == () and data.numpy()[:8] == b"\x89PNG\r\n\x1a\n"
    back = tf.io.decode_png(data, dtype=tf.as_dtype(dtype))
    assert back.dtype == tf.as_dtype(dtype) and back.shape == a.shape
    np.testing.assert_array_equal(back.numpy(), a)
    for level in (0, 9):
        np.testing.assert_array_equal(tf.io.decode_png(tf.io.encode_png(a, level),
                                                       dtype=tf.as_dtype(dtype)).numpy(), a)


def test_png_reads_pillow_files_and_channels():
    from PIL import Image

    a = _pixels()
    rgb = _pil(Image.fromarray(a), "PNG")
    np.testing.assert_array_equal(tf.io.decode_png(rgb).numpy(), a)
    # TensorFlow's values for pixels (95,130,194) (217,207,235) (15,163,33): libpng's gray
    assert tf.io.decode_png(rgb, channels=1).numpy()[0, :3, 0].tolist() == [126, 213, 103]
    assert tf.io.decode_png(rgb, channels=4).numpy()[0, 0].tolist() == [95, 130, 194, 255]
    assert tf.io.decode_png(rgb, dtype=tf.uint16).numpy()[0, 0].tolist() == [24415, 33410, 49858]
    gray = _pil(Image.fromarray(a[..., 0]), "PNG")
    assert tf.io.decode_png(gray).shape == (5, 7, 1)
    assert tf.io.decode_png(gray, channels=3).numpy()[0, 0].tolist() == [95, 95, 95]
    rgba = np.dstack([a, a[..., :1]])
    assert tf.io.decode_png(_pil(Image.fromarray(rgba), "PNG"), channels=3).shape == (5, 7, 3)
    # a 16-bit gray PNG read as uint8 keeps the high byte
    u16 = _pixels(3, 4, 1, seed=1, dtype=np.uint16)[..., 0]
    p16 = _pil(Image.fromarray(u16), "PNG")
    np.testing.assert_array_equal(tf.io.decode_png(p16, dtype=tf.uint16).numpy()[..., 0], u16)
    np.testing.assert_array_equal(tf.io.decode_png(p16).numpy()[..., 0], u16 >> 8)
    # a 4-bit palette PNG: TensorFlow fills a requested alpha channel with 2**4 - 1
    pal = _pil(Image.fromarray(a).quantize(16), "PNG")
    assert set(tf.io.decode_png(pal, channels=4).numpy()[..., 3].ravel()) == {15}


def test_gif_bmp():
    from PIL import Image

    a = _pixels()
    bmp = _pil(Image.fromarray(a), "BMP")
    np.testing.assert_array_equal(tf.io.decode_bmp(bmp).numpy(), a)
    assert tf.io.decode_bmp(bmp, channels=4).numpy()[0, 0].tolist() == [95, 130, 194, 255]
    bmp32 = _pil(Image.fromarray(np.dstack([a, a[..., :1]])), "BMP")
    out = tf.io.decode_bmp(bmp32)
    assert out.shape == (5, 7, 4) and out.numpy()[0, 0].tolist() == [95, 130, 194, 95]
    frames = [Image.fromarray(np.full((4, 6, 3), v, np.uint8)) for v in (10, 200, 90)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    gif = buf.getvalue()
    g = tf.io.decode_gif(gif)
    assert g.shape == (3, 4, 6, 3) and g.numpy()[:, 0, 0, 0].tolist() == [10, 200, 90]
    assert tf.io.decode_image(gif).shape == (3, 4, 6, 3)
    assert tf.io.decode_image(gif, expand_animations=False).shape == (4, 6, 3)
    # a transparent pixel of the first frame is black, as in TensorFlow
    tr = _pil(Image.fromarray(a).quantize(16), "GIF", transparency=0)
    idx = np.asarray(Image.open(io.BytesIO(tr)))
    assert (tf.io.decode_gif(tr).numpy()[0][idx == 0] == 0).all()


def test_decode_image_dispatch_and_dtypes():
    from PIL import Image

    a = _pixels()
    png, bmp = _pil(Image.fromarray(a), "PNG"), _pil(Image.fromarray(a), "BMP")
    f = tf.io.decode_image(png, dtype=tf.float32)
    np.testing.assert_allclose(f.numpy(), a / 255.0, rtol=1e-6)
    assert tf.io.decode_image(png, dtype=tf.uint16).numpy()[0, 0, 0] == 95 * 257
    assert tf.io.decode_image(bmp, dtype=tf.uint16).numpy()[0, 0, 0] == 95 * 256
    assert tf.io.decode_image(png, channels=4).shape == (5, 7, 4)
    jpg = _pil(Image.fromarray(a), "JPEG")
    assert tf.io.decode_png(jpg).shape == (5, 7, 3)  # decode_png/jpeg/gif take any format
    assert tf.io.decode_gif(png).shape == (1, 5, 7, 3)
    assert tf.io.decode_jpeg(png, ratio=2).shape == (5, 7, 3)  # ratio only applies to JPEG


@pytest.mark.parametrize("fn,data,message", [
    (tf.io.decode_png, b"junk", "Unknown image file format. One of JPEG, PNG, GIF, BMP"),
    (tf.io.decode_image, b"", "Input is empty."),
    (lambda d: tf.io.decode_png(d, channels=2), "png", "`channels` must be 0, 1, 3 or 4 but got 2"),
    (tf.io.decode_bmp, "png", "Trying to decode PNG format using DecodeBmp op"),
    (tf.io.decode_png, "bmp", "Trying to decode BMP format using a wrong op"),
    (lambda d: tf.io.decode_bmp(d, channels=1), "bmp", "must be 0, 3 or 4 for BMP, but got 1"),
    (lambda d: tf.io.decode_image(d, channels=1), "gif", "channels must be 0 or 3 for GIF, got 1"),
    (lambda d: tf.io.decode_jpeg(d, channels=4), "jpg", "JPEG does not support 4 channels"),
    (lambda d: tf.io.decode_jpeg(d, ratio=3), "jpg", "ratio must be 1, 2, 4, or 8, got 3"),
    (tf.io.decode_jpeg, "jpg-cut", "jpeg::Uncompress failed"),
    (tf.io.extract_jpeg_shape, "png", "Invalid JPEG data, size"),
    (lambda d: tf.io.decode_and_crop_jpeg(d, [1, 2, 5, 4]), "jpg", "Invalid JPEG data or crop"),
])  # fmt: skip
def test_decode_errors(fn, data, message):
    from PIL import Image

    img = Image.fromarray(_pixels())
    made = {"png": _pil(img, "PNG"), "bmp": _pil(img, "BMP"), "gif": _pil(img, "GIF"),
            "jpg": _pil(img, "JPEG"), "jpg-cut": _pil(img, "JPEG")[:100]}  # fmt: skip
    with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace("(", r"\(")):
        fn(made.get(data, data))


def test_encode_errors():
    a = _pixels()
    for call, message in [
        (lambda: tf.io.encode_png(a[0]), "image must be 3-dimensional"),
        (lambda: tf.io.encode_png(a.astype(np.float32)), "'T' of float is not in the list"),
        (lambda: tf.io.encode_png(np.zeros((2, 2, 5), np.uint8)), "1, 2, 3, or 4 channels, got 5"),
        (lambda: tf.io.encode_png(a, compression=10), "compression should be in \\[-1,9\\]"),
        (lambda: tf.io.encode_jpeg(a, format="grayscale"), "format grayscale expects 1 channels"),
        (lambda: tf.io.encode_jpeg(a[..., :1], format="rgb"), "format rgb expects 3 channels"),
        (lambda: tf.io.encode_jpeg(a, quality=101), "quality must be in \\[0,100\\], got 101"),
        (lambda: tf.io.encode_jpeg(a[..., :2]), "image must have 1 or 3 channels, got \\[5,7,2\\]"),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            call()


# A 13x11 JPEG written by TensorFlow's encode_jpeg (quality 85, 4:2:0) and one written by Pillow
# with 4:2:2 chroma; the hashes are of TensorFlow 2.21's decode_jpeg output.
JPEG_420 = bytes.fromhex(
    "ffd8ffe000104a46494600010101012c012c0000ffdb0043000503040404030504040405050506070c080707"
    "07070f0b0b090c110f1212110f111113161c1713141a1511111821181a1d1d1f1f1f13172224221e241c1e1f"
    "1effdb0043010505050706070e08080e1e1411141e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e"
    "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1effc0001108000d000b030122000211010311"
    "01ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303"
    "020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f024"
    "33627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a63646566"
    "6768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7"
    "b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc400"
    "1f0100030101010101010101010000000000000102030405060708090a0bffc400b511000201020404030407"
    "05040400010277000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a"
    "162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a63646566676869"
    "6a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9"
    "bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c030100"
    "02110311003f00732c9032b8b89f2783b81507b77207f3ab81e7c0f2e752b8e0f9f18feb58b757b710dc05f3"
    "0bee4cf2cdc63e86a03a9b93916f0e31fc40b1fcc9ae3a966f6bfc97ea8c6b65cabdb99fe09fea8fffd9"
)
JPEG_422 = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb0043000503040404030504040405050506070c080707"
    "07070f0b0b090c110f1212110f111113161c1713141a1511111821181a1d1d1f1f1f13172224221e241c1e1f"
    "1effdb0043010505050706070e08080e1e1411141e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e"
    "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1effc0001108000d000b030121000211010311"
    "01ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303"
    "020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f024"
    "33627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a63646566"
    "6768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7"
    "b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc400"
    "1f0100030101010101010101010000000000000102030405060708090a0bffc400b511000201020404030407"
    "05040400010277000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a"
    "162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a63646566676869"
    "6a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9"
    "bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c030100"
    "02110311003f00732c9032b8b89f2783b81507b77207f3ab81e7c0f2e752b8e0f9f18feb5c9521464f9a745b"
    "7e56ff0023c6cc12935195451b769a8ffedc998b757b710dc05f30bee4cf2cdc63e86a03a9b93916f0e31fc4"
    "0b1fcc9a99ddbba6d7ddfe47d2c1d582f726d6db36bf53ffd9"
)
JPEG_HASHES = {
    "420": {"default": "5c8cd7993258dee4", "gray": "cfa810c20d2d6777", "r2": "d69039d96299228f",
            "nf": "5e2b102fea6ede3e", "acc": "9203ab8e2528a3ba"},
    "422": {"default": "025c741a6325fab9", "gray": "cfa810c20d2d6777", "r2": "122f1292f530cb29",
            "nf": "391c6e965e9f43de", "acc": "3c3f15aab6c8ef96"},
}  # fmt: skip
JPEG_VARIANTS = {"default": {}, "gray": {"channels": 1}, "r2": {"ratio": 2},
                 "nf": {"fancy_upscaling": False}, "acc": {"dct_method": "INTEGER_ACCURATE"}}  # fmt: skip


@pytest.mark.parametrize("kind", ["420", "422"])
@pytest.mark.parametrize("variant", list(JPEG_VARIANTS))
def test_jpeg_decode_matches_tensorflow_exactly(kind, variant):
    data = JPEG_420 if kind == "420" else JPEG_422
    out = tf.io.decode_jpeg(data, **JPEG_VARIANTS[variant])
    assert out.dtype == tf.uint8 and _sha(out) == JPEG_HASHES[kind][variant]


def test_jpeg_shape_crop_is_jpeg_and_encode():
    assert tf.io.decode_jpeg(JPEG_420).numpy()[0, :3].tolist() == [
        [131, 139, 128], [135, 143, 130], [125, 133, 118]]  # fmt: skip
    assert tf.io.extract_jpeg_shape(JPEG_420).numpy().tolist() == [13, 11, 3]
    assert tf.io.extract_jpeg_shape(JPEG_420, tf.int64).dtype == tf.int64
    assert tf.io.decode_jpeg(JPEG_420, ratio=2).shape == (7, 6, 3)
    full = tf.io.decode_jpeg(JPEG_420).numpy()
    crop = tf.io.decode_and_crop_jpeg(JPEG_420, [1, 2, 3, 4])
    np.testing.assert_array_equal(crop.numpy(), full[1:4, 2:6])
    assert bool(tf.io.is_jpeg(JPEG_420)) and not bool(tf.io.is_jpeg(b"\xff\xd8"))
    assert tf.io.is_jpeg([JPEG_420, b"\x89PNG", b""]).numpy().tolist() == [True, False, False]
    yy, xx = np.mgrid[0:16, 0:16]
    img = np.stack([yy * 15, xx * 15, (yy + xx) * 7], axis=-1).astype(np.uint8)
    for kw in [{}, {"quality": 100, "chroma_downsampling": False}, {"progressive": True},
               {"optimize_size": True, "density_unit": "cm", "x_density": 10, "y_density": 20}]:
        enc = tf.io.encode_jpeg(img, **kw)
        assert bool(tf.io.is_jpeg(enc))
        assert tf.io.extract_jpeg_shape(enc).numpy().tolist() == [16, 16, 3]
    best = tf.io.decode_jpeg(tf.io.encode_jpeg(img, quality=100, chroma_downsampling=False))
    assert np.abs(best.numpy().astype(int) - img).max() <= 8
    gray = tf.io.encode_jpeg(img[..., :1])
    assert tf.io.decode_jpeg(gray).shape == (16, 16, 1)
    assert tf.io.decode_jpeg(gray, channels=3).shape == (16, 16, 3)


def test_image_ops_in_tf_function_and_static_shapes():
    png = tf.io.encode_png(_pixels())
    spec = tf.TensorSpec([], tf.string)
    shapes = {
        "image": tf.function(lambda s: tf.io.decode_image(s)),
        "image3": tf.function(lambda s: tf.io.decode_image(s, 3, expand_animations=False)),
        "png3": tf.function(lambda s: tf.io.decode_png(s, 3)),
        "jpeg": tf.function(lambda s: tf.io.decode_jpeg(s)),
        "gif": tf.function(lambda s: tf.io.decode_gif(s)),
        "jshape": tf.function(lambda s: tf.io.extract_jpeg_shape(s)),
        "crop": tf.function(lambda s: tf.io.decode_and_crop_jpeg(s, [0, 0, 1, 1], 3)),
        "isjpeg": tf.function(lambda s: tf.io.is_jpeg(s)),
    }
    got = {k: f.get_concrete_function(spec).structured_outputs.shape for k, f in shapes.items()}
    assert got["image"].rank is None
    assert got["image3"].as_list() == [None, None, 3] and got["png3"].as_list() == [None, None, 3]
    assert got["jpeg"].as_list() == [None, None, None]
    assert got["gif"].as_list() == [None, None, None, 3]
    assert got["jshape"].as_list() == [3] and got["crop"].as_list() == [1, 1, 3]
    assert got["isjpeg"].as_list() == []
    np.testing.assert_array_equal(shapes["png3"](png).numpy(), _pixels())
    enc = tf.function(lambda x: tf.io.encode_png(x))(tf.constant(_pixels()))
    np.testing.assert_array_equal(tf.io.decode_png(enc).numpy(), _pixels())


def test_image_namespace_aliases():
    for n in ["decode_image", "decode_png", "decode_jpeg", "decode_gif", "decode_bmp",
              "decode_and_crop_jpeg", "encode_png", "encode_jpeg", "extract_jpeg_shape",
              "is_jpeg"]:  # fmt: skip
        assert getattr(tf.image, n) is getattr(tf.io, n)

# A 4x4 CMYK JPEG (Adobe, written by Pillow); TensorFlow 2.21 decodes its first row as below.
JPEG_CMYK = bytes.fromhex(
    "ffd8ffee000e41646f626500640000000000ffdb004300030202030202030303030403030405080505040405"
    "0a070706080c0a0c0c0b0a0b0b0d0e12100d0e110e0b0b1016101113141515150c0f171816141812141514ff"
    "c000140800040004044311004d11005911004b1100ffc4001f00000105010101010101000000000000000001"
    "02030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613"
    "516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a"
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495"
    "969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3"
    "e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda000e0443004d0059004b00003f00f99fe317c73f1a2f8a7fb6"
    "74dd6a7d0af35d6bbbed4c698c638eeae56feead84cca49018c56f0a9db8076038c924f0df167e1c35c78a03"
    "ddf8b3c4da8dcc7135a3dddfdf8b89a6104b25ba3bbba13b8a42a5b18058b10066b77c1fe3a8adbc3969041a"
    "0595b5bdb34b670c56ba86a502a4504af044a7cbba5de447120defb9880016c0007ea9d7ffd9"
)


def test_cmyk_jpeg_matches_tensorflow():
    out = tf.io.decode_jpeg(JPEG_CMYK)
    assert out.shape == (4, 4, 3)
    assert out.numpy()[0].tolist() == [[254, 230, 32], [116, 239, 190], [10, 136, 100],
                                       [166, 81, 195]]  # fmt: skip
    assert tf.io.extract_jpeg_shape(JPEG_CMYK).numpy().tolist() == [4, 4, 4]
    with pytest.raises(tf.errors.InvalidArgumentError, match="jpeg::Uncompress failed"):
        tf.io.decode_jpeg(JPEG_CMYK, channels=1)
