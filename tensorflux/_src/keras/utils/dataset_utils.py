"""keras.utils.image/text/audio_dataset_from_directory: labelled tf.data pipelines from folders.

A directory holds one subdirectory per class (`labels="inferred"`) or just files (`labels=None`,
or a list of labels in file order). Files are listed in sorted order, shuffled once with a NumPy
`RandomState(seed)` (the same permutation Keras draws), optionally split into training and
validation parts, then read and decoded lazily by a tf.data map.
"""

from __future__ import annotations

import os

import numpy as np

from tensorflux._src.keras.utils.io_utils import print_msg

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
TEXT_FORMATS = (".txt",)
AUDIO_FORMATS = (".wav",)
_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                   "mitchellcubic")  # fmt: skip


# ----------------------------------------------------------------------------- listing files

def _class_dirs(directory, class_names):
    found = sorted(
        d for d in os.listdir(directory)
        if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
    )
    if class_names is None:
        return found
    if not set(class_names).issubset(found):
        raise ValueError(
            "The `class_names` passed did not match the names of the subdirectories of the "
            f"target directory. Expected: {found} (or a subset of it), but received: "
            f"class_names={class_names}"
        )
    return list(class_names)


def _files_under(root, base, follow_links, formats):
    """Paths `base/...` of the matching files under `root`, walked in sorted order."""
    out = []
    walk = sorted(os.walk(root, followlinks=follow_links), key=lambda entry: entry[0])
    for dirpath, _, files in walk:
        for name in sorted(files):
            if name.lower().endswith(formats):
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                out.append(os.path.join(base, rel) if base else rel)
    return out


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):  # fmt: skip
    """Lists the files of `directory` with their integer labels and the class names."""
    if labels == "inferred":
        subdirs = _class_dirs(directory, class_names)
    else:
        if class_names is not None:
            if labels is None:
                raise ValueError(
                    "When `labels=None` (no labels), argument `class_names` cannot be specified."
                )
            raise ValueError(
                "When argument `labels` is specified, argument `class_names` cannot be "
                "specified (the `class_names` will be the sorted list of labels)."
            )
        subdirs = [""]
    filenames, per_file = [], []
    for index, sub in enumerate(subdirs):
        root = os.path.join(directory, sub) if sub else directory
        found = _files_under(root, sub, follow_links, formats)
        filenames += found
        per_file += [index] * len(found)
    if labels == "inferred":
        labels = np.asarray(per_file, dtype="int32")
        class_names = subdirs
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "Expected the lengths of `labels` to match the number of files in the target "
                f"directory. len(labels) is {len(labels)} while we found {len(filenames)} "
                f"files in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            print_msg(f"Found {len(filenames)} files.")
        else:
            print_msg(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    paths = [os.path.join(directory, f) for f in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            labels = np.array(labels)  # never shuffle the caller's list in place
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` "
            "argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )


def split_for_subset(samples, labels, validation_split, subset):
    """The training part (all but the last `int(split * n)` files) or the validation part."""
    if not validation_split:
        return samples, labels
    n_val = int(validation_split * len(samples))
    cut = len(samples) - n_val
    if subset == "training":
        print_msg(f"Using {cut} files for training.")
        part = slice(0, cut)
    elif subset == "validation":
        print_msg(f"Using {n_val} files for validation.")
        part = slice(cut, len(samples))
    else:
        raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
    return samples[part], (labels[part] if labels is not None else None)


def _label_dataset(labels, label_mode, num_classes):
    import tensorflux as tf

    ds = tf.data.Dataset.from_tensor_slices(np.asarray(labels, dtype="int32"))
    if label_mode == "binary":
        return ds.map(lambda y: tf.expand_dims(tf.cast(y, "float32"), -1))
    if label_mode == "categorical":
        return ds.map(lambda y: tf.one_hot(y, num_classes))
    return ds


def _build(directory, formats, kind, labels, label_mode, class_names, batch_size, shuffle, seed,
           validation_split, subset, follow_links, verbose, load, padded=False):  # fmt: skip
    """The shared tail: index, split, zip paths with labels, load, batch, prefetch."""
    import tensorflux as tf

    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(
            "`labels` argument should be a list/tuple of integer labels, of the same size as the "
            "number of files in the target directory. If you wish to infer the labels from the "
            "subdirectory names in the target directory, pass `labels=\"inferred\"`. If you wish "
            "to get a dataset that only contains data (no labels), pass `labels=None`. "
            f"Received: labels={labels}"
        )
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode}"
        )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(
        directory, labels, formats=formats, class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )
    buffer = batch_size * 8 if batch_size is not None else 1024

    def make(part_paths, part_labels, shuffle_part, what):
        if not part_paths:
            raise ValueError(
                f"No {what} found in directory {directory}. Allowed formats: {formats}"
            )
        ds = tf.data.Dataset.from_tensor_slices(list(part_paths))
        if label_mode:
            labels_ds = _label_dataset(part_labels, label_mode, len(class_names))
            ds = tf.data.Dataset.zip((ds, labels_ds))
        if shuffle_part:
            ds = ds.shuffle(buffer_size=buffer, seed=seed)
        if label_mode:
            ds = ds.map(lambda p, y: (load(p), y), num_parallel_calls=tf.data.AUTOTUNE)
        else:
            ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
        if batch_size is not None:
            ds = ds.padded_batch(batch_size) if padded else ds.batch(batch_size)
        ds = ds.prefetch(tf.data.AUTOTUNE)
        ds.class_names = class_names
        ds.file_paths = list(part_paths)
        return ds

    if subset == "both":
        train = split_for_subset(paths, labels, validation_split, "training")
        val = split_for_subset(paths, labels, validation_split, "validation")
        return [make(*train, shuffle, f"training {kind}"), make(*val, False, f"validation {kind}")]
    paths, labels = split_for_subset(paths, labels, validation_split, subset)
    return make(paths, labels, shuffle, kind)


