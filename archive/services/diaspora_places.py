"""Places abroad as points: a destination as written (美国旧金山, 域多利, Vancouver, BC) -> (country, city).

The coordinates are a built-in table (no geocoding service, nothing downloaded): the city centre of
each city emigrants wrote down, and a representative inland point for a country named without a
city. They place a marker and the end of a line on a world map, nothing finer, so two decimals do.
Names are the catalogue's (简体); old and Cantonese names fold into one city (三藩市, 金山 ->
旧金山; 域多利 -> 维多利亚; 雪梨 -> 悉尼), so one place gets one marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archive.services.destinations import CITIES, SAME_AS, country_of
from archive.services.gazetteer import to_hans
from archive.services.gazetteer_names import MORE_COUNTRIES

# country -> (lat, lon): a point inside the country, where a country-only destination is drawn.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "美国": (39.8, -98.6), "加拿大": (53.0, -100.0), "墨西哥": (23.6, -102.5), "古巴": (21.5, -78.0),
    "秘鲁": (-9.2, -75.0), "巴拿马": (8.5, -80.8), "牙买加": (18.1, -77.3), "特立尼达": (10.45, -61.25),
    "巴西": (-14.2, -51.9), "智利": (-35.7, -71.5), "马来西亚": (4.2, 102.0), "新加坡": (1.35, 103.82),
    "印度尼西亚": (-0.8, 113.9), "泰国": (15.9, 101.0), "越南": (14.1, 108.3), "菲律宾": (12.9, 121.8),
    "缅甸": (21.9, 96.0), "柬埔寨": (12.6, 105.0), "老挝": (19.9, 102.5), "澳大利亚": (-25.3, 133.8),
    "新西兰": (-40.9, 174.9), "英国": (52.5, -1.5), "法国": (46.2, 2.2), "荷兰": (52.1, 5.3),
    "南非": (-30.6, 22.9), "毛里求斯": (-20.35, 57.55), "日本": (36.2, 138.3), "香港": (22.32, 114.17),
    "澳门": (22.2, 113.54), "印度": (20.6, 79.0), "斐济": (-17.7, 178.1), "文莱": (4.54, 114.73),
}
# city -> (country, lat, lon), city centres.
CITY_POINTS: dict[str, tuple[str, float, float]] = {
    "旧金山": ("美国", 37.77, -122.42), "纽约": ("美国", 40.71, -74.01), "洛杉矶": ("美国", 34.05, -118.24),
    "芝加哥": ("美国", 41.88, -87.63), "西雅图": ("美国", 47.61, -122.33), "波特兰": ("美国", 45.52, -122.68),
    "檀香山": ("美国", 21.31, -157.86), "萨克拉门托": ("美国", 38.58, -121.49),
    "温哥华": ("加拿大", 49.28, -123.12), "维多利亚": ("加拿大", 48.43, -123.37),
    "多伦多": ("加拿大", 43.65, -79.38), "蒙特利尔": ("加拿大", 45.50, -73.57),
    "哈瓦那": ("古巴", 23.11, -82.37), "利马": ("秘鲁", -12.05, -77.04), "墨西卡利": ("墨西哥", 32.62, -115.45),
    "吉隆坡": ("马来西亚", 3.14, 101.69), "槟城": ("马来西亚", 5.41, 100.33), "怡保": ("马来西亚", 4.60, 101.09),
    "马六甲": ("马来西亚", 2.19, 102.25), "雅加达": ("印度尼西亚", -6.21, 106.85),
    "巴达维亚": ("印度尼西亚", -6.14, 106.81), "泗水": ("印度尼西亚", -7.26, 112.75),
    "棉兰": ("印度尼西亚", 3.60, 98.67), "曼谷": ("泰国", 13.76, 100.50), "西贡": ("越南", 10.78, 106.70),
    "马尼拉": ("菲律宾", 14.60, 120.98), "宿务": ("菲律宾", 10.32, 123.89), "仰光": ("缅甸", 16.84, 96.17),
    "曼德勒": ("缅甸", 21.96, 96.09), "密支那": ("缅甸", 25.38, 97.40), "加尔各答": ("印度", 22.57, 88.36),
    "孟买": ("印度", 19.08, 72.88), "悉尼": ("澳大利亚", -33.87, 151.21), "墨尔本": ("澳大利亚", -37.81, 144.96),
    "奥克兰": ("新西兰", -36.85, 174.76), "伦敦": ("英国", 51.51, -0.13), "利物浦": ("英国", 53.41, -2.99),
}
# Other names of the same city (old, Cantonese, transliterated differently).
CITY_SAME_AS = {
    "三藩市": "旧金山", "金山": "旧金山", "火奴鲁鲁": "檀香山", "域多利": "维多利亚", "雪梨": "悉尼",
    "新金山": "墨尔本",
}
# English names emigrant families wrote (lower case) -> the catalogue's city.
ENGLISH_CITIES = {
    "san francisco": "旧金山", "gold mountain": "旧金山", "new york": "纽约", "los angeles": "洛杉矶",
    "chicago": "芝加哥", "seattle": "西雅图", "portland": "波特兰", "honolulu": "檀香山", "sacramento": "萨克拉门托",
    "vancouver": "温哥华", "victoria": "维多利亚", "toronto": "多伦多", "montreal": "蒙特利尔", "havana": "哈瓦那",
    "lima": "利马", "mexicali": "墨西卡利", "kuala lumpur": "吉隆坡", "penang": "槟城", "ipoh": "怡保",
    "malacca": "马六甲", "jakarta": "雅加达", "batavia": "巴达维亚", "surabaya": "泗水", "medan": "棉兰",
    "bangkok": "曼谷", "saigon": "西贡", "manila": "马尼拉", "cebu": "宿务", "rangoon": "仰光", "yangon": "仰光",
    "mandalay": "曼德勒", "myitkyina": "密支那", "calcutta": "加尔各答", "kolkata": "加尔各答", "bombay": "孟买",
    "sydney": "悉尼", "melbourne": "墨尔本", "auckland": "奥克兰", "london": "伦敦", "liverpool": "利物浦",
}
# Longest first, so 新金山 (Melbourne) is found before 金山 (San Francisco).
_CITY_NAMES = sorted({*CITY_POINTS, *CITY_SAME_AS, *CITIES}, key=len, reverse=True)


@dataclass(frozen=True)
class AbroadPlace:
    """A place abroad: a country, optionally a city in it; lat/lon None when the table has no point."""

    country: str | None
    city: str | None
    lat: float | None
    lon: float | None

    @property
    def key(self) -> str:
        """Stable text key (URL fragment, JSON id): 美国/旧金山, 美国, or '' for an unknown place."""
        return "/".join(part for part in (self.country, self.city) if part)

    @property
    def name(self) -> str:
        """The place's own name as the catalogue writes it: the city's, else the country's."""
        return self.city or self.country or ""


