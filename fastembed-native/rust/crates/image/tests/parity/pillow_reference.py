"""Reference side of tests/pil_parity.rs: Pillow + numpy doing what fastembed does.

fastembed (qdrant/fastembed, fastembed/image/transform) opens images with Pillow, converts them
to RGB, and runs Compose.from_config(preprocessor_config.json): resize (Pillow), pad to square
(Jina CLIP), center crop, to array, rescale, normalize (numpy). This script restates those
steps on top of the real Pillow and numpy, so the Rust crate is compared with the libraries
fastembed itself runs on, not with numbers written into a test.

Usage: pillow_reference.py DIR
  1. writes dec_* pictures in formats and pixel modes that only Pillow's encoders produce here
     (palette, 1-bit, LZW TIFF, WebP, libjpeg JPEG, ...) and, for every dec_* file in DIR, the
     pixels Pillow decodes (dec_*.rgb: u32 width, u32 height, RGB bytes);
  2. for every [image, config] pair of DIR/cases.json writes out_<index>.f32
     (u32 channels, height, width, then float32 values, little-endian).
"""
import io
import json
import os
import sys

import numpy as np
from PIL import Image

RESAMPLE_BY_NAME = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}


def resize(image, size, resample):
    if isinstance(size, tuple):
        height, width = size
        return image.resize((width, height), resample)
    width, height = image.width, image.height
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size, int(size * long / short)
    return image.resize((new_short, new_long) if width <= height else (new_long, new_short), resample)


def center_crop(image, size):
    array = np.array(image).transpose((2, 0, 1))
    _, height, width = array.shape
    crop_height, crop_width = size
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    if top >= 0 and left >= 0:
        return array[:, top:top + crop_height, left:left + crop_width]
    padded_height, padded_width = max(crop_height, height), max(crop_width, width)
    padded = np.zeros((3, padded_height, padded_width), dtype=np.float32)
    top_pad, left_pad = (padded_height - height + 1) // 2, (padded_width - width + 1) // 2
    padded[:, top_pad:top_pad + height, left_pad:left_pad + width] = array
    top, left = max(0, top + top_pad), max(0, left + left_pad)
    return padded[:, top:top + crop_height, left:left + crop_width]


def pad_to_square(image, size, fill):
    left, top, right, bottom = 0, 0, image.width, image.height
    if image.width > size:
        left = round((image.width - size) / 2)
        right = left + size
    if image.height > size:
        top = round((image.height - size) / 2)
        bottom = top + size
    canvas = Image.new("RGB", (size, size), color=tuple(fill) if isinstance(fill, list) else fill)
    canvas.paste(image.crop((left, top, right, bottom)))
    return canvas


def preprocess(config, image):
    if image.mode != "RGB":
        image = image.convert("RGB")
    kind = config.get("image_processor_type", "CLIPImageProcessor")
    resample_default = Image.Resampling.BICUBIC
    if kind in ("CLIPImageProcessor", "SiglipImageProcessor"):
        if config.get("do_resize", False):
            size = config["size"]
            size = size["shortest_edge"] if "shortest_edge" in size else (size["height"], size["width"])
            image = resize(image, size, config.get("resample", resample_default))
        if config.get("do_center_crop", False):
            crop = config["crop_size"]
            image = center_crop(image, (crop, crop) if isinstance(crop, int) else (crop["height"], crop["width"]))
    elif kind == "ConvNextFeatureExtractor":
        if config.get("do_resize", True):
            edge = config["size"]["shortest_edge"]
            if edge < 384:
                image = resize(image, int(edge / config.get("crop_pct", 0.875)), config.get("resample", resample_default))
                image = center_crop(image, (edge, edge))
            else:
                image = resize(image, (edge, edge), config.get("resample", resample_default))
    elif kind == "JinaCLIPImageProcessor":
        interpolation = config.get("interpolation")
        if isinstance(interpolation, str):
            resample = RESAMPLE_BY_NAME[interpolation.lower()]
        else:
            resample = interpolation or resample_default
        if "size" in config and config.get("resize_mode", "shortest") == "shortest":
            image = resize(image, config["size"], resample)
        image = pad_to_square(image, config["size"], config.get("fill_color", 0))
    array = np.asarray(image).transpose((2, 0, 1)) if isinstance(image, Image.Image) else image
    if config.get("do_rescale", True):
        array = (array * config.get("rescale_factor", 1 / 255)).astype(np.float32)
    if config.get("do_normalize", False):
        mean, std = config["image_mean"], config["image_std"]
    elif "mean" in config and "std" in config:
        mean, std = config["mean"], config["std"]
    else:
        return array.astype(np.float32)
    array = array.astype(np.float32)
    mean = np.array(mean if isinstance(mean, list) else [mean] * 3, dtype=np.float32).reshape(-1, 1, 1)
    std = np.array(std if isinstance(std, list) else [std] * 3, dtype=np.float32).reshape(-1, 1, 1)
    return (array - mean) / std


