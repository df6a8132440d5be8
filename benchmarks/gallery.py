"""Gallery pagination on 100,000 houses: page latency on SQLite and on PostgreSQL, deep pages included.

What it measures: the p50/p95 latency, through Flask's test client (no network, the whole view:
queries, access projection, template), of the public gallery `/` at page 1, page 2,000 and the
last page, `/?county=X` (page 1 and its last page), `/api/houses?page=4000&per_page=24` and
`/houses/<code>` (and `/api/houses/<code>`), on a fresh SQLite data folder and on a fresh
PostgreSQL schema holding the same 100,000 published houses. Beside the pages it times the SQL
statements a gallery page runs (the count, the page itself at the deepest offset, the six facet
counts) and prints the query plans (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE) when a page is slow
(p95 >= 100 ms) or with --explain. Goal: pages stay fast, p95 under 100 ms even at the deepest page.

How: `qiaofang --data D init` (with QIAOFANG_DATABASE_URL for PostgreSQL) creates the schema, then
the houses are bulk-inserted with SQLAlchemy core into `house` (realistic rows: Chinese names and
summaries, eight counties of 12,500 houses, codes inserted in random order, as surveys arrive).
PostgreSQL is VACUUM ANALYZEd after the load (autovacuum would do so within a minute); SQLite is
left as the archive leaves it (no ANALYZE). Each URL is requested `--rounds` times after two warm-up
requests, interleaved across URLs and databases so background load hits all alike; the load
average is printed. The PostgreSQL schema is dropped and the data folder removed at the end.

Baselines / tools: PostgreSQL on 127.0.0.1:5432 (database `test`, user `postgres`), as for
the test suite; without it, or with --no-postgres, only SQLite is measured.

Run from the repository root, in the virtualenv:

    python -m benchmarks.gallery                          # 100,000 houses, 20 rounds, SQLite + PostgreSQL
    python -m benchmarks.gallery --houses 20000 --rounds 10 --no-postgres    # quick
    python -m benchmarks.gallery --explain                # always print the query plans
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, func, insert, select, text, true
from sqlalchemy.sql import Select

from archive import create_app
from archive.access import PUBLIC, house_filter
from archive.db import make_engine
from archive.models import House
from archive.services.houses import FILTER_FIELDS
from benchmarks.upload_throughput import clean_env, percentile, qiaofang

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PER_PAGE = 24
Query = Select[*tuple[Any, ...]]  # any SELECT, whatever its columns
GOAL_MS = 100.0
COUNTIES = [
    ("广东省", "江门市", "台山市", "TS", ["斗山镇", "端芬镇", "广海镇", "海宴镇", "台城街道"]),
    ("广东省", "江门市", "开平市", "KP", ["塘口镇", "赤坎镇", "百合镇", "蚬冈镇"]),
    ("广东省", "江门市", "新会区", "XH", ["会城街道", "双水镇", "崖门镇"]),
    ("广东省", "江门市", "恩平市", "EP", ["圣堂镇", "沙湖镇", "良西镇"]),
    ("广东省", "中山市", "中山市", "ZS", ["南朗街道", "石岐街道", "沙溪镇"]),
    ("广东省", "江门市", "鹤山市", "HS", ["雅瑶镇", "古劳镇"]),
    ("福建省", "泉州市", "晋江市", "JJ", ["金井镇", "龙湖镇", "深沪镇"]),
    ("云南省", "保山市", "腾冲市", "TC", ["和顺镇", "界头镇"]),
]
FAMILIES = ["黄", "陈", "李", "余", "谭", "司徒", "伍", "关", "梁", "刘", "方", "邝", "谢", "梅"]
STYLES = ["diaolou", "lu", "qilou", "yanglou", "zhongxi", "sanjian", "citang", "shushi", "other"]
LEVELS = ["national", "provincial", "municipal", "historic_building", "immovable", "unlisted"]
DESTINATIONS = ["美国旧金山", "加拿大温哥华", "马来西亚槟城", "新加坡", "秘鲁利马", "澳大利亚墨尔本"]
SUMMARY = ("{name}位于{county}{township}{village}，由旅居{dest}的{family}氏族人于{year}年集资兴建，"
           "钢筋混凝土结构，外墙饰以西式山花与罗马柱，顶层设燕子窝与枪眼，用以防范匪患。"
           "抗战期间屋主一家避居澳门，战后返乡，屋内保存有侨批、族谱与家具若干。")
SUMMARY_EN = "A {storeys}-storey house built in {year} by the {family} family with remittances from {dest}."


def house_rows(count: int, seed: int = 1926) -> Iterator[dict[str, Any]]:
    """`count` published houses, evenly spread over the counties, in random code order."""
    rnd = random.Random(seed)
    numbers = list(range(count))
    rnd.shuffle(numbers)
    now = datetime.now(UTC)
    for n in numbers:
        province, city, county, prefix, townships = COUNTIES[n % len(COUNTIES)]
        t = (n // len(COUNTIES)) % len(townships)
        township, village = townships[t], f"第{n % 97 + 1}村"
        family, dest, year = rnd.choice(FAMILIES), rnd.choice(DESTINATIONS), rnd.randint(1900, 1948)
        style, storeys = rnd.choice(STYLES), rnd.randint(2, 7)
        name = f"{family}氏{'碉楼' if style == 'diaolou' else '洋楼'}{n % 1000:03d}"
        yield {
            "code": f"{prefix}-{t:02d}-{n:06d}", "name_zh": name, "name_en": f"{family} Family House",
            "aliases": [f"{family}家楼"], "province": province, "city": city, "county": county,
            "township": township, "village": village, "address": f"{village}{n % 200 + 1}号",
            "lat": round(rnd.uniform(21.5, 25.5), 6), "lon": round(rnd.uniform(98.5, 119.0), 6),
            "location_precision": "exact", "built_text": f"{year}年", "built_from": year, "built_to": year,
            "builder": f"{family}荣昌", "family": family, "destinations": [dest], "style": style,
            "materials": "钢筋混凝土、青砖", "storeys": storeys, "protection_level": rnd.choice(LEVELS),
            "condition": rnd.choice("ABCD"), "current_use": "空置", "custody": "托管给村委会",
            "owner": f"{family}某某", "owner_contact": f"1380013{n % 10000:04d}",
            "summary_zh": SUMMARY.format(name=name, county=county, township=township, village=village,
                                         dest=dest, family=family, year=year),
            "summary_en": SUMMARY_EN.format(storeys=storeys, year=year, family=family, dest=dest),
            "history_zh": None, "history_en": None, "extra": {}, "published": True, "owner_public": False,
            "contact_public": False, "location_public": True, "created_at": now, "updated_at": now,
            "deleted_at": None, "created_by_id": None,
        }


def fill(engine: Engine, count: int, batch: int = 5000) -> None:
    rows = house_rows(count)
    with engine.begin() as conn:
        while chunk := [row for _, row in zip(range(batch), rows, strict=False)]:
            conn.execute(insert(House), chunk)
    vacuum(engine)


def vacuum(engine: Engine) -> None:
    """PostgreSQL: VACUUM ANALYZE, the state autovacuum reaches a minute after a bulk load."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE house"))