def _city_of(text: str) -> str | None:
    for name in _CITY_NAMES:
        if name in text:
            return CITY_SAME_AS.get(name, name)
    lowered = text.casefold()
    for name, city in ENGLISH_CITIES.items():
        if name in lowered:
            return city
    return None


def _country_of(text: str) -> str | None:
    found = country_of(text)
    if found is not None:
        return found
    for country in sorted(MORE_COUNTRIES, key=len, reverse=True):  # 印度, 斐济, 文莱 (not search facets)
        if text.startswith(country) and not text.startswith("印度尼西亚"):
            return country
    return None


@lru_cache(maxsize=5000)
def place_of(destination: str) -> AbroadPlace:
    """The country and city a destination names, and where to draw it (None parts when unknown)."""
    text = to_hans(destination.strip())
    city = _city_of(text)
    country = _country_of(text)
    if city is not None and city in CITY_POINTS:
        city_country, lat, lon = CITY_POINTS[city]
        if country is None or country == city_country:
            return AbroadPlace(city_country, city, lat, lon)
        city = None  # a city name inside another country's destination (维多利亚 in 澳大利亚维多利亚州)
    elif city is not None and country is None:
        country = CITIES.get(city)
        city = None
    country = SAME_AS.get(country, country) if country else None
    if country is not None and country in COUNTRY_POINTS:
        lat, lon = COUNTRY_POINTS[country]
        return AbroadPlace(country, None, lat, lon)
    return AbroadPlace(country, None, None, None)
