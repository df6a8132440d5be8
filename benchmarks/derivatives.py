"""Derivative speed and memory: media.process_original against three baselines, in one run.

Every variant makes the same three derivatives of the same photos (large: longest side 2048,
medium: 1024, thumb: 320 x 320 centre crop; upright; JPEG quality 82):

* ours          media.process_original (one DCT-scaled decode; see media/derivatives.py)
* ours, exact   the same with draft_slack=0 (large exactly 2048 wide, full decode for 12 MP)
* naive Pillow  for each size: open, full decode, exif_transpose, LANCZOS resize, save
* vipsthumbnail one call per size (libvips shrink-on-load, uses every core)
* ImageMagick   one ``convert -define jpeg:size=... -auto-orient -thumbnail`` call per size

Test photos are generated first: phone-like 12 MP JPEGs (4032 x 3024, smooth shapes plus sensor
noise so they compress like photos, about 4 MB, EXIF with GPS, half of them with orientation 6)
and one 50 MP JPEG (8160 x 6120). Each measurement runs in a fresh subprocess, so the peak
memory of one variant never hides another's. Times for the Python variants are taken inside the
subprocess around the work (no interpreter start-up, as in the archive's long-running process);
times for the command-line tools are wall-clock times of their processes, start-up included,
which is how they would be used. Peak memory is VmHWM for Python variants and ru_maxrss of the
tools (that cannot go below the ~10 MiB of the Python process that starts them: Linux carries
a parent's size over into the child's ru_maxrss).

Install the baselines (Debian/Ubuntu):  apt-get update && apt-get install -y libvips-tools imagemagick
Run from the repository root:           python benchmarks/derivatives.py [--images 5] [--repeat 1]
Photos are kept in benchmarks/out/ (ignored by git) and reused by later runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter, ImageOps

REPO = Path(__file__).resolve().parents[1]
BOXES = {"large": 2048, "medium": 1024}
THUMB = 320
QUALITY = 82
VARIANTS = ("ours", "ours-exact", "naive", "vips", "magick")
LABELS = {
    "ours": "ours (process_original)",
    "ours-exact": "ours, exact boxes",
    "naive": "naive Pillow",
    "vips": "vipsthumbnail x3",
    "magick": "ImageMagick convert x3",  # with the jpeg:size hint
}


def phone_exif(seed: int, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Google"
    exif[ExifTags.Base.Model] = "Pixel 8"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: f"2024:05:{1 + seed % 28:02d} 10:00:00"}
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (22.0, 15.0, 36.0 + seed), 3: "E", 4: (112.0, 47.0, 24.0)}
    return exif.tobytes()


def photo_like(width: int, height: int, seed: int) -> Image.Image:
    """Smooth colour fields and sharp-edged shapes under fine sensor-like noise."""
    rnd = random.Random(seed)
    fields = [
        Image.effect_noise((max(8, width // 48), max(8, height // 48)), 70)
        .resize((width // 4, height // 4), Image.Resampling.BICUBIC)
        .filter(ImageFilter.GaussianBlur(3))
        for _ in range(3)
    ]
    picture = Image.merge("RGB", fields)
    draw = ImageDraw.Draw(picture)
    for _ in range(80):
        x, y = rnd.randrange(width // 4), rnd.randrange(height // 4)
        box = [x, y, x + rnd.randrange(5, 200), y + rnd.randrange(5, 200)]
        draw.rectangle(box, outline=tuple(rnd.randrange(256) for _ in range(3)), width=2)
    picture = picture.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 9)
    return ImageChops.add(picture, Image.merge("RGB", [grain, grain, grain]), 1.0, -128)


def make_photos(folder: Path, count: int) -> tuple[list[Path], Path]:
    folder.mkdir(parents=True, exist_ok=True)
    specs = [(f"phone-{i}.jpg", 4032, 3024, i) for i in range(count)] + [("big-50mp.jpg", 8160, 6120, 99)]
    for name, width, height, seed in specs:
        path = folder / name
        if not path.exists():
            print(f"generating {name} ({width} x {height})", file=sys.stderr)
            orientation = 6 if seed % 2 else 1
            photo_like(width, height, seed).save(path, quality=88, exif=phone_exif(seed, orientation))
    return [folder / name for name, *_ in specs[:-1]], folder / specs[-1][0]


def fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    scale = min(1.0, box / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def run_naive(src: Path, out: Path) -> None:
    for name in ("large", "medium", "thumb"):
        with Image.open(src) as opened:
            upright = ImageOps.exif_transpose(opened)
            if name == "thumb":
                result = ImageOps.fit(upright, (THUMB, THUMB), Image.Resampling.LANCZOS)
            else:
                result = upright.resize(fit(upright.size, BOXES[name]), Image.Resampling.LANCZOS)
            result.save(out / f"{name}.jpg", quality=QUALITY)


def magick_binary() -> str | None:
    # Debian's real IM6 binary first: a plain "convert" on PATH may be a wrapper script.
    return next(filter(None, map(shutil.which, ("magick", "convert-im6.q16", "convert"))), None)


def tool_commands(variant: str, src: Path, out: Path) -> list[list[str]]:
    if variant == "vips":
        return [
            ["vipsthumbnail", str(src), "-s", "2048", "-o", f"{out}/large.jpg[Q={QUALITY},strip]"],
            ["vipsthumbnail", str(src), "-s", "1024", "-o", f"{out}/medium.jpg[Q={QUALITY},strip]"],
            [
                "vipsthumbnail",
                str(src),
                "-s",
                "320x320",
                "--smartcrop",
                "centre",
                "-o",
                f"{out}/thumb.jpg[Q={QUALITY},strip]",
            ],
        ]

    # jpeg:size lets libjpeg decode at a reduced scale no smaller than the box on either side.
    # Without it a 50 MP photo overflows Debian's 256 MiB policy into a disk cache (minutes);
    # twice the box, as some guides advise, makes IM6 upscale a 12 MP photo on decode.
    def convert(box: int, *resize: str) -> list[str]:
        hint = ["-define", f"jpeg:size={box}x{box}"]
        options = ["-auto-orient", "-strip", "-quality", str(QUALITY), *resize]
        return [magick_binary() or "convert", *hint, str(src), *options]

    return [
        [*convert(2048, "-thumbnail", "2048x2048"), f"{out}/large.jpg"],
        [*convert(1024, "-thumbnail", "1024x1024"), f"{out}/medium.jpg"],
        [*convert(320, "-thumbnail", "320x320^", "-gravity", "center", "-extent", "320x320"), f"{out}/thumb.jpg"],
    ]


def peak_of_this_process_mib() -> float:
    """VmHWM: unlike ru_maxrss it does not include the parent's size inherited through fork."""
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def warm_up(variant: str, out: Path) -> None:
    """One small photo first, so lazy imports and plugin registration are not timed: the archive
    runs derivatives in a long-lived process."""
    small = out / "warm-up" / "small.jpg"
    small.parent.mkdir()
    photo_like(640, 480, 0).save(small, quality=88, exif=phone_exif(0, 6))
    if variant == "naive":
        run_naive(small, small.parent)
    else:
        import media

        media.process_original(small, small.parent, "0" * 64)
    shutil.rmtree(small.parent)


