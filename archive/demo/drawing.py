"""Drawn placeholder photographs: sky, fields, trees and a silhouette of the house in its style.

Nothing is downloaded; every picture comes from a seed, so the same seed draws the same pixels.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, ImageOps

Color = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
WIDTH, HEIGHT = 1200, 900

SKIES: tuple[tuple[Color, Color], ...] = (
    ((70, 130, 200), (190, 215, 235)),  # clear
    ((150, 160, 170), (210, 212, 215)),  # overcast, the usual Lingnan spring
    ((90, 110, 160), (240, 190, 140)),  # late afternoon
)
WALLS: dict[str, Color] = {
    "钢筋混凝土": (205, 198, 182), "青砖": (128, 132, 130), "夯土": (176, 150, 112),
    "花岗岩": (190, 186, 178), "红砖": (168, 84, 62), "火山石": (88, 88, 92), "砖": (150, 120, 100),
}  # fmt: skip


@dataclass(frozen=True)
class Scene:
    """What one photograph shows."""

    style: str
    storeys: int
    materials: str
    view: str  # front, side, far, gable, plaque, back, window
    plaque_text: str
    seed: int


@dataclass(frozen=True)
class Fonts:
    """A large face for plaques, a small one for captions, and whether they have Chinese glyphs."""

    large: Font
    small: Font
    cjk: bool


def draw_scene(scene: Scene, fonts: Fonts) -> Image.Image:
    """The picture for a scene, 1200x900, without its caption (see `add_caption`)."""
    rng = random.Random(scene.seed)
    horizon = int(HEIGHT * rng.uniform(0.55, 0.7))
    image = _sky(rng.choice(SKIES)).copy()
    draw = ImageDraw.Draw(image)
    wall = _wall_colour(scene.materials, rng)
    if scene.view == "plaque":
        _plaque(draw, wall, scene.plaque_text, fonts.large, rng)
    elif scene.view in ("gable", "window"):
        _detail(draw, wall, scene.view, rng)
    else:
        _ground(draw, horizon, rng, far=scene.view == "far")
        scale = 0.45 if scene.view == "far" else 1.0
        _building(draw, scene, wall, horizon, scale, rng)
        _trees(draw, horizon, rng, count=rng.randint(2, 6))
    return image


@functools.cache
def _sky(colours: tuple[Color, Color]) -> Image.Image:
    """A vertical gradient; there are only a few skies, so each is made once (it is most of the cost)."""
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    return ImageOps.colorize(gradient, colours[0], colours[1]).convert("RGB")


def _wall_colour(materials: str, rng: random.Random) -> Color:
    base = next((c for name, c in WALLS.items() if name in materials), (200, 190, 170))
    return tuple(max(0, min(255, v + rng.randint(-12, 12))) for v in base)  # type: ignore[return-value]


def _shade(colour: Color, factor: float) -> Color:
    return (int(colour[0] * factor), int(colour[1] * factor), int(colour[2] * factor))


def _ground(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random, far: bool) -> None:
    hills = [(0, horizon)] + [(x, horizon - rng.randint(10, 90)) for x in range(0, WIDTH + 150, 150)]
    draw.polygon([*hills, (WIDTH, horizon)], fill=(96, 122, 104))
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=(104, 138, 72))
    for band in range(horizon + 20, HEIGHT, 45 if far else 70):
        draw.rectangle((0, band, WIDTH, band + 6), fill=(120, 152, 84))  # paddy-field bunds
    draw.rectangle((0, HEIGHT - 90, WIDTH, HEIGHT), fill=(150, 140, 120))  # the village lane


def _trees(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random, count: int) -> None:
    for _ in range(count):
        x = rng.choice((rng.randint(20, 300), rng.randint(900, 1180)))
        r = rng.randint(40, 90)
        y = horizon - rng.randint(0, 40)
        draw.rectangle((x - 6, y, x + 6, y + r), fill=(80, 60, 40))
        draw.ellipse((x - r, y - r, x + r, y + r // 2), fill=(52, 92, 50))


def _building(
    draw: ImageDraw.ImageDraw, scene: Scene, wall: Color, horizon: int, scale: float, rng: random.Random
) -> None:
    tower = scene.style == "碉楼"
    storey_h = int((78 if tower else 95) * scale)
    width = int((230 if tower else 520 if scene.style != "三间两廊" else 640) * scale)
    height = storey_h * scene.storeys
    base = horizon + int(120 * scale)
    left = WIDTH // 2 - width // 2 + rng.randint(-120, 120)
    if scene.view == "side":
        depth = int(width * 0.45)
        side = [(left + width, base), (left + width + depth, base - 40)]
        side += [(left + width + depth, base - height - 40), (left + width, base - height)]
        draw.polygon(side, fill=_shade(wall, 0.75))
    draw.rectangle((left, base - height, left + width, base), fill=wall, outline=_shade(wall, 0.6), width=2)
    _windows(draw, left, base, width, storey_h, scene.storeys, tower, wall, rng)
    top = base - height
    if tower:
        _tower_top(draw, left, top, width, storey_h, wall, rng)
    elif scene.style == "三间两廊":
        draw.polygon(
            [(left - 20, top), (left + width // 2, top - 90 * scale), (left + width + 20, top)],
            fill=(70, 72, 78),
        )
    else:
        _gable(draw, left, top, width, int(90 * scale), wall)
        if scene.style in ("骑楼", "庐", "中西合璧", "洋楼"):
            _arcade(draw, left, base, width, storey_h, wall)
        if scene.style == "骑楼":  # the shop's signboard above the arcade
            draw.rectangle(
                (left + 10, base - storey_h - 8, left + width - 10, base - storey_h + 22), fill=(120, 40, 30)
            )


def _windows(
    draw: ImageDraw.ImageDraw,
    left: int,
    base: int,
    width: int,
    storey_h: int,
    storeys: int,
    tower: bool,
    wall: Color,
    rng: random.Random,
) -> None:
    columns = 2 if tower else rng.choice((3, 4, 5))
    gap = width / columns
    glass = (40, 48, 56) if tower else (62, 84, 96)
    for floor in range(1, storeys):
        y = base - floor * storey_h - storey_h + storey_h // 4
        for c in range(columns):
            x = int(left + gap * c + gap / 2)
            w, h = int(gap * (0.3 if tower else 0.45)), int(storey_h * 0.5)
            draw.rectangle((x - w // 2, y, x + w // 2, y + h), fill=glass, outline=_shade(wall, 0.5))
            if not tower:
                draw.pieslice(
                    (x - w // 2, y - w // 2, x + w // 2, y + w // 2), 180, 360, fill=_shade(wall, 0.85)
                )


def _tower_top(
    draw: ImageDraw.ImageDraw, left: int, top: int, width: int, storey_h: int, wall: Color, rng: random.Random
) -> None:
    if rng.random() < 0.5:  # corner turrets (swallow's nests)
        for x in (left - 18, left + width - 30):
            draw.rectangle(
                (x, top - 10, x + 48, top + storey_h // 2), fill=_shade(wall, 0.9), outline=(60, 60, 60)
            )
            draw.rectangle((x + 18, top + 8, x + 28, top + 22), fill=(20, 20, 20))  # gun loop
        draw.rectangle((left, top - 50, left + width, top), fill=wall, outline=(60, 60, 60))
    else:  # a loggia under a dome
        draw.rectangle((left + 20, top - storey_h, left + width - 20, top), fill=_shade(wall, 0.95))
        for x in range(left + 40, left + width - 40, 45):
            draw.rectangle((x, top - storey_h + 20, x + 22, top), fill=(50, 55, 60))
        draw.pieslice(
            (left + 30, top - storey_h - 80, left + width - 30, top - storey_h + 80),
            180,
            360,
            fill=_shade(wall, 0.8),
        )


def _gable(draw: ImageDraw.ImageDraw, left: int, top: int, width: int, rise: int, wall: Color) -> None:
    middle = left + width // 2
    draw.rectangle((left - 6, top - 18, left + width + 6, top), fill=_shade(wall, 0.85))  # balustrade
    for x in range(left, left + width, 18):
        draw.rectangle((x, top - 16, x + 6, top - 2), fill=_shade(wall, 0.65))
    draw.pieslice(
        (middle - rise * 2, top - rise - 18, middle + rise * 2, top + rise - 18),
        180,
        360,
        fill=wall,
        outline=_shade(wall, 0.6),
        width=3,
    )
    draw.ellipse(
        (middle - 22, top - rise // 2 - 40, middle + 22, top - rise // 2 + 4), outline=(90, 70, 50), width=4
    )


def _arcade(draw: ImageDraw.ImageDraw, left: int, base: int, width: int, storey_h: int, wall: Color) -> None:
    bays = max(3, width // 120)
    bay = width / bays
    for b in range(bays):
        x0, x1 = int(left + b * bay + 10), int(left + (b + 1) * bay - 10)
        draw.rectangle((x0, base - storey_h + 30, x1, base), fill=(58, 52, 48))
        draw.pieslice((x0, base - storey_h, x1, base - storey_h + (x1 - x0)), 180, 360, fill=(58, 52, 48))


def _detail(draw: ImageDraw.ImageDraw, wall: Color, view: str, rng: random.Random) -> None:
    draw.rectangle((0, 0, WIDTH, HEIGHT), fill=wall)
    for y in range(0, HEIGHT, 36):  # courses of brick or render lines
        draw.line((0, y, WIDTH, y), fill=_shade(wall, 0.9), width=2)
    centre = WIDTH // 2 + rng.randint(-80, 80)
    if view == "gable":
        draw.pieslice(
            (centre - 520, 120, centre + 520, 900),
            180,
            360,
            fill=_shade(wall, 1.05),
            outline=(90, 80, 70),
            width=8,
        )
        draw.ellipse((centre - 90, 280, centre + 90, 460), outline=(110, 80, 60), width=10)
        for dx in (-300, 300):
            draw.ellipse((centre + dx - 50, 430, centre + dx + 50, 530), fill=(150, 110, 80))
    else:
        draw.rectangle(
            (centre - 200, 300, centre + 200, 860), fill=(60, 80, 95), outline=(40, 40, 40), width=10
        )
        draw.pieslice(
            (centre - 240, 120, centre + 240, 480),
            180,
            360,
            fill=_shade(wall, 0.8),
            outline=(70, 60, 50),
            width=8,
        )
        for x in range(centre - 160, centre + 200, 80):
            draw.line((x, 300, x, 860), fill=(30, 30, 30), width=6)  # iron bars


def _plaque(draw: ImageDraw.ImageDraw, wall: Color, text: str, font: Font, rng: random.Random) -> None:
    draw.rectangle((0, 0, WIDTH, HEIGHT), fill=wall)
    box = (150, 260 + rng.randint(-40, 40), 1050, 600)
    draw.rectangle(box, fill=(196, 190, 178), outline=(120, 112, 100), width=14)
    draw.rectangle((box[0] + 30, box[1] + 30, box[2] - 30, box[3] - 30), outline=(150, 140, 126), width=4)
    draw.text(
        ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2), text, font=font, fill=(70, 58, 40), anchor="mm"
    )


def add_caption(image: Image.Image, label: str, fonts: Fonts) -> None:
    """A dark band along the bottom with the label on the left and the demonstration mark on the right."""
    draw = ImageDraw.Draw(image)
    width, height = image.size
    draw.rectangle((0, height - 56, width, height), fill=(30, 30, 30))
    draw.text((24, height - 28), label, font=fonts.small, fill=(240, 240, 240), anchor="lm")
    mark = "示范数据 DEMO" if fonts.cjk else "DEMO DATA"
    draw.text((width - 24, height - 28), mark, font=fonts.small, fill=(250, 200, 80), anchor="rm")