def write_pillow_encoded(directory):
    y, x = np.mgrid[0:61, 0:83]
    rgb = Image.fromarray(np.stack([
        (127 + 120 * np.sin(x / 5.0) * np.cos(y / 7.0)).astype(np.uint8),
        (x * 3).astype(np.uint8),
        (y * 4).astype(np.uint8),
    ], -1))
    rgba = rgb.copy()
    rgba.putalpha(Image.fromarray(((x + y) * 2 % 256).astype(np.uint8)))
    grey = rgb.convert("L")
    palette = rgb.quantize(64)
    photo = Image.fromarray(np.random.default_rng(3).integers(0, 256, (30, 40, 3), dtype=np.uint8)).resize(
        (160, 120), Image.Resampling.BICUBIC)
    files = {
        "dec_rgb.png": (rgb, {}), "dec_rgba.png": (rgba, {}), "dec_l.png": (grey, {}),
        "dec_la.png": (rgba.convert("LA"), {}), "dec_p.png": (palette, {}),
        "dec_p_transparent.png": (palette, {"transparency": 5}), "dec_1bit.png": (grey.convert("1"), {}),
        "dec_interlaced.png": (rgb, {"interlace": 1}),
        "dec_p.gif": (palette, {}), "dec_p_transparent.gif": (palette, {"transparency": 5}),
        "dec_24.bmp": (rgb, {}), "dec_8.bmp": (palette, {}), "dec_1.bmp": (grey.convert("1"), {}),
        "dec_rgb.tif": (rgb, {}), "dec_lzw.tif": (rgb, {"compression": "tiff_lzw"}),
        "dec_deflate.tif": (rgb, {"compression": "tiff_adobe_deflate"}),
        "dec_packbits.tif": (rgb, {"compression": "packbits"}), "dec_l.tif": (grey, {}), "dec_rgba.tif": (rgba, {}),
        "dec_lossless.webp": (rgb, {"lossless": True}), "dec_lossless_alpha.webp": (rgba, {"lossless": True}),
        "dec_photo.webp": (photo, {"quality": 85}),
        "dec_baseline.jpg": (photo, {"quality": 90}), "dec_444.jpg": (photo, {"quality": 95, "subsampling": 0}),
        "dec_progressive.jpg": (photo, {"quality": 85, "progressive": True}), "dec_grey.jpg": (photo.convert("L"), {}),
    }
    for name, (image, options) in files.items():
        image.save(os.path.join(directory, name), **options)
    # A first frame smaller than the logical screen: re-point a small GIF's header and frame.
    small = palette.crop((0, 0, 20, 12))
    used_index = small.getpixel((10, 6))
    for name, options in (("dec_partial_frame.gif", {}), ("dec_partial_transparent.gif", {"transparency": used_index})):
        buffer = io.BytesIO()
        small.save(buffer, "GIF", optimize=False, **options)
        data = bytearray(buffer.getvalue())
        data[6:10] = (31).to_bytes(2, "little") + (17).to_bytes(2, "little")
        descriptor = data.index(0x2C, 13 + 3 * 2 ** ((data[10] & 7) + 1))
        data[descriptor + 1:descriptor + 5] = (5).to_bytes(2, "little") + (3).to_bytes(2, "little")
        with open(os.path.join(directory, name), "wb") as out:
            out.write(data)
    frames = [palette, rgb.rotate(90).quantize(64)]
    frames[0].save(os.path.join(directory, "dec_animated.gif"), save_all=True, append_images=frames[1:], duration=100)


def main(directory):
    write_pillow_encoded(directory)
    for name in sorted(os.listdir(directory)):
        if name.startswith("dec_") and not name.endswith(".rgb"):
            image = Image.open(os.path.join(directory, name))
            pixels = np.asarray(image.convert("RGB") if image.mode != "RGB" else image)
            with open(os.path.join(directory, name + ".rgb"), "wb") as out:
                out.write(np.array([image.width, image.height], dtype="<u4").tobytes())
                out.write(np.ascontiguousarray(pixels).tobytes())
    with open(os.path.join(directory, "cases.json")) as cases:
        for index, (image_name, config_name) in enumerate(json.load(cases)):
            with open(os.path.join(directory, config_name)) as config:
                array = preprocess(json.load(config), Image.open(os.path.join(directory, image_name)))
            with open(os.path.join(directory, "out_%d.f32" % index), "wb") as out:
                out.write(np.array(array.shape, dtype="<u4").tobytes())
                out.write(np.ascontiguousarray(array, dtype="<f4").tobytes())


if __name__ == "__main__":
    main(sys.argv[1])
