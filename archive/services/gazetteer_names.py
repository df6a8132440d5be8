"""Established English forms of places and destinations, where plain pinyin is not what readers know.

Keys are names as the catalogue stores them (简体, suffix included where the data has one). County
names keep the spelling emigrant families used abroad beside the pinyin: "Taishan (Toishan)", the
form American and Canadian records, clan associations and most diaspora histories use. Countries
and overseas cities are given their usual English names. Everything not listed here is generated
(see archive.services.gazetteer.generate_en) and staff can correct any entry on the gazetteer page.
"""

from __future__ import annotations

ESTABLISHED: dict[str, str] = {
    # Provinces and prefecture-level cities of the emigrant regions.
    "广东省": "Guangdong", "广东": "Guangdong", "福建省": "Fujian", "福建": "Fujian",
    "云南省": "Yunnan", "云南": "Yunnan", "海南省": "Hainan", "广西壮族自治区": "Guangxi",
    "江门市": "Jiangmen", "江门": "Jiangmen", "泉州市": "Quanzhou", "厦门市": "Xiamen",
    "保山市": "Baoshan", "汕头市": "Shantou", "梅州市": "Meizhou", "广州市": "Guangzhou",
    # The Four Counties (四邑) and their neighbours, with their Cantonese / Taishanese names.
    "台山市": "Taishan (Toishan)", "台山县": "Taishan (Toishan)", "台山": "Taishan (Toishan)",
    "新宁县": "Xinning (Sunning)", "新宁": "Xinning (Sunning)",
    "开平市": "Kaiping (Hoiping)", "开平县": "Kaiping (Hoiping)", "开平": "Kaiping (Hoiping)",
    "新会区": "Xinhui (Sunwui)", "新会县": "Xinhui (Sunwui)", "新会": "Xinhui (Sunwui)",
    "恩平市": "Enping (Yanping)", "恩平县": "Enping (Yanping)", "恩平": "Enping (Yanping)",
    "鹤山市": "Heshan (Hokshan)", "鹤山": "Heshan (Hokshan)",
    "中山市": "Zhongshan (Chungshan)", "中山县": "Zhongshan (Chungshan)", "中山": "Zhongshan (Chungshan)",
    "香山县": "Xiangshan (Heungshan)", "香山": "Xiangshan (Heungshan)",
    "晋江市": "Jinjiang", "南安市": "Nan'an", "鲤城区": "Licheng District", "腾冲市": "Tengchong",
    "腾冲": "Tengchong", "石狮市": "Shishi",
    # Countries and territories.
    "美国": "United States", "加拿大": "Canada", "墨西哥": "Mexico", "古巴": "Cuba", "秘鲁": "Peru",
    "巴拿马": "Panama", "牙买加": "Jamaica", "特立尼达": "Trinidad", "巴西": "Brazil", "智利": "Chile",
    "马来西亚": "Malaysia", "新加坡": "Singapore", "印度尼西亚": "Indonesia", "印尼": "Indonesia",
    "泰国": "Thailand", "越南": "Vietnam", "菲律宾": "Philippines", "缅甸": "Myanmar (Burma)",
    "柬埔寨": "Cambodia", "老挝": "Laos", "澳大利亚": "Australia", "澳洲": "Australia",
    "新西兰": "New Zealand", "英国": "United Kingdom", "法国": "France", "荷兰": "Netherlands",
    "南非": "South Africa", "毛里求斯": "Mauritius", "日本": "Japan", "香港": "Hong Kong",
    "澳门": "Macau", "斐济": "Fiji", "文莱": "Brunei",
    # Overseas cities, with the old names emigrants wrote.
    "旧金山": "San Francisco", "三藩市": "San Francisco", "金山": "San Francisco (Gold Mountain)",
    "纽约": "New York", "洛杉矶": "Los Angeles", "芝加哥": "Chicago", "西雅图": "Seattle",
    "波特兰": "Portland", "檀香山": "Honolulu", "火奴鲁鲁": "Honolulu", "萨克拉门托": "Sacramento",
    "温哥华": "Vancouver", "维多利亚": "Victoria", "域多利": "Victoria", "多伦多": "Toronto",
    "蒙特利尔": "Montreal", "哈瓦那": "Havana", "利马": "Lima", "墨西卡利": "Mexicali",
    "吉隆坡": "Kuala Lumpur", "槟城": "Penang", "怡保": "Ipoh", "马六甲": "Malacca",
    "雅加达": "Jakarta", "巴达维亚": "Batavia", "泗水": "Surabaya", "棉兰": "Medan", "曼谷": "Bangkok",
    "西贡": "Saigon", "马尼拉": "Manila", "宿务": "Cebu", "仰光": "Yangon (Rangoon)",
    "悉尼": "Sydney", "雪梨": "Sydney", "墨尔本": "Melbourne", "新金山": "Melbourne (New Gold Mountain)",
    "奥克兰": "Auckland", "伦敦": "London", "利物浦": "Liverpool", "印度": "India",
    "加尔各答": "Kolkata (Calcutta)", "曼德勒": "Mandalay", "密支那": "Myitkyina", "孟买": "Mumbai (Bombay)",
    # Places whose characters pypinyin reads otherwise than the place is called.
    "马降龙村": "Majianglong Village", "横陂镇": "Hengpi Town",
}
# Destination countries beyond those the search facet knows (archive.services.destinations.COUNTRIES).
MORE_COUNTRIES = ("印度", "斐济", "文莱")

# Administrative suffixes, longest first. County level and above drop theirs (Taishan, Jiangmen,
# Guangdong: how English maps and histories name them); below that the suffix is translated, so a
# reader can tell the town from the village of the same name (Tangkou Town, Zili Village).
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("特别行政区", ""), ("自治区", ""), ("自治州", ""), ("自治县", ""), ("管理区", " District"),
    ("街道办事处", " Subdistrict"), ("街道", " Subdistrict"), ("社区", " Community"), ("居委会", " Community"),
    ("村委会", " Village"), ("省", ""), ("市", ""), ("县", ""), ("区", " District"), ("镇", " Town"),
    ("乡", " Township"), ("村", " Village"),
)
# 里, 坊, 围 and the like are part of a village's name in the emigrant counties (锦江里 Jinjiangli), and
# a one-character stem keeps its suffix too (夏村 Xiacun): both are written as one word.
# Kinds at county level or above, whose suffix (市, 县, 省) is dropped; 区 keeps "District" below a city.
UPPER_KINDS = frozenset({"province", "city", "county"})
