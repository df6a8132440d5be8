"""Search speed and size: search (Whoosh) against SQLite FTS5 (trigram, t2s-folded), in one run.

Usage (from the repository root, in the virtualenv):

    python benchmarks/search.py                      # 10,000 and 100,000 documents
    python benchmarks/search.py --sizes 10000        # a quick run
    python benchmarks/search.py --sizes 100000 --procs 2 --queries 100

For each size the same generated corpus is indexed by both engines and the same queries are run:
single words, two words, quoted Chinese phrases, words with a county filter (all four: one page
of 10 houses, no facets, no snippets) and "faceted": a word with all ten facets counted and
highlighted snippets for the page. Latency is engine time per query (p50/p95), measured after one
warm-up query. "found" counts the queries with at least one result. "save->searchable" is the time
from the start of ``replace_house`` (delete and re-add a house's documents, one commit) to a search
returning the new text. Corpora are cached in benchmarks/out/ (ignored by git).

The corpus: per house, one house document (summary and history in Chinese and English), about
five records (200-630 characters: oral histories, remittance letters, genealogies, news, survey
notes), one person and one to four photo captions. Chinese text is 43% simplified, 43%
traditional, 9% mixed and 5% carries web-converter pinyin (華(huá)僑(qiáo)); a sixth of the records
are English only with the spellings emigrant families used (Wong, Toishan, Hoiping, Szeto).
Sentences about houses are interleaved with words drawn from jieba's dictionary by frequency, so
the vocabulary has a realistic long tail rather than a handful of template words.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import pickle
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jieba
from opencc import OpenCC
from pypinyin import Style, pinyin

COUNTIES = {
    "台山": ("TS", ["Toishan", "Taishan", "Hoisan"], ["斗山", "端芬", "广海", "海宴", "台城", "白沙", "冲蒌"]),
    "开平": ("KP", ["Hoiping", "Kaiping"], ["塘口", "赤坎", "百合", "蚬冈", "月山", "水口", "长沙"]),
    "新会": ("XH", ["Sunwui", "Xinhui"], ["会城", "双水", "崖门", "古井", "司前"]),
    "恩平": ("EP", ["Yanping", "Enping"], ["圣堂", "沙湖", "良西", "横陂"]),
    "中山": ("ZS", ["Chungshan", "Zhongshan"], ["南朗", "石岐", "沙溪", "三乡", "南区"]),
    "鹤山": ("HS", ["Hokshan", "Heshan"], ["雅瑶", "古劳", "沙坪"]),
    "晋江": ("JJ", ["Chinkiang", "Jinjiang"], ["金井", "龙湖", "深沪", "安海"]),
    "腾冲": ("TC", ["Tengchong", "Tengyueh"], ["和顺", "界头", "曲石"]),
}
SURNAMES = [("黄", "Wong"), ("陈", "Chan"), ("李", "Lee"), ("余", "Yee"), ("谭", "Tom"), ("司徒", "Szeto"),
            ("伍", "Ng"), ("关", "Kwan"), ("梁", "Leung"), ("刘", "Lau"), ("张", "Cheung"), ("周", "Chow"),
            ("甄", "Yan"), ("方", "Fong"), ("雷", "Louie"), ("邝", "Kwong"), ("马", "Mah"), ("朱", "Gee"),
            ("林", "Lum"), ("何", "Ho"), ("胡", "Woo"), ("郑", "Cheng"), ("许", "Hui"), ("罗", "Law"),
            ("梅", "Moy"), ("谢", "Der"), ("蔡", "Toy"), ("吴", "Ng"), ("王", "Wong"), ("许", "Hee")]
GIVEN = [
    "荣", "华", "国", "兴", "德", "明", "文", "志", "家", "耀", "锦", "胜", "福", "祥", "英", "伟", "汉", "俊", "宗",
    "庆", "昌", "仁", "礼", "信", "贤", "光", "辉", "绍", "寿", "沛"
]
GIVEN_EN = ["Sun Yuen", "Kwok Hing", "Ming", "Wing", "Fook", "Gim", "Yuk Lan", "Chong", "Hon", "Kee"]
DESTS = [("美国", "America", "旧金山", "San Francisco"), ("加拿大", "Canada", "温哥华", "Vancouver"),
         ("澳大利亚", "Australia", "墨尔本", "Melbourne"), ("新西兰", "New Zealand", "惠灵顿", "Wellington"),
         ("古巴", "Cuba", "哈瓦那", "Havana"), ("秘鲁", "Peru", "利马", "Lima"),
         ("马来西亚", "Malaya", "吉隆坡", "Kuala Lumpur"), ("新加坡", "Singapore", "新加坡", "Singapore"),
         ("印度尼西亚", "Indonesia", "巴达维亚", "Batavia"), ("美国", "America", "纽约", "New York"),
         ("美国", "America", "檀香山", "Honolulu"), ("菲律宾", "Philippines", "马尼拉", "Manila")]
STYLES = [("diaolou", "碉楼", "watchtower"), ("villa", "庐", "villa"), ("arcade", "骑楼", "arcade house"),
          ("mixed", "中西合璧", "Chinese-Western house"), ("hall", "祠堂", "ancestral hall")]
LEVELS = ["national", "provincial", "municipal", "historic_building", "unlisted"]
KINDS = ["oral_history", "document", "remittance_letter", "genealogy", "inscription", "survey_note", "news"]
ZH = [
    "{house}位于{county}{township}{village}，由旅居{dest}的{sn}{gn}于{year}年建成。",
    "{sn}{gn}早年前往{city}谋生，积蓄多年后回乡兴建{house}。",
    "{house}落成于{year}年，楼主{sn}{gn}当时在{dest}经营杂货生意。",
    "该楼为{style}，共{storeys}层，钢筋混凝土结构，顶部设有罗马柱和山花。",
    "楼身{storeys}层，外墙有灰塑装饰，窗户装有铁窗和趟栊。",
    "首层为厅堂，{storeys}楼设有天台，四角有燕子窝，墙上开有枪眼。",
    "{year}年，{sn}{gn}从{city}寄回银信{amount}元，用于修建{house}，并嘱咐家人照顾祖母。",
    "侨批中提到{house}的建造费用，以及{sn}家在{township}购置田产的情况。",
    "{sn}{gn}在信中写道：“寄上港币{amount}元，望查收，家中老少平安否？”",
    "水客每年两次往返{city}与{township}，为{sn}家带回汇款和家书。",
    "据{sn}氏族谱记载，其先祖于清代迁居{village}，后代多有出洋谋生者。",
    "族谱记载{sn}氏第{storeys}代子孙中有多人旅居{dest}。",
    "{sn}{gn}口述：我小时候在{village}长大，父亲在{city}开洗衣馆，每年寄侨批回乡。",
    "{sn}{gn}回忆，抗战期间侨汇中断，{house}曾被用作村民避难之所。",
    "受访者{sn}{gn}说，{house}的图纸是从{city}带回来的。",
    "该侨房现由{county}侨务部门托管，保存状况{cond}，{year2}年进行过修缮。",
    "{year2}年文物普查时，{house}被登记为{level}。",
    "{house}的屋顶在{year2}年台风中受损，其后由村委会出资维修。",
    "开平碉楼与村落于2007年列入世界文化遗产名录，{village}的碉楼是其中的代表。",
    "{township}一带现存碉楼{amount}余座，多建于民国初年。",
    "华侨{sn}{gn}回乡后捐资兴建学校，村民至今仍称其为{sn}先生。",
    "{sn}{gn}曾任{city}中华会馆董事，热心家乡公益。",
    "调查记录：楼内尚存铁门、枪眼和燕子窝，首层用作仓库，二层以上空置。",
    "调查记录：{house}门楣有石刻楼名，墙体局部开裂，需要加固。",
    "{house}与相邻的{village}祠堂同年兴建，两者均采用中西合璧的风格。",
    "当年建楼所用的水泥和钢材多从{city}经香港运回。",
    "{sn}家后人现居{city}，每隔数年回乡祭祖一次。",
    "{year}年前后，{village}有半数男子出洋，留守的妇女被称为金山婆。",
]
EN = [
    "{house_en} was built in {year} by {sn_en} {gn_en}, who had emigrated from {county_en} to {city_en}.",
    "The {style_en} has {storeys} storeys; restoring the roof and windows began in {year2}.",
    "Oral history of {sn_en} {gn_en}, recorded in {county_en}: his father ran a laundry in {city_en}.",
    "Letters sent from {city_en} to the {sn_en} family in {county_en} mention remittances for the villa.",
    "The villas of {county_en} were built with money earned in {country_en} during the {decade}s.",
    "Newspaper report on the {sn_en} family tower houses and the restoration of the village.",
    "{sn_en} {gn_en} left {county_en} at sixteen and worked on the railways of {country_en}.",
    "The family kept a grocery store in {city_en} for three generations.",
    "Survey note: cracks in the east wall of the {style_en}, iron shutters rusted, roof terrace intact.",
    "A photograph sent from {city_en} in {year} shows the {sn_en} brothers in front of their shop.",
    "Remittances were carried by a water guest who travelled between {city_en} and {county_en}.",
    "In {year2} the county heritage office listed the {style_en} and repaired its parapet.",
]
RECORD_TITLES = {"oral_history": "{sn}{gn}口述", "document": "{house}屋契", "news": "{county}侨房保护报道",
                 "remittance_letter": "{sn}{gn}自{city}寄回侨批", "genealogy": "{sn}氏族谱节录",
                 "inscription": "{house}碑记", "survey_note": "{house}调查记录"}


class Vocabulary:
    """Words of jieba's dictionary, drawn by frequency."""

    def __init__(self, rnd: random.Random) -> None:
        path = Path(jieba.__file__).with_name("dict.txt")
        words, weights = [], []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                word, freq, _ = line.split(" ")
                if int(freq) >= 30 and 1 <= len(word) <= 4:
                    words.append(word)
                    weights.append(int(freq))
        self.words = words
        self.cum = list(itertools.accumulate(weights))
        self.rnd = rnd

    def filler(self, chars: int) -> str:
        out: list[str] = []
        total = 0
        while total < chars:
            word = self.words[bisect.bisect(self.cum, self.rnd.random() * self.cum[-1])]
            out.append(word)
            total += len(word)
        return "".join(out) + "。"


