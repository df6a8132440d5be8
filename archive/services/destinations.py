"""Overseas destinations as written (美国旧金山, 加拿大; 吉隆坡, Gold Mountain) -> the country, for facets."""

from __future__ import annotations

from opencc import OpenCC

_t2s = OpenCC("t2s")

COUNTRIES = (
    "美国", "加拿大", "墨西哥", "古巴", "秘鲁", "巴拿马", "牙买加", "特立尼达", "巴西", "智利",
    "马来西亚", "新加坡", "印度尼西亚", "印尼", "泰国", "越南", "菲律宾", "缅甸", "柬埔寨", "老挝",
    "澳大利亚", "澳洲", "新西兰", "英国", "法国", "荷兰", "南非", "毛里求斯", "日本", "香港", "澳门",
)
SAME_AS = {"印尼": "印度尼西亚", "澳洲": "澳大利亚"}
# Cities and old names people write without the country.
CITIES = {
    "旧金山": "美国", "金山": "美国", "三藩市": "美国", "纽约": "美国", "洛杉矶": "美国", "芝加哥": "美国",
    "西雅图": "美国", "波特兰": "美国", "檀香山": "美国", "火奴鲁鲁": "美国", "萨克拉门托": "美国",
    "温哥华": "加拿大", "维多利亚": "加拿大", "多伦多": "加拿大", "蒙特利尔": "加拿大", "域多利": "加拿大",
    "哈瓦那": "古巴", "利马": "秘鲁", "墨西卡利": "墨西哥",
    "吉隆坡": "马来西亚", "槟城": "马来西亚", "怡保": "马来西亚", "马六甲": "马来西亚",
    "雅加达": "印度尼西亚", "泗水": "印度尼西亚", "棉兰": "印度尼西亚", "曼谷": "泰国", "西贡": "越南",
    "马尼拉": "菲律宾", "仰光": "缅甸", "悉尼": "澳大利亚", "雪梨": "澳大利亚", "墨尔本": "澳大利亚",
    "新金山": "澳大利亚", "奥克兰": "新西兰", "伦敦": "英国", "利物浦": "英国",
}
ENGLISH = {
    "usa": "美国", "america": "美国", "united states": "美国", "san francisco": "美国", "gold mountain": "美国",
    "new york": "美国", "honolulu": "美国", "canada": "加拿大", "vancouver": "加拿大", "victoria": "加拿大",
    "cuba": "古巴", "peru": "秘鲁", "mexico": "墨西哥", "malaysia": "马来西亚", "malaya": "马来西亚",
    "kuala lumpur": "马来西亚", "penang": "马来西亚", "singapore": "新加坡", "indonesia": "印度尼西亚",
    "australia": "澳大利亚", "sydney": "澳大利亚", "melbourne": "澳大利亚", "new zealand": "新西兰",
    "thailand": "泰国", "vietnam": "越南", "philippines": "菲律宾", "burma": "缅甸", "hong kong": "香港",
}


def country_of(destination: str) -> str | None:
    """The country a destination lies in, in simplified Chinese, or None when unknown."""
    text = _t2s.convert(destination.strip())
    for country in COUNTRIES:
        if text.startswith(country):
            return SAME_AS.get(country, country)
    # Longest city name first: 新金山 (Melbourne) before 金山 (San Francisco).
    for city in sorted(CITIES, key=len, reverse=True):
        if city in text:
            return CITIES[city]
    lowered = text.casefold()
    for name, country in ENGLISH.items():
        if name in lowered:
            return country
    return None


def countries(destinations: list[str]) -> list[str]:
    found: list[str] = []
    for destination in destinations:
        country = country_of(destination)
        if country and country not in found:
            found.append(country)
    return found
