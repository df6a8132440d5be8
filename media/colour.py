"""Turning decoded pixels of any mode and colour space into 8-bit sRGB (or grey) for the web.

Browsers assume sRGB for untagged JPEGs, and derivatives carry no ICC profile (every metadata
block is stripped), so pixels from a Display P3 iPhone photo or a CMYK print scan are converted
with their embedded profile. A profile that LittleCMS cannot use is ignored rather than trusted:
the photo is shown with slightly wrong colours instead of not at all.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageCms

WHITE = (255, 255, 255)


def to_resampling_mode(image: Image.Image) -> Image.Image:
    """The image in L, LA, RGB, RGBA or CMYK: modes that resize well (palette images do not)."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode.startswith("I;16") or mode == "I":
        # convert("L") would clip every value above 255 to white; scale 16 bits down instead.
        return image.point(lambda value: value * (1 / 256), "L")
    if mode in ("1", "F"):
        return image.convert("L")
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode in ("PA", "RGBa", "La"):
        return image.convert("RGBA")
    return image.convert("RGB")


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _embedded_profile(icc: bytes | None) -> ImageCms.ImageCmsProfile | None:
    """The embedded profile if it needs converting from: absent, broken or sRGB ones give None."""
    if not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return None if "srgb" in description.lower() else profile


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """An L or RGB image in sRGB from one in L, LA, RGB, RGBA or CMYK with its ICC profile."""
    if image.mode in ("RGBA", "LA"):
        image = flatten(image)
    if image.mode == "L":
        return image  # grey stays grey; a grey gamma profile changes too little to matter
    profile = _embedded_profile(icc)
    if profile is not None:
        try:
            converted = ImageCms.profileToProfile(
                image, profile, _srgb_profile(), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
            )
        except (ImageCms.PyCMSError, ValueError):
            converted = None  # e.g. an RGB profile embedded in a CMYK file
        if converted is not None:
            return converted
    return image if image.mode == "RGB" else image.convert("RGB")


def flatten(image: Image.Image) -> Image.Image:
    """Transparent areas laid over white, as a gallery page would show them."""
    opaque_mode = "L" if image.mode == "LA" else "RGB"
    background = Image.new(opaque_mode, image.size, 255 if opaque_mode == "L" else WHITE)
    background.paste(image.convert(opaque_mode), mask=image.getchannel("A"))
    return background