# ----------------------------------------------------------------------------- public functions

def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256),
                                 shuffle=True, seed=None, validation_split=None, subset=None,
                                 interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, format="tf", verbose=True):  # fmt: skip
    """A dataset of (image, label) batches read from class subdirectories of `directory`.

    Images (.bmp .gif .jpeg .jpg .png) decode to `color_mode` channels and resize to `image_size`
    as float32; labels are int32, one-hot float32 (`"categorical"`) or float32 [1] (`"binary"`).
    The dataset has `class_names` and `file_paths` attributes. `subset="both"` returns the
    training and validation datasets as a list.
    """
    import tensorflux as tf
    from tensorflux._src.keras import backend
    from tensorflux._src.keras.utils.image_utils import smart_resize

    channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if channels is None:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
            f"Received: color_mode={color_mode}"
        )
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(
            "Invalid `image_size` value. Expected a tuple of 2 integers. "
            f"Received: image_size={image_size}"
        )
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"Argument `interpolation` should be one of {_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation}"
        )
    if format != "tf":
        raise NotImplementedError(
            f'image_dataset_from_directory(format="{format}"): only "tf" datasets are supported'
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`."
        )
    data_format = data_format or backend.image_data_format()
    height, width = image_size

    def load(path):
        img = tf.io.decode_image(tf.io.read_file(path), channels=channels,
                                 expand_animations=False)  # fmt: skip
        if crop_to_aspect_ratio:
            img = smart_resize(img, image_size, interpolation=interpolation)
        elif pad_to_aspect_ratio:
            img = tf.image.resize_with_pad(img, height, width, method=interpolation)
        else:
            img = tf.image.resize(img, image_size, method=interpolation)
        if data_format == "channels_first":
            img = tf.transpose(img, (2, 0, 1))
            img.set_shape((channels, height, width))
        else:
            img.set_shape((height, width, channels))
        return img

    return _build(directory, IMAGE_FORMATS, "images", labels, label_mode, class_names, batch_size,
                  shuffle, seed, validation_split, subset, follow_links, verbose, load)  # fmt: skip


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False,
                                format="tf", verbose=True):  # fmt: skip
    """A dataset of (text, label) batches read from the .txt files in class subdirectories.

    Texts are scalar string tensors, cut to their first `max_length` bytes when it is given.
    """
    import tensorflux as tf

    if format != "tf":
        raise NotImplementedError(
            f'text_dataset_from_directory(format="{format}"): only "tf" datasets are supported'
        )

    def load(path):
        text = tf.io.read_file(path)
        if max_length is not None:
            text = tf.strings.substr(text, 0, max_length)
        return text

    return _build(directory, TEXT_FORMATS, "text files", labels, label_mode, class_names,
                  batch_size, shuffle, seed, validation_split, subset, follow_links, verbose,
                  load)  # fmt: skip


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 batch_size=32, sampling_rate=None, output_sequence_length=None,
                                 ragged=False, shuffle=True, seed=None, validation_split=None,
                                 subset=None, follow_links=False, verbose=True):  # fmt: skip
    """A dataset of (audio, label) batches from the .wav files in class subdirectories.

    Audio is float32 `[samples, channels]`, cut or zero-padded to `output_sequence_length` when
    it is given; otherwise each batch is padded to its longest clip.
    """
    import tensorflux as tf

    if labels not in ("inferred", None) and class_names:
        raise ValueError(
            'You can only pass `class_names` if `labels="inferred"`. Received: '
            f"labels={labels}, and class_names={class_names}"
        )
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(
                f"`sampling_rate` should have an integer value. Received: "
                f"sampling_rate={sampling_rate}"
            )
        if sampling_rate <= 0:
            raise ValueError(
                f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}"
            )
        raise NotImplementedError(
            "audio_dataset_from_directory(sampling_rate=...) resamples with tensorflow-io in "
            "Keras; resampling is not implemented in tensorflux"
        )
    if ragged:
        raise NotImplementedError("audio_dataset_from_directory(ragged=True) is not supported yet")
    length = -1 if output_sequence_length is None else int(output_sequence_length)

    def load(path):
        audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_samples=length)
        return audio

    out = _build(directory, AUDIO_FORMATS, "audio files", labels, label_mode, class_names,
                 batch_size, shuffle, seed, validation_split, subset, follow_links, verbose, load,
                 padded=output_sequence_length is None)  # fmt: skip
    return tuple(out) if isinstance(out, list) else out
