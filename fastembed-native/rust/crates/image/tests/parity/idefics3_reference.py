"""Reference side of tests/idefics3_parity.rs: Pillow + numpy doing what fastembed does for an
Idefics3ImageProcessor (ColModernVBERT), restated step by step from fastembed's
fastembed/image/transform (operators.py, functional.py), so the Rust crate is compared with the
libraries fastembed runs on.

Steps: RGB -> resize the longest edge (do_resize) -> to a uint8 CHW array -> with do_image_splitting,
resize both sides up to multiples of the frame then cut into frame crops plus a global view (or one
frame when the image is one frame); without it, a square resize -> rescale -> normalize.

Usage: idefics3_reference.py DIR
  for every [image, config] pair of DIR/cases.json writes out_<index>.f32: u32 frames, rows, cols,
  frame side, then the float32 values (frames x 3 x side x side), little-endian.
"""
import json
import math
import os
import sys

import numpy as np
from PIL import Image


def resize_longest_edge(image, longest, resample):
    aspect = image.width / image.height
    if image.width >= image.height:
        width, height = longest, int(longest / aspect)
    else:
        width, height = int(longest * aspect), longest
    width += width % 2
    height += height % 2
    return image.resize((width, height), resample)


def resize_array(array, width, height, resample):
    # fastembed's resize_ndarray on a uint8 array: back to Pillow, resized, back to CHW uint8.
    resized = Image.fromarray(array.transpose((1, 2, 0)), mode="RGB").resize((width, height), resample)
    return np.array(resized).transpose((2, 0, 1))


def frames_of(config, image):
    frame = config.get("max_image_size", {}).get("longest_edge", 512)
    resample = config.get("resample", 1)
    image = image.convert("RGB")
    if config.get("do_resize", False):
        image = resize_longest_edge(image, config["size"]["longest_edge"], resample)
    array = np.asarray(image).transpose((2, 0, 1))
    if not config.get("do_image_splitting", False):
        return [resize_array(array, frame, frame, resample)], 0, 0
    _, height, width = array.shape
    aspect = width / height
    if width >= height:
        new_width = math.ceil(width / frame) * frame
        new_height = math.ceil(int(new_width / aspect) / frame) * frame
    else:
        new_height = math.ceil(height / frame) * frame
        new_width = math.ceil(int(new_height * aspect) / frame) * frame
    array = resize_array(array, new_width, new_height, resample)
    _, height, width = array.shape
    if height <= frame and width <= frame:
        return [array], 0, 0
    rows, cols = math.ceil(height / frame), math.ceil(width / frame)
    tile_height, tile_width = math.ceil(height / rows), math.ceil(width / cols)
    frames = []
    for r in range(rows):
        for c in range(cols):
            frames.append(array[:, r * tile_height:min((r + 1) * tile_height, height),
                                c * tile_width:min((c + 1) * tile_width, width)])
    frames.append(resize_array(array, frame, frame, resample))
    return frames, rows, cols


def finish(config, frame):
    if config.get("do_rescale", True):
        frame = (frame * config.get("rescale_factor", 1 / 255)).astype(np.float32)
    if config.get("do_normalize", False):
        if not np.issubdtype(frame.dtype, np.floating):
            frame = frame.astype(np.float32)
        mean = np.array(config["image_mean"], dtype=np.float32)
        std = np.array(config["image_std"], dtype=np.float32)
        frame = ((frame.T - mean) / std).T
    return np.ascontiguousarray(frame, dtype=np.float32)


def main(directory):
    with open(os.path.join(directory, "cases.json")) as cases:
        for index, (image_name, config_name) in enumerate(json.load(cases)):
            with open(os.path.join(directory, config_name)) as f:
                config = json.load(f)
            with Image.open(os.path.join(directory, image_name)) as image:
                frames, rows, cols = frames_of(config, image)
            side = frames[0].shape[1]
            with open(os.path.join(directory, f"out_{index}.f32"), "wb") as out:
                out.write(np.array([len(frames), rows, cols, side], dtype="<u4").tobytes())
                for frame in frames:
                    out.write(finish(config, frame).astype("<f4").tobytes())


if __name__ == "__main__":
    main(sys.argv[1])
