"""What an uploaded chat image really is, and a clean copy of it, with Pillow.

The declared type is never believed: the bytes are decoded, and only a whole PNG, JPEG, GIF or
WebP is accepted. The stored copy is re-encoded from the decoded pixels, so nothing else the
file carried survives (EXIF with its GPS position, comments, text chunks, trailing data, a
script hidden in a polyglot); only the colour profile is kept. Photos are turned upright first,
since dropping EXIF drops their orientation.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO, Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow's format name -> (the Content-Type it is served with, the stored file's extension).
FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
NOT_AN_IMAGE = "The file is not a PNG, JPEG, GIF or WebP image"


class RejectedImage(Exception):
    """The upload cannot be stored; `message` says why, for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_image(raw: IO[bytes], *, max_pixels: int) -> CleanImage:
    """Decodes `raw`, refuses anything but a whole PNG/JPEG/GIF/WebP of at most `max_pixels`
    (over every frame), and returns it re-encoded in its own format without metadata."""
    try:
        with warnings.catch_warnings():
            # Pillow warns about (and past twice its own limit, refuses) huge images: ours is lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(raw, formats=list(FORMATS)) as image:
                kind = image.format or ""
                frames = getattr(image, "n_frames", 1)
                if image.width * image.height * frames > max_pixels:
                    raise RejectedImage(
                        f"Image too big to show (max {max_pixels / 1_000_000:g} megapixels)"
                    )
                data, (width, height) = _reencode(image, kind, animated=frames > 1)
    except RejectedImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise RejectedImage(NOT_AN_IMAGE) from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        # A truncated or corrupt file fails while its pixels are decoded.
        raise RejectedImage(NOT_AN_IMAGE) from exc
    content_type, extension = FORMATS[kind]
    return CleanImage(data, content_type, extension, width, height)


def _reencode(image: Image.Image, kind: str, *, animated: bool) -> tuple[bytes, tuple[int, int]]:
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if animated:
        frames = [_bare(frame.convert("RGBA")) for frame in ImageSequence.Iterator(image)]
        durations = [frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)]
        options.update(
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
        )
        if kind == "GIF":
            options["disposal"] = 2
        frames[0].save(out, kind, **options)
        return out.getvalue(), frames[0].size
    image.load()
    if kind == "JPEG":
        # Dropping EXIF drops the orientation a phone wrote, so turn the pixels upright first.
        upright = _bare(ImageOps.exif_transpose(image))
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90, **options)
        return out.getvalue(), upright.size
    if "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    bare = _bare(image)
    if kind == "WEBP":
        bare.save(out, kind, quality=90, **options)
    else:
        bare.save(out, kind, **options)
    return out.getvalue(), bare.size


def _bare(image: Image.Image) -> Image.Image:
    # Encoders fall back on `info` for comments, EXIF and XMP: leave them nothing to copy.
    image.info = {}
    return image
