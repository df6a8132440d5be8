"""Placeholder photographs for the demonstration houses, laid out the way field staff hand them in.

Most houses get a folder named by code holding Chinese file names (正门.jpg, 楼名石匾.JPG …); a few
photos sit at the top level as `<CODE>_front.jpg`. Many carry phone EXIF (camera, time taken, GPS),
including photos of houses whose location is withheld, so stripping GPS on publication is exercised;
a few are stored sideways with EXIF orientation 6, as phones do with portrait shots.
"""

from __future__ import annotations

import datetime
import io
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageFont

from archive.demo.drawing import HEIGHT, WIDTH, Fonts, Scene, add_caption, draw_scene
from archive.demo.houses import House
from archive.demo.places import wgs84_to_gcj02

JPEG_QUALITY = 80
# view: (Chinese file name, English file name, English caption)
VIEWS: dict[str, tuple[str, str, str]] = {
    "front": ("正门", "front", "front"),
    "side": ("侧面", "side", "side view"),
    "far": ("远景", "distant", "distant view"),
    "gable": ("屋顶山花", "gable", "gable ornament"),
    "plaque": ("楼名石匾", "plaque", "name plaque"),
    "back": ("背面", "back", "rear"),
    "window": ("窗楣装饰", "window", "window head"),
}
CAMERAS = (
    ("HUAWEI", "ELS-AN00"), ("Xiaomi", "Redmi K40"), ("Apple", "iPhone 12"), ("OPPO", "PDEM10"),
    ("Canon", "Canon EOS 80D"), ("vivo", "V2055A"),
)  # fmt: skip
TOP_LEVEL_HOUSES = 8
PORTRAIT_PHOTOS = 4


@dataclass(frozen=True)
class PhotoPlan:
    """One photo file to write."""

    relative: str  # path under the photos folder, with / separators
    house: House
    view: str
    seed: int
    taken: datetime.datetime | None
    camera: tuple[str, str] | None
    gps: tuple[float, float] | None
    portrait: bool


def plan_photos(houses: list[House], rng: random.Random) -> list[PhotoPlan]:
    """Which photos each house gets: 2-6 for published houses, 0-2 for the others."""
    top_level = {h.code for h in rng.sample([h for h in houses if h.public], TOP_LEVEL_HOUSES)}
    plans: list[PhotoPlan] = []
    for house in houses:
        count = rng.randint(2, 6) if house.public else rng.choice((0, 1, 1, 2))
        others = ["side", "far", "gable", "plaque", "back", "window"]
        views = ["front", *rng.sample(others, k=count - 1)] if count else []
        for view in views:
            zh, en, _ = VIEWS[view]
            suffix = ".JPG" if view == "plaque" else ".jpg"
            if house.code in top_level:
                relative = f"{house.code}_{en if view in ('front', 'side') else zh}{suffix}"
            else:
                relative = f"{house.code}/{zh}{suffix}"
            plans.append(_with_exif(relative, house, view, rng))
    portraits = rng.sample(
        [i for i, p in enumerate(plans) if p.camera and p.view in ("front", "far")], PORTRAIT_PHOTOS
    )
    for i in portraits:
        p = plans[i]
        plans[i] = PhotoPlan(p.relative, p.house, p.view, p.seed, p.taken, p.camera, p.gps, portrait=True)
    return plans


def _with_exif(relative: str, house: House, view: str, rng: random.Random) -> PhotoPlan:
    seed = rng.getrandbits(32)
    if rng.random() > 0.65:
        return PhotoPlan(relative, house, view, seed, None, None, None, portrait=False)
    day = datetime.date(rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28))
    clock = datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
    taken = datetime.datetime.combine(day, clock)
    gps = None
    lat, lon = house.row["lat"], house.row["lon"]
    if isinstance(lat, float) and isinstance(lon, float) and rng.random() < 0.6:
        if house.row["coord_system"] == "gcj02":  # phones record WGS84: undo the web-map shift
            shifted = wgs84_to_gcj02(lat, lon)
            lat, lon = 2 * lat - shifted[0], 2 * lon - shifted[1]
        gps = (lat + rng.gauss(0, 0.0002), lon + rng.gauss(0, 0.0002))
    return PhotoPlan(relative, house, view, seed, taken, rng.choice(CAMERAS), gps, portrait=False)


def find_cjk_font() -> Path | None:
    """A font with Chinese glyphs installed on this machine, if fontconfig knows one."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    result = subprocess.run(  # noqa: S603 - a fixed query to the system's fontconfig, no user input
        [fc_list, ":lang=zh", "file"], capture_output=True, text=True, check=False, timeout=20
    )
    paths = sorted(line.split(":")[0].strip() for line in result.stdout.splitlines() if line.strip())
    return Path(paths[0]) if paths else None


def load_fonts(cjk_font: Path | None) -> Fonts:
    """The CJK font when there is one, otherwise Pillow's built-in face (Latin only)."""
    if cjk_font is None:
        return Fonts(ImageFont.load_default(size=96), ImageFont.load_default(size=26), cjk=False)
    index = _simplified_face(cjk_font)
    large = ImageFont.truetype(str(cjk_font), 150, index=index)
    return Fonts(large, ImageFont.truetype(str(cjk_font), 26, index=index), cjk=True)


def _simplified_face(path: Path) -> int:
    """In a font collection (Noto CJK .ttc) the face for simplified Chinese, so 门 and 别 look right."""
    for index in range(10):
        try:
            family, _ = ImageFont.truetype(str(path), 12, index=index).getname()
        except OSError:
            break
        if family is not None and family.endswith(" SC"):
            return index
    return 0


def render_photo(plan: PhotoPlan, fonts: Fonts) -> bytes:
    """The JPEG bytes of one planned photo."""
    row = plan.house.row
    zh, _, caption_en = VIEWS[plan.view]
    if fonts.cjk:
        label, plaque = f"{plan.house.code}  {row['name_zh']} · {zh}", str(row["name_zh"])
    else:
        label, plaque = f"{plan.house.code}  {plan.house.name_en} - {caption_en}", plan.house.name_en
    scene = Scene(
        plan.house.style, int(str(row["storeys"])), str(row["materials"]), plan.view, plaque, plan.seed
    )
    image = draw_scene(scene, fonts)
    if plan.portrait:
        # a phone held upright: the sensor stores landscape pixels and says "rotate 90° clockwise"
        upright = image.crop((WIDTH // 2 - 337, 0, WIDTH // 2 + 338, HEIGHT)).resize((HEIGHT, WIDTH))
        add_caption(upright, label, fonts)
        image = upright.transpose(Image.Transpose.ROTATE_90)
    else:
        add_caption(image, label, fonts)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, exif=_exif(plan))
    return buffer.getvalue()


def _exif(plan: PhotoPlan) -> Image.Exif:
    exif = Image.Exif()
    if plan.camera is None or plan.taken is None:
        return exif
    stamp = plan.taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = plan.camera
    exif[ExifTags.Base.DateTime] = stamp
    exif[ExifTags.Base.Orientation] = 6 if plan.portrait else 1
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = stamp
    if plan.gps is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat, lon = plan.gps
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return float(degrees), float(minutes), seconds


def write_photos(target: Path, houses: list[House], rng: random.Random, cjk_font: Path | None) -> int:
    """Write every planned photo under target; returns how many were written."""
    fonts = load_fonts(cjk_font)
    plans = plan_photos(houses, rng)
    for plan in plans:
        path = target / plan.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_photo(plan, fonts))
    return len(plans)
