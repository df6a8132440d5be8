"""A fixed corpus for the search tests: 40 houses with records, people and photos.

The first houses are written so that one fact appears in one script or one spelling only (僑房
only in traditional characters, "Wong" only in English, 司徒 only as "Seto" ...); the rest are
plainer houses in several counties that make the ranking compete. Documents follow the contract
of search.schema.
"""

from __future__ import annotations

from typing import Any

# code: (name_zh, name_en, county, township, village, style, level, condition, dests, decade, family)
HOUSES: dict[str, tuple[str, str, str, str, str, str, str, str, list[str], int, str]] = {
    "KP-TK-ZL-001": ("铭石楼", "Mingshi Tower", "开平", "塘口", "自力村", "diaolou", "world_heritage", "A",
                     ["美国"], 1920, "方"),
    "KP-TK-ZL-002": ("雲幻樓", "Yunhuan Tower", "開平", "塘口", "自力村", "diaolou", "world_heritage", "B",
                     ["马来西亚"], 1920, "方"),
    "TS-DS-FS-001": ("新源庐", "Sun Yuen Villa", "台山", "斗山", "浮石村", "villa", "municipal", "B",
                     ["美国"], 1920, ""),
    "TS-DF-HL-001": ("翁家樓", "Yung Family House", "臺山", "端芬", "海陽里", "mixed", "unlisted", "C",
                     ["加拿大"], 1930, "翁"),
    "XH-SS-NX-001": ("國興堂", "Kwok Hing Hall", "新会", "双水", "南溪村", "hall", "unlisted", "C",
                     ["澳大利亚"], 1910, "陈"),
    "KP-CK-YZ-001": ("司徒氏图书馆", "Szeto Library", "开平", "赤坎", "上埠", "mixed", "provincial", "A",
                     ["美国"], 1920, "司徒"),
    "TS-TC-XN-001": ("宁安楼", "Ning On House", "台山", "台城", "西宁市", "arcade", "municipal", "B",
                     ["加拿大"], 1930, "司徒"),
    "TS-HY-WS-001": ("伍氏宗祠", "Ng Ancestral Hall", "台山", "海宴", "五丰村", "hall", "municipal", "B",
                     ["古巴"], 1900, "伍"),
    "EP-SH-WJ-001": ("吴家大屋", "Ng Family Mansion", "恩平", "沙湖", "吴家村", "mixed", "unlisted", "D",
                     ["秘鲁"], 1910, "吴"),
    "ZS-NL-CH-001": ("逸仙庐", "Yat Sen Villa", "中山", "南朗", "翠亨村", "villa", "national", "A",
                     ["美国"], 1890, "孙"),
    "KP-BH-MJ-001": ("天禄楼", "Tin Luk Tower", "开平", "百合", "马降龙", "diaolou", "world_heritage", "A",
                     ["美国", "加拿大"], 1920, "黄"),
    "KP-SK-NC-001": ("南村楼", "Nam Chuen Tower", "开平", "水口", "南村", "diaolou", "unlisted", "C",
                     ["美国"], 1930, "关"),
    "TS-GH-YX-001": ("银信楼", "Remittance House", "台山", "广海", "沙栏村", "mixed", "unlisted", "B",
                     ["美国"], 1920, "谭"),
    "KP-CK-QL-001": ("赤坎骑楼街", "Chikan Arcade Street", "开平", "赤坎", "堤西路", "arcade", "provincial", "B",
                     ["美国"], 1930, "关"),
    "ZS-SQ-XS-001": ("香山商会旧址", "Heungshan Chamber of Commerce", "中山", "石岐", "孙文路", "arcade", "municipal",
                     "B", ["美国"], 1920, "李"),
    "TC-HS-SJ-001": ("和顺图书馆", "Heshun Library", "腾冲", "和顺", "水碓村", "mixed", "national", "A",
                     ["缅甸"], 1920, "寸"),
    "JJ-JX-WD-001": ("蔡氏古民居", "Tsai Family Houses", "晋江", "金井", "围头村", "courtyard", "provincial", "B",
                     ["菲律宾"], 1900, "蔡"),
    "XM-GL-HB-001": ("黄荣远堂", "Wong Wing Yuen Hall", "厦门", "鼓浪屿", "福建路", "villa", "national", "A",
                     ["印度尼西亚"], 1920, "黄"),
    "TS-SJ-JL-001": ("居庐", "Kui Lo", "台山", "三合", "荻海", "villa", "unlisted", "B", ["美国"], 1930, "余"),
    "EP-SJ-TL-001": ("侨房旧宅", "Old Qiaofang House", "恩平", "圣堂", "歇马村", "mixed", "unlisted", "D",
                     ["美国"], 1930, "梁"),
}
FILLER_COUNTIES = [("新会", "会城"), ("鹤山", "雅瑶"), ("恩平", "良西"), ("中山", "沙溪"), ("台山", "冲蒌")]
FILLER_NAMES = ["德馨楼", "荣庆楼", "福安居", "永宁楼", "耀华楼", "昌盛楼", "怡园", "松庐", "竹林居", "锦华楼",
                "兴隆楼", "瑞云楼", "庆余堂", "乐善居", "明德楼", "光裕楼", "广德楼", "绍德堂", "寿山楼", "俊民楼"]