def child(variant: str, src: Path, out: Path) -> dict[str, float]:
    """Make one derivative set; runs in its own process (see ``measure``)."""
    if variant in ("ours", "ours-exact", "naive"):
        warm_up(variant, out)
    if variant in ("ours", "ours-exact"):
        import media

        sha256 = hashlib.sha256(src.read_bytes()).hexdigest()
        slack = 0.0 if variant == "ours-exact" else media.DRAFT_SLACK
        started = time.perf_counter()
        result = media.process_original(src, out, sha256, draft_slack=slack)
        seconds = time.perf_counter() - started
        for derivative in result.derivatives.values():
            derivative.path.rename(out / f"{derivative.name}.jpg")
        return {"seconds": seconds, "peak_mib": peak_of_this_process_mib()}
    if variant == "naive":
        started = time.perf_counter()
        run_naive(src, out)
        return {"seconds": time.perf_counter() - started, "peak_mib": peak_of_this_process_mib()}
    started = time.perf_counter()
    for command in tool_commands(variant, src, out):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    # The largest peak among the finished tool processes, in KiB on Linux.
    return {"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def measure(variant: str, src: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, __file__, "--child", variant, str(src), out]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode != 0:
            raise SystemExit(f"{LABELS[variant]} failed on {src.name}:\n{completed.stderr}")
        result: dict[str, object] = json.loads(completed.stdout)
        sizes = {}
        for name in ("large", "medium", "thumb"):
            with Image.open(Path(out) / f"{name}.jpg") as made:
                sizes[name] = made.size
        result["sizes"] = sizes
        return result


def available(variants: list[str]) -> list[str]:
    missing = {"vips": shutil.which("vipsthumbnail") is None, "magick": magick_binary() is None}
    for variant in [v for v in variants if missing.get(v)]:
        print(f"skipping {LABELS[variant]}: not installed (see this script's docstring)", file=sys.stderr)
    return [v for v in variants if not missing.get(v)]


def run_set(title: str, photos: list[Path], variants: list[str], repeat: int) -> dict[str, dict[str, float]]:
    samples: dict[str, list[dict[str, object]]] = {v: [] for v in variants}
    for _ in range(repeat):
        for photo in photos:
            for variant in variants:  # interleaved, so background load hits every variant alike
                samples[variant].append(measure(variant, photo))
    megabytes = statistics.median(p.stat().st_size for p in photos) / 1e6
    with Image.open(photos[0]) as first:
        width, height = first.size
    print(f"\n{title}: {width} x {height}, {len(photos)} photo(s) x {repeat} run(s), median file {megabytes:.1f} MB")
    print(f"{'variant':26} {'median ms':>10} {'peak MiB':>9} {'ours/this':>10} {'speed-up':>9}  sizes made")
    summary = {}
    for variant in variants:
        median_s = statistics.median(float(s["seconds"]) for s in samples[variant])  # type: ignore[arg-type]
        peak = max(float(s["peak_mib"]) for s in samples[variant])  # type: ignore[arg-type]
        summary[variant] = {"ms": median_s * 1000, "peak": peak}
    ours = summary["ours"]["ms"]
    for variant in variants:
        ms, peak = summary[variant]["ms"], summary[variant]["peak"]
        made = samples[variant][0]["sizes"]
        shown = " ".join(f"{w}x{h}" for w, h in made.values())  # type: ignore[attr-defined]
        print(f"{LABELS[variant]:26} {ms:10.0f} {peak:9.0f} {ours / ms:10.2f} {ms / ours:8.1f}x  {shown}")
    return summary


def report_goals(twelve: dict[str, dict[str, float]], fifty: dict[str, dict[str, float]]) -> None:
    def speed_up(variant: str) -> float:
        return twelve[variant]["ms"] / twelve["ours"]["ms"] if variant in twelve else float("nan")

    print("\ngoals")
    for text, met in [
        (f"12 MP: >= 4x faster than naive Pillow ({speed_up('naive'):.1f}x)", speed_up("naive") >= 4),
        (f"12 MP: >= 2x faster than vipsthumbnail ({speed_up('vips'):.1f}x)", speed_up("vips") >= 2),
        (f"12 MP: peak < 150 MiB ({twelve['ours']['peak']:.0f})", twelve["ours"]["peak"] < 150),
        (f"50 MP: peak < 400 MiB ({fifty['ours']['peak']:.0f})", fifty["ours"]["peak"] < 400),
    ]:
        print(f"  {'met   ' if met else 'MISSED'} {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--images", type=int, default=5, help="how many 12 MP photos (default 5)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per photo and variant (default 1)")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out", help="where photos are kept")
    parser.add_argument("--child", nargs=3, metavar=("VARIANT", "SRC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(REPO))  # so that the child can import media from this checkout
        variant, src, out = args.child
        print(json.dumps(child(variant, Path(src), Path(out))))
        return
    phones, big = make_photos(args.work, args.images)
    variants = available(list(VARIANTS))
    twelve = run_set("12 MP phone photos", phones, variants, args.repeat)
    fifty = run_set("50 MP photo", [big], variants, max(args.repeat, 3))
    report_goals(twelve, fifty)


if __name__ == "__main__":
    main()