@dataclass
class Target:
    """One database with the same houses, and an app on it."""

    name: str
    url: str
    app: Flask
    client: FlaskClient
    engine: Engine
    times: dict[str, list[float]] = field(default_factory=dict)


@contextmanager
def sqlite_target(work: Path, houses: int) -> Iterator[Target]:
    data = work / "sqlite"
    qiaofang(data, "init")
    url = f"sqlite:///{data / 'qiaofang.db'}"
    engine = make_engine(url)
    started = time.perf_counter()
    fill(engine, houses)
    print(f"SQLite: {houses:,} houses inserted in {time.perf_counter() - started:.1f} s", flush=True)
    app = create_app({"DATA": str(data), "DATABASE_URL": url, "SEARCH_SYNC": False})
    try:
        yield Target("SQLite", url, app, app.test_client(), engine)
    finally:
        app.extensions["qiaofang"].db.dispose()
        engine.dispose()


@contextmanager
def postgres_target(work: Path, houses: int, base_url: str) -> Iterator[Target]:
    schema = f"bench_gallery_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
    engine: Engine | None = None
    app: Flask | None = None
    try:
        data = work / "postgres"
        qiaofang(data, "init", env=clean_env({"QIAOFANG_DATABASE_URL": url}))
        engine = make_engine(url)
        started = time.perf_counter()
        fill(engine, houses)
        print(f"PostgreSQL: {houses:,} houses inserted in {time.perf_counter() - started:.1f} s "
              f"(schema {schema})", flush=True)
        app = create_app({"DATA": str(data), "DATABASE_URL": url, "SEARCH_SYNC": False})
        yield Target("PostgreSQL", url, app, app.test_client(), engine)
    finally:
        if app is not None:
            app.extensions["qiaofang"].db.dispose()
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def postgres_available(base_url: str) -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(base_url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: skip PostgreSQL
        return str(exc).splitlines()[0]
    return None


# --------------------------------------------------------------------------------------------
# What is measured


def pages(houses: int, county: str, code: str) -> list[tuple[str, str]]:
    last = max(1, math.ceil(houses / PER_PAGE))
    per_county = math.ceil(houses / len(COUNTIES))
    county_last = max(1, math.ceil(per_county / PER_PAGE))
    api_page = min(4000, last)
    mid = min(2000, max(1, last // 2))
    q = quote(county)
    return [
        ("/ page 1", "/"),
        (f"/ page {mid:,}", f"/?page={mid}"),
        (f"/ page {last:,} (last)", f"/?page={last}"),
        ("/?county= page 1", f"/?county={q}"),
        (f"/?county= page {county_last} (last)", f"/?county={q}&page={county_last}"),
        (f"/api/houses page {api_page:,}", f"/api/houses?page={api_page}&per_page={PER_PAGE}"),
        ("/houses/<code>", f"/houses/{code}"),
        ("/api/houses/<code>", f"/api/houses/{code}"),
    ]


def listing(offset: int, county: str | None = None) -> Query:
    """The statement list_houses runs for a public page (archive/services/houses.py)."""
    where = [house_filter(PUBLIC), *([House.county == county] if county else [])]
    return select(House).where(*where).order_by(House.code).limit(PER_PAGE).offset(offset)


def statements(houses: int) -> list[tuple[str, Query]]:
    last_offset = (max(1, math.ceil(houses / PER_PAGE)) - 1) * PER_PAGE
    facets = [
        (f"facet {name}", select(getattr(House, name), func.count())
         .where(house_filter(PUBLIC), getattr(House, name).is_not(None))
         .group_by(getattr(House, name)).order_by(func.count().desc(), getattr(House, name)))
        for name in FILTER_FIELDS
    ]
    return [
        ("count(*) of published houses", select(func.count()).select_from(House).where(house_filter(PUBLIC))),
        ("page 1 rows", listing(0)),
        (f"last page rows (offset {last_offset:,})", listing(last_offset)),
        *facets,
    ]


def time_get(target: Target, label: str, url: str) -> None:
    started = time.perf_counter()
    response = target.client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{target.name} {url}: {response.status_code} {response.data[:300]!r}")
    target.times.setdefault(label, []).append(elapsed * 1000)


def time_sql(target: Target, label: str, stmt: Query) -> None:
    with target.engine.connect() as conn:
        started = time.perf_counter()
        conn.execute(stmt).all()
        target.times.setdefault("sql: " + label, []).append((time.perf_counter() - started) * 1000)


def explain(target: Target, stmt: Query) -> list[str]:
    sql = str(stmt.compile(dialect=target.engine.dialect, compile_kwargs={"literal_binds": True}))
    with target.engine.connect() as conn:
        if target.engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
            return [f"{'  ' * (1 if row[1] else 0)}{row[3]}" for row in rows]
        return [row[0] for row in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql).all()]


# --------------------------------------------------------------------------------------------
# What if: the fixes suggested for slow pages, timed on the same data (the benchmark's own copy)

FACET_INDEX = "bench_ix_facet_{0}"


def what_if_statements(houses: int, county: str, after: str) -> list[tuple[str, Query]]:
    """Alternatives to the slow statements: sargable `published = true`, keyset pagination."""
    visible = [House.deleted_at.is_(None), House.published == true()]
    last_offset = (max(1, math.ceil(houses / PER_PAGE)) - 1) * PER_PAGE
    return [
        ("count, published = true", select(func.count()).select_from(House).where(*visible)),
        (f"offset {last_offset:,}, published = true",
         select(House).where(*visible).order_by(House.code).limit(PER_PAGE).offset(last_offset)),
        ("last page by keyset: code > last code seen",
         select(House).where(*visible, House.code > after).order_by(House.code).limit(PER_PAGE)),
        ("facet county, published = true", select(House.county, func.count()).where(*visible, House.county.is_not(None))
         .group_by(House.county).order_by(func.count().desc(), House.county)),
        ("facet township where county = X", select(House.township, func.count())
         .where(*visible, House.township.is_not(None), House.county == county)
         .group_by(House.township).order_by(func.count().desc(), House.township)),
    ]


def add_indexes(target: Target) -> None:
    """Covering indexes (published, deleted_at, column) for the six facet columns, and a partial
    index on code for the visible houses; then fresh statistics."""
    with target.engine.begin() as conn:
        for name in FILTER_FIELDS:
            conn.execute(text(f"CREATE INDEX {FACET_INDEX.format(name)} ON house (published, deleted_at, {name})"))
        visible = "published = true" if target.engine.dialect.name == "postgresql" else "published = 1"
        conn.execute(text(f"CREATE INDEX bench_ix_visible_code ON house (code) WHERE {visible} AND deleted_at IS NULL"))
        if target.engine.dialect.name == "sqlite":
            conn.execute(text("ANALYZE"))
    vacuum(target.engine)


def what_if(targets: list[Target], houses: int, rounds: int, show_plans: bool) -> None:
    county = COUNTIES[0][2]
    original = statements(houses)
    variants = [("as is: " + label, stmt) for label, stmt in original if label.startswith(("count", "last", "facet c"))]
    last_offset = (max(1, math.ceil(houses / PER_PAGE)) - 1) * PER_PAGE
    with targets[0].engine.connect() as conn:
        after = conn.scalar(listing(max(0, last_offset - 1)).with_only_columns(House.code).limit(1)) or ""
    variants += what_if_statements(houses, county, after)
    timings: dict[tuple[str, str, str], float] = {}
    for stage in ("now", "+ indexes"):
        if stage != "now":
            for target in targets:
                add_indexes(target)
        for target in targets:
            for label, stmt in variants:
                time_sql(target, label, stmt)  # warm-up
                target.times.pop("sql: " + label)
        for _ in range(rounds):
            for target in targets:
                for label, stmt in variants:
                    time_sql(target, label, stmt)
        for target in targets:
            for label, _stmt in variants:
                timings[(stage, target.name, label)] = statistics.median(target.times.pop("sql: " + label))
    print(f"\nwhat if (SQL alone, ms p50 over {rounds}): rewritten statements, without and with extra indexes: "
          "(published, deleted_at, <column>) for the six facet columns and (code) WHERE published = true AND "
          "deleted_at IS NULL; then ANALYZE")
    width = 46
    columns = [(stage, t.name) for t in targets for stage in ("now", "+ indexes")]
    print(f"{'statement':{width}} " + " ".join(f"{f'{name} {stage}':>26}" for stage, name in columns))
    for label, _stmt in variants:
        print(f"{label:{width}} " + " ".join(f"{timings[(stage, name, label)]:26.2f}" for stage, name in columns))
    if show_plans:
        for target in targets:
            for label, stmt in variants[-4:]:
                print(f"\n{target.name} (with the extra indexes): plan of {label}")
                for line in explain(target, stmt):
                    print("   ", line)


# --------------------------------------------------------------------------------------------


def run(targets: list[Target], houses: int, rounds: int) -> tuple[list[tuple[str, str]], list[tuple[str, Query]]]:
    county = COUNTIES[0][2]
    code = next(iter(house_rows(1, seed=7)))["code"]  # any code will do; take a real one below
    with targets[0].engine.connect() as conn:
        code = conn.scalar(select(House.code).order_by(House.code).offset(houses // 2).limit(1)) or code
    urls = pages(houses, county, code)
    sql = statements(houses)
    jobs: list[tuple[Target, Callable[[], None]]] = []
    for target in targets:
        jobs += [(target, functools.partial(time_get, target, label, url)) for label, url in urls]
        jobs += [(target, functools.partial(time_sql, target, label, stmt)) for label, stmt in sql]
    for _target, job in jobs * 2:  # warm-up: caches, template compilation, connection pools
        job()
    for target in targets:
        target.times.clear()
    for round_no in range(rounds):
        shift = (round_no * 7) % len(jobs)
        for _target, job in jobs[shift:] + jobs[:shift]:
            job()
    return urls, sql


def report(targets: list[Target], urls: list[tuple[str, str]], sql: list[tuple[str, Query]], rounds: int) -> bool:
    names = [t.name for t in targets]
    width = 36
    print(f"\nlatency in ms, p50 / p95 over {rounds} requests (Flask test client, whole view)")
    print(f"{'request':{width}} " + " ".join(f"{n:>18}" for n in names))
    fast = True
    for label, _url in urls:
        cells = []
        for target in targets:
            values = target.times[label]
            p95 = percentile(values, 0.95)
            cells.append(f"{statistics.median(values):8.1f} / {p95:7.1f}")
            if label.startswith("/ page") or label.startswith("/api/houses page"):
                fast = fast and p95 < GOAL_MS
        print(f"{label:{width}} " + " ".join(f"{c:>18}" for c in cells))
    print(f"\nSQL statements of a gallery page, ms p50 / p95 (executed alone, {rounds} times)")
    for label, _stmt in sql:
        cells = []
        for target in targets:
            values = target.times["sql: " + label]
            cells.append(f"{statistics.median(values):8.2f} / {percentile(values, 0.95):7.2f}")
        print(f"{label:{width}} " + " ".join(f"{c:>18}" for c in cells))
    return fast


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--houses", type=int, default=100_000, help="houses to load (default 100,000)")
    parser.add_argument("--rounds", type=int, default=20, help="requests per URL and database (default 20)")
    parser.add_argument("--postgres-url", default=DEFAULT_PG, help=f"PostgreSQL on this machine (default {DEFAULT_PG})")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--explain", action="store_true", help="print the query plans even when pages are fast")
    parser.add_argument("--no-what-if", action="store_true", help="skip timing the suggested fixes")
    args = parser.parse_args(argv)
    print("command: python -m benchmarks.gallery", *(argv if argv is not None else sys.argv[1:]))
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")
    started = time.perf_counter()
    skip_pg = "--no-postgres" if args.no_postgres else postgres_available(args.postgres_url)
    if skip_pg:
        print(f"PostgreSQL skipped: {skip_pg}")
    with tempfile.TemporaryDirectory(prefix="gallery-bench-") as tmp:
        work = Path(tmp)
        with sqlite_target(work, args.houses) as lite:
            targets = [lite]
            with postgres_target(work, args.houses, args.postgres_url) if not skip_pg else _nothing() as pg:
                if pg is not None:
                    targets.append(pg)
                urls, sql = run(targets, args.houses, args.rounds)
                fast = report(targets, urls, sql, args.rounds)
                print(f"\ngoal: gallery and API pages p95 < {GOAL_MS:.0f} ms at every depth: "
                      f"{'met' if fast else 'MISSED'}")
                show_plans = args.explain or not fast
                if show_plans:
                    for target in targets:
                        for label, stmt in (s for s in sql if s[0].startswith(("count", "last page", "facet county"))):
                            print(f"\n{target.name}: plan of {label}")
                            for line in explain(target, stmt):
                                print("   ", line)
                if not args.no_what_if:
                    what_if(targets, args.houses, max(3, args.rounds // 2), show_plans)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
          f"; total {time.perf_counter() - started:.0f} s")
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    sys.exit(main())