FILLER_FAMILIES = ["李", "刘", "张", "周", "林", "何", "胡", "郑", "许", "罗"]

TEXTS: dict[str, dict[str, Any]] = {
    "KP-TK-ZL-001": {
        "summary": "铭石楼位于开平市塘口镇自力村，由旅美华侨方润文于1925年兴建，是自力村碉楼群中最精美的一座。"
                   "开平碉楼与村落于2007年列入世界文化遗产名录。",
        "records": [
            ("oral_history", "方氏后人口述", "我祖父方润文在旧金山经营杂货店，寄钱回乡建了铭石楼。", 1985),
            ("remittance_letter", "旧金山寄回侨批", "家中各人均安，今寄上银两，以作建楼之用。", 1924),
        ],
        "person": ("方润文 Fong Yun Man", "Fong Yun Man", "旅美华侨，铭石楼的建造者。"),
        "photos": ["铭石楼正面，顶部有罗马柱廊。"],
    },
    "KP-TK-ZL-002": {
        "summary": "雲幻樓位於開平塘口自力村，為旅居馬來亞的方文娛所建，1921年落成。此僑房頂部設有燕子窩。",
        "records": [("survey_note", "雲幻樓調查記錄", "樓內保存完好，僑房原有傢俬尚存。", 2001)],
        "photos": ["雲幻樓遠景"],
    },
    "TS-DS-FS-001": {
        "summary": "A villa in Toishan built in 1923 by a returned emigrant. The family ran a laundry in San "
                   "Francisco.",
        "records": [
            ("oral_history", "Memories of Wong Sun Yuen",
             "Wong Sun Yuen left Toishan in 1905 and worked in a laundry in San Francisco. He sent money home "
             "to build the villa.", 1978),
        ],
        "person": ("Wong Sun Yuen", "Wong Sun Yuen", "Emigrant to San Francisco, builder of the villa."),
    },
    "TS-DF-HL-001": {
        "summary": "翁家樓位於臺山端芬海陽里，由旅居加拿大溫哥華的翁氏兄弟合資興建，1932年落成。",
        "records": [("document", "翁家樓屋契", "民國二十一年臺山縣端芬翁氏立契。", 1932)],
    },
    "XH-SS-NX-001": {
        "summary": "國興堂為旅澳華僑所建之祠堂。",
        "records": [
            ("news", "Returned emigrant honoured",
             "Chan Kwok Hing of Sunwui returned from Melbourne in 1912 and built an ancestral hall in his "
             "village.", 1912),
        ],
    },
    "KP-CK-YZ-001": {
        "summary": "司徒氏图书馆位于开平赤坎上埠，由旅美司徒氏族人捐建，1926年落成，钟楼为赤坎地标。",
        "records": [("inscription", "司徒氏图书馆碑记", "本族子弟旅居海外者集资兴建图书馆。", 1926)],
    },
    "TS-TC-XN-001": {
        "summary": "A three-storey arcade house in Taishan town.",
        "records": [
            ("news", "Vancouver merchant returns",
             "The Seto family of Vancouver financed the arcade shops on West Ning Road.", 1931),
        ],
    },
    "TS-HY-WS-001": {
        "summary": "伍氏宗祠位于台山海宴五丰村，旅居古巴的伍氏族人于1903年重修。",
        "records": [("genealogy", "伍氏族谱节录", "伍氏先祖自南雄珠玑巷南迁，定居海宴。", 1903)],
    },
    "EP-SH-WJ-001": {
        "summary": "吴家大屋位于恩平沙湖吴家村，是旅居秘鲁的吴氏家族于1915年所建的大宅。",
        "records": [],
    },
    "ZS-NL-CH-001": {
        "summary": "The villas of Cuiheng village were restored in 1983; this villa was built in 1892 with money "
                   "sent from Honolulu.",
        "records": [("survey_note", "Restoration survey", "Restoring the roof and the verandah, 1983.", 1983)],
    },
    "KP-BH-MJ-001": {
        "summary": "天禄楼位于开平百合马降龙村落，由黄氏族人集资兴建，共七层，是马降龙最高的碉楼。",
        "records": [
            ("oral_history", "Memories of the Wong tower", "Wong Kwok Ming remembers the tower being built "
             "by the families of Majianglong in 1925.", 1990),
        ],
        "person": ("黄国明 Wong Kwok Ming", "Wong Kwok Ming", "天禄楼建造者的后人。"),
    },
    "KP-SK-NC-001": {
        "summary": "南村楼位于开平水口南村，楼主在开平的碉楼中排名第三。开平人称之为更楼。",
        "records": [("survey_note", "南村楼调查", "开平的碉楼多建于民国时期，此楼亦然。", 2005)],
    },
    "TS-GH-YX-001": {
        "summary": "此楼由水客经手的银信汇款所建，楼主谭氏旅居美国。",
        "records": [("remittance_letter", "谭氏银信", "收到银信一封，内有美金五十元。", 1925)],
        "person": ("谭伟 Tom Wai", "Tom Wai", "楼主。"),
    },
    "KP-CK-QL-001": {
        "summary": "The arcade street of Chikan along the Tanjiang river, built in the 1930s by merchants "
                   "returning from America.",
        "records": [],
        "photos": ["Chikan arcade shops at dusk"],
    },
    "ZS-SQ-XS-001": {
        "summary": "The chamber of commerce building of Heungshan merchants, 1922.",
        "records": [],
    },
    "TC-HS-SJ-001": {
        "summary": "和顺图书馆位于腾冲和顺水碓村，由旅缅华侨捐建，1928年落成。",
        "records": [("news", "Tengyueh library", "The library of Ho Shun village near Tengyueh was founded by "
                                                  "Chinese in Burma.", 1928)],
    },
    "JJ-JX-WD-001": {
        "summary": "A group of courtyard houses of the Tsai family near Chinkiang, built with remittances from "
                   "Manila.",
        "records": [],
    },
    "XM-GL-HB-001": {
        "summary": "黄荣远堂位于鼓浪屿福建路，1920年由菲律宾华侨施光从所建，后为黄仲训购得。",
        "records": [("document", "Deed of sale, Amoy", "Deed of sale of the house at Kulangsu, Amoy, to "
                                                        "Oei Tiong Ham's family.", 1923)],
    },
    "TS-SJ-JL-001": {
        "summary": "居庐为余氏所建之庐，1931年落成，二层洋楼。",
        "records": [],
        "photos": ["ＫＡＩＰＩＮＧ style roof of 居\u200b庐", "⾦⼭客余氏寄回的照片"],
    },
    "EP-SJ-TL-001": {
        "summary": "这座侨房是梁氏华(huá)侨(qiáo)于1933年所建，门楣刻有“梁宅”二字。",
        "records": [("oral_history", "梁氏口述", "我们家的侨房是父亲从金山寄钱回来建的。", 1999)],
    },
}