def _pinyin_annotate(text: str, rnd: random.Random) -> str:
    out = []
    for char, (reading,) in zip(text, pinyin(text, style=Style.TONE, errors=lambda s: [[c] for c in s]),
                                strict=False):
        if "\u4e00" <= char <= "\u9fff" and rnd.random() < 0.5:
            out.append(f"{char}({reading})")
        else:
            out.append(char)
    return "".join(out)


class CorpusGenerator:
    """Deterministic generator of document dicts following search.schema."""

    def __init__(self, seed: int = 7) -> None:
        self.rnd = random.Random(seed)
        self.vocab = Vocabulary(self.rnd)
        self.s2t = OpenCC("s2t")

    def _script(self, text: str, script: str) -> str:
        if script == "trad":
            return self.s2t.convert(text)
        if script == "mixed":
            half = len(text) // 2
            return text[:half] + self.s2t.convert(text[half:])
        if script == "pinyin":
            return _pinyin_annotate(text, self.rnd)
        return text

    def _zh(self, slots: dict[str, Any], chars: int, script: str) -> str:
        parts: list[str] = []
        while sum(map(len, parts)) < chars:
            parts.append(self.rnd.choice(ZH).format(**slots))
            parts.append(self.vocab.filler(self.rnd.randint(15, 60)))
        return self._script("".join(parts)[: chars + 40], script)

    def _en(self, slots: dict[str, Any], sentences: int) -> str:
        return " ".join(self.rnd.choice(EN).format(**slots) for _ in range(sentences))

    def house(self, n: int) -> list[dict[str, Any]]:
        rnd = self.rnd
        county = rnd.choice(list(COUNTIES))
        code, county_en, townships = COUNTIES[county]
        township = rnd.choice(townships)
        village = self.vocab.filler(2)[:2] + rnd.choice("村里")
        sn, sn_en = rnd.choice(SURNAMES)
        dest, country_en, city, city_en = rnd.choice(DESTS)
        style, style_zh, style_en = rnd.choice(STYLES)
        year = rnd.randint(1900, 1948)
        gn = rnd.choice(GIVEN) + rnd.choice(GIVEN)
        name = f"{gn}{style_zh if style == 'villa' else '楼'}"
        slots = {"house": name, "county": county, "township": township, "village": village, "dest": dest,
                 "sn": sn, "gn": rnd.choice(GIVEN) + rnd.choice(GIVEN), "year": year, "style": style_zh,
                 "storeys": rnd.randint(2, 6), "city": city, "amount": rnd.randint(2, 90) * 100,
                 "year2": rnd.randint(1980, 2023), "house_en": f"{sn_en} {style_en.title()}",
                 "cond": rnd.choice(["良好", "一般", "较差", "危险"]),
                 "level": rnd.choice(["文物保护单位", "历史建筑", "未定级"]),
                 "sn_en": sn_en, "gn_en": rnd.choice(GIVEN_EN), "county_en": rnd.choice(county_en),
                 "city_en": city_en, "style_en": style_en, "country_en": country_en, "decade": year // 10 * 10}
        house_code = f"{code}-{n // 1000:02d}-{n % 1000:03d}"
        common = {"house_code": house_code, "house_name": name, "county": county, "township": township,
                  "village": village, "style": style, "protection_level": rnd.choice(LEVELS),
                  "condition": rnd.choice("ABCD"), "destination_countries": [dest], "decade": year // 10 * 10}
        place = f"广东省 {county} {township} {village}"
        script = rnd.choices(["simp", "trad", "mixed", "pinyin"], [43, 43, 9, 5])[0]
        docs = [dict(common, id=f"house:{house_code}", type="house", title=f"{name} {slots['house_en']}",
                     names=f"{sn}氏 {sn_en} {slots['gn']}", place=place, date_year=year,
                     body=self._zh(slots, rnd.randint(250, 500), script) + " " + self._en(slots, 3))]
        for r in range(rnd.randint(3, 7)):
            kind = rnd.choice(KINDS)
            english = rnd.random() < 0.17
            body = self._en(slots, rnd.randint(3, 6)) if english else self._zh(
                slots, rnd.randint(200, 600), rnd.choices(["simp", "trad", "mixed", "pinyin"], [43, 43, 9, 5])[0])
            title = self._script(RECORD_TITLES[kind].format(**slots), script)
            docs.append(dict(common, id=f"record:{n}-{r}", type="record", title=title, body=body,
                             record_kind=kind, place=place, date_year=rnd.randint(year - 10, 2020)))
        docs.append(dict(common, id=f"person:{n}", type="person", title=f"{sn}{slots['gn']} {sn_en} {slots['gn_en']}",
                         names=f"{sn_en} {slots['gn_en']}", body=self._zh(slots, rnd.randint(60, 160), script)))
        for p in range(rnd.randint(1, 4)):
            caption = self._zh(slots, rnd.randint(20, 80), script)
            docs.append(dict(common, id=f"photo:{n}-{p}", type="photo", title=f"IMG_{n:05d}_{p}.jpg",
                             body=caption))
        return docs

    def documents(self, count: int) -> Iterator[dict[str, Any]]:
        made = 0
        for n in itertools.count():
            for doc in self.house(n):
                yield doc
                made += 1
                if made >= count:
                    return


# Benchmark harness --------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
DOMAIN_WORDS = ["碉楼", "侨批", "华侨", "银信", "修缮", "族谱", "骑楼", "侨房", "灰塑", "罗马柱", "燕子窝", "托管",
                "开平", "台山", "赤坎", "塘口", "温哥华", "旧金山", "洗衣馆", "世界文化遗产", "villa", "laundry",
                "remittances", "Toishan", "Wong", "restoration", "Hoiping", "tower"]  # fmt: skip


def corpus(size: int, seed: int) -> list[dict[str, Any]]:
    path = OUT / f"search-corpus-{size}-{seed}.pickle"
    if path.exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)
    docs = list(CorpusGenerator(seed).documents(size))
    OUT.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        pickle.dump(docs, fh)
    return docs


Queries = dict[str, list[tuple[str, dict[str, list[str]]]]]


def make_queries(docs: list[dict[str, Any]], count: int, seed: int) -> Queries:
    """Queries drawn from the corpus: words as typed (not stemmed), and phrases of two to four
    consecutive words of a document, in the script of that document, that begin and end with a
    word of two characters or more (as typed phrases do: "开平碉楼与村落", not "的碉楼"); at
    least 3 characters, so that FTS5 trigram can match them."""
    from search.segment import cut_chinese
    from search.text import fold

    rnd = random.Random(seed)
    counties = sorted(COUNTIES)

    def doc_words() -> list[str]:
        body = fold(rnd.choice(docs)["body"]).text
        words = [w for run in re.findall(r"[\u4e00-\u9fff]+", body) for w in cut_chinese(run)]
        words += re.findall(r"[a-z]{3,}", body)
        return [w for w in words if len(w) >= 2] or ["碉楼"]

    def phrase() -> str:
        while True:
            body = rnd.choice(docs)["body"]
            folded = fold(body)
            runs = list(re.finditer(r"[\u4e00-\u9fff]{6,}", folded.text))
            if not runs:
                continue
            run = rnd.choice(runs)
            words = cut_chinese(run.group())
            n = rnd.randint(2, 4)
            if len(words) <= n:
                continue
            start = rnd.randrange(0, len(words) - n)
            if len(words[start]) < 2 or len(words[start + n - 1]) < 2:
                continue
            offset = run.start() + sum(map(len, words[:start]))
            length = sum(map(len, words[start : start + n]))
            if length >= 3:
                begin, end = folded.original_span(offset, offset + length)
                return body[begin:end]

    single = [rnd.choice(DOMAIN_WORDS) if i % 5 < 2 else rnd.choice(doc_words()) for i in range(count)]
    two = []
    for i in range(count):
        words = doc_words()
        two.append(f"{rnd.choice(DOMAIN_WORDS)} {rnd.choice(words)}" if i % 2 else " ".join(rnd.sample(words * 2, 2)))
    return {
        "single word": [(w, {}) for w in single],
        "two words": [(w, {}) for w in two],
        "phrase": [(f'"{phrase()}"', {}) for _ in range(count)],
        "filtered": [(w, {"county": [rnd.choice(counties)]}) for w in single],
        "faceted+highlight": [(w, {}) for w in single],
    }


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_whoosh(docs: list[dict[str, Any]], queries: dict[str, Any], procs: int, workdir: Path) -> dict[str, Any]:
    from search import SearchIndex, SearchQuery
    from search.storage.postings import POSTINGS_CACHE

    # No cache of recent query results: repeated queries would not be searched again.
    idx = SearchIndex(workdir / "whoosh", recent_results=0)
    started, cpu = time.perf_counter(), time.process_time()
    idx.rebuild(docs, procs=procs)
    out: dict[str, Any] = {"build": time.perf_counter() - started, "build_cpu_parent": time.process_time() - cpu}
    out["size"] = dir_size(idx.path)
    out["warm-up"] = idx.warm_up()
    for name, items in queries.items():
        full = name == "faceted+highlight"
        times, found = [], 0
        for text, filters in items:
            q = SearchQuery(text, filters=filters, per_page=10, facets=full, highlight=full)
            t0 = time.perf_counter()
            res = idx.search(q)
            times.append(time.perf_counter() - t0)
            found += res.total > 0
        out[name] = (*percentiles(times), found, len(items))
    # The same faceted queries with no posting lists kept from earlier searches.
    times = []
    for text, filters in queries["faceted+highlight"]:
        POSTINGS_CACHE.clear()
        t0 = time.perf_counter()
        idx.search(SearchQuery(text, filters=filters, per_page=10))
        times.append(time.perf_counter() - t0)
    out["cold"] = percentiles(times)
    out["save"] = save_to_searchable(idx, docs)
    idx.close()
    return out


def save_to_searchable(idx: Any, docs: list[dict[str, Any]], rounds: int = 20) -> tuple[float, float, float]:
    from search import SearchQuery

    by_house: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        by_house.setdefault(doc["house_code"], []).append(doc)
    codes = sorted(by_house)[:: max(1, len(by_house) // rounds)][:rounds]
    times = []
    for n, code in enumerate(codes):
        marker = f"zzsave{n}marker"
        new = [dict(d, body=d["body"] + f" {marker}") if i == 0 else d for i, d in enumerate(by_house[code])]
        t0 = time.perf_counter()
        assert idx.replace_house(code, new, timeout=5)
        hits = idx.search(SearchQuery(marker, facets=False, highlight=False)).hits
        times.append(time.perf_counter() - t0)
        assert [h.house_code for h in hits] == [code], (marker, hits)
    p50, p95 = percentiles(times)
    return p50, p95, max(times) * 1000


FACET_COLUMNS = ["county", "township", "village", "style", "protection_level", "condition", "dest", "decade",
                 "record_kind", "type"]  # fmt: skip


def fts_match(text: str) -> str:
    from search.text import fold

    text = fold(text).text
    if text.startswith('"'):
        return '"' + text.strip('"').replace('"', "") + '"'
    return " AND ".join('"' + w.replace('"', "") + '"' for w in text.split())


def run_fts(docs: list[dict[str, Any]], queries: dict[str, Any], workdir: Path) -> dict[str, Any]:
    from search.text import fold

    path = workdir / "fts.sqlite"
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, names, body, place, tokenize='trigram')")
    db.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, doc_id TEXT, house_code TEXT, "
               + ", ".join(f"{c} TEXT" for c in FACET_COLUMNS) + ")")  # fmt: skip
    db.execute("CREATE INDEX meta_house ON meta(house_code)")
    db.execute("CREATE INDEX meta_county ON meta(county)")
    with db:
        for n, d in enumerate(docs, 1):
            db.execute("INSERT INTO docs(rowid, title, names, body, place) VALUES (?, ?, ?, ?, ?)",
                       (n, *(fold(d.get(k) or "").text for k in ("title", "names", "body", "place"))))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, " + ", ".join("?" * len(FACET_COLUMNS)) + ")",
                       (n, d["id"], d["house_code"], d.get("county"), d.get("township"), d.get("village"),
                        d.get("style"), d.get("protection_level"), d.get("condition"),
                        ",".join(d.get("destination_countries") or []), d.get("decade"), d.get("record_kind"),
                        d["type"]))  # fmt: skip
    out: dict[str, Any] = {"build": time.perf_counter() - started, "size": path.stat().st_size}
    top = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
    filtered = ("SELECT docs.rowid FROM docs JOIN meta ON meta.id = docs.rowid WHERE docs MATCH ? "
                "AND meta.county = ? ORDER BY rank LIMIT 10")
    for name, items in queries.items():
        times, found = [], 0
        for text, filters in items:
            match = fts_match(text)
            t0 = time.perf_counter()
            if name == "filtered":
                rows = db.execute(filtered, (match, filters["county"][0])).fetchall()
            elif name == "faceted+highlight":
                rows = db.execute("SELECT rowid, highlight(docs, 2, '<mark>', '</mark>') FROM docs "
                                  "WHERE docs MATCH ? ORDER BY rank LIMIT 10", (match,)).fetchall()
                db.execute("CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY)")
                db.execute("DELETE FROM hits")
                db.execute("INSERT INTO hits SELECT rowid FROM docs WHERE docs MATCH ?", (match,))
                db.execute("SELECT COUNT(DISTINCT house_code) FROM meta JOIN hits USING(id)").fetchone()
                for column in FACET_COLUMNS[:-1]:  # the nine facets search counts
                    db.execute(f"SELECT {column}, COUNT(DISTINCT house_code) FROM meta JOIN hits USING(id) "
                               f"GROUP BY {column}").fetchall()
            else:
                rows = db.execute(top, (match,)).fetchall()
            times.append(time.perf_counter() - t0)
            found += bool(rows)
        out[name] = (*percentiles(times), found, len(items))
    db.close()
    return out


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def report(size: int, docs: list[dict[str, Any]], w: dict[str, Any], f: dict[str, Any]) -> None:
    chars = sum(len(d.get("title", "") + d.get("names", "") + d.get("body", "")) for d in docs) / len(docs)
    print(f"\n## {size:,} documents ({len({d['house_code'] for d in docs}):,} houses, {chars:.0f} characters per "
          f"document on average); {load()}\n")
    print("| measure | search (Whoosh) | SQLite FTS5 trigram | ratio |")
    print("|---|---|---|---|")
    print(f"| build | {w['build']:.1f} s | {f['build']:.1f} s | {w['build'] / f['build']:.1f}x |")
    print(f"| index size | {w['size'] / 1e6:.0f} MB | {f['size'] / 1e6:.0f} MB | {w['size'] / f['size']:.2f}x |")
    for name in ("single word", "two words", "phrase", "filtered", "faceted+highlight"):
        (wp50, wp95, wf, n), (fp50, fp95, ff, _) = w[name], f[name]
        print(f"| {name}: p50 / p95 | {wp50:.1f} / {wp95:.1f} ms | {fp50:.1f} / {fp95:.1f} ms "
              f"| {wp50 / fp50:.1f}x / {wp95 / fp95:.1f}x |")
        print(f"| {name}: found | {wf}/{n} | {ff}/{n} | |")
    c50, c95 = w["cold"]
    print(f"| faceted+highlight, posting cache emptied before each query: p50 / p95 | {c50:.1f} / {c95:.1f} ms "
          "| | |")
    s50, s95, smax = w["save"]
    print(f"| save->searchable p50 / p95 / max | {s50:.0f} / {s95:.0f} / {smax:.0f} ms | | |")
    print(f"| warm-up after start (dictionaries, caches) | {w['warm-up'] * 1000:.0f} ms | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated document counts")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--procs", type=int, default=2, help="worker processes for the Whoosh build")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    for size in (int(s) for s in args.sizes.split(",")):
        docs = corpus(size, args.seed)
        queries = make_queries(docs, args.queries, args.seed)
        with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
            whoosh = run_whoosh(docs, queries, args.procs, Path(tmp))
            fts = run_fts(docs, queries, Path(tmp))
        report(size, docs, whoosh, fts)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