def _filler_houses() -> None:
    for i, name in enumerate(FILLER_NAMES):
        county, township = FILLER_COUNTIES[i % len(FILLER_COUNTIES)]
        family = FILLER_FAMILIES[i % len(FILLER_FAMILIES)]
        code = f"FL-{i:02d}-001"
        style = ["villa", "diaolou", "mixed", "arcade"][i % 4]
        HOUSES[code] = (name, f"House {i}", county, township, f"{name[:2]}村", style, "unlisted", "ABCD"[i % 4],
                        [["美国"], ["加拿大"], ["澳大利亚"], ["新加坡"]][i % 4], 1900 + 10 * (i % 5), family)
        TEXTS[code] = {
            "summary": f"{name}是{family}氏族人于民国时期所建的房屋，位于{county}{township}。"
                       "楼高三层，外墙用青砖砌成。",
            "records": [("survey_note", f"{name}调查", f"{name}保存状况一般，屋内有{family}氏祖先画像。",
                         2010 + i % 5)],
        }


_filler_houses()


def documents() -> list[dict[str, Any]]:
    """All documents of the corpus, in the form the application gives them to the index."""
    docs: list[dict[str, Any]] = []
    for code, (zh, en, county, township, village, style, level, cond, dests, decade, family) in HOUSES.items():
        text = TEXTS[code]
        common = {
            "house_code": code, "house_name": f"{zh} {en}", "county": county, "township": township,
            "village": village, "style": style, "protection_level": level, "condition": cond,
            "destination_countries": dests, "decade": decade,
        }
        place = f"广东省 {county} {township} {village}"
        docs.append(dict(common, id=f"house:{code}", type="house", title=f"{zh} {en}",
                         names=f"{family}氏" if family else "", body=text["summary"], place=place,
                         date_year=decade + 5))
        for n, (kind, title, body, year) in enumerate(text["records"]):
            docs.append(dict(common, id=f"record:{code}:{n}", type="record", title=title, body=body,
                             record_kind=kind, date_year=year))
        if "person" in text:
            names, romanised, note = text["person"]
            docs.append(dict(common, id=f"person:{code}", type="person", title=names, names=romanised, body=note))
        for n, caption in enumerate(text.get("photos", [])):
            docs.append(dict(common, id=f"photo:{code}:{n}", type="photo", title=f"IMG_{n:04d}.jpg", body=caption))
    return docs
