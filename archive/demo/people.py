"""People and places abroad for the demonstration data: surnames, given names, destinations.

Romanised forms follow what each region's emigrants actually used on passports and shop signs:
Taishanese/Cantonese spellings for the Wuyi counties and Zhongshan (Wong, Chan, Szeto, Kwan),
Hokkien for Quanzhou (Tan, Lim, Chua), Mandarin pinyin for Tengchong, whose merchants went to Burma.
"""

from __future__ import annotations

# surname -> (Cantonese/Taishanese spelling, Hokkien spelling, pinyin)
SURNAMES: dict[str, tuple[str, str, str]] = {
    "方": ("Fong", "Hong", "Fang"),
    "谢": ("Tse", "Sia", "Xie"),
    "司徒": ("Szeto", "Suto", "Situ"),
    "关": ("Kwan", "Kuan", "Guan"),
    "黄": ("Wong", "Uy", "Huang"),
    "胡": ("Woo", "Oh", "Hu"),
    "梅": ("Moy", "Mui", "Mei"),
    "伍": ("Ng", "Go", "Wu"),
    "赵": ("Chew", "Tio", "Zhao"),
    "陈": ("Chan", "Tan", "Chen"),
    "李": ("Lee", "Lee", "Li"),
    "余": ("Yee", "Ee", "Yu"),
    "杨": ("Yeung", "Yeo", "Yang"),
    "刘": ("Lau", "Lao", "Liu"),
    "欧阳": ("Au-Yeung", "Auyong", "Ouyang"),
    "郑": ("Cheng", "Tee", "Zheng"),
    "梁": ("Leung", "Nio", "Liang"),
    "吴": ("Ng", "Goh", "Wu"),
    "陆": ("Luk", "Lek", "Lu"),
    "许": ("Hui", "Khoo", "Xu"),
    "蔡": ("Choy", "Chua", "Cai"),
    "戴": ("Tai", "Tay", "Dai"),
    "王": ("Wong", "Ong", "Wang"),
    "寸": ("Tsun", "Chun", "Cun"),
    "尹": ("Wan", "Un", "Yin"),
    "张": ("Cheung", "Teo", "Zhang"),
}

# given names with the spelling a clerk abroad would have written down
GIVEN_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "canto": (
        ("崇昌", "Sung Cheong"),
        ("国良", "Kwok Leung"),
        ("锡荣", "Sik Wing"),
        ("维新", "Wai San"),
        ("汝砺", "Yu Lai"),
        ("炳南", "Bing Nam"),
        ("耀宗", "Yiu Chung"),
        ("卓文", "Cheuk Man"),
        ("兆祥", "Siu Cheung"),
        ("德光", "Tak Kwong"),
        ("振华", "Chun Wah"),
        ("灿庭", "Chan Ting"),
        ("恩荣", "Yan Wing"),
        ("启泰", "Kai Tai"),
        ("伯轩", "Pak Hin"),
        ("玉麟", "Yuk Lun"),
        ("湛秋", "Cham Chau"),
        ("福田", "Fook Tin"),
        ("秉坤", "Bing Kwan"),
        ("文彬", "Man Pan"),
        ("树棠", "Shu Tong"),
        ("家驹", "Ka Kui"),
        ("仕登", "Sze Tang"),
        ("乃炽", "Nai Chi"),
        ("鸿照", "Hung Chiu"),
        ("业昌", "Yip Cheong"),
        ("觉民", "Kok Man"),
        ("道生", "To Sang"),
    ),
    "hokkien": (
        ("清河", "Cheng Ho"),
        ("德美", "Tek Bee"),
        ("文炳", "Bun Peng"),
        ("资生", "Chu Seng"),
        ("子明", "Chu Beng"),
        ("金水", "Kim Chui"),
        ("源兴", "Guan Heng"),
        ("天赐", "Thian Su"),
        ("振华", "Chin Hua"),
        ("国瑞", "Kok Sui"),
        ("希平", "Hi Peng"),
        ("允恭", "Un Kiong"),
    ),
    "mandarin": (
        ("庆余", "Qingyu"),
        ("品珍", "Pinzhen"),
        ("树勋", "Shuxun"),
        ("如玺", "Ruxi"),
        ("蕴山", "Yunshan"),
        ("友德", "Youde"),
        ("宝书", "Baoshu"),
        ("恩荣", "Enrong"),
    ),
}

ROMANISATION = {"wuyi": 0, "zhongshan": 0, "minnan": 1, "tengchong": 2}
GIVEN_STYLE = {"wuyi": "canto", "zhongshan": "canto", "minnan": "hokkien", "tengchong": "mandarin"}

# (Chinese as surveyors write it, English, country in Chinese)
DESTINATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "wuyi": (
        ("美国旧金山", "San Francisco"),
        ("美国纽约", "New York"),
        ("美国芝加哥", "Chicago"),
        ("美国萨克拉门托", "Sacramento"),
        ("加拿大温哥华", "Vancouver"),
        ("加拿大维多利亚", "Victoria, BC"),
        ("加拿大多伦多", "Toronto"),
        ("古巴哈瓦那", "Havana"),
        ("秘鲁利马", "Lima"),
        ("墨西哥", "Mexico"),
        ("澳大利亚悉尼", "Sydney"),
        ("澳大利亚墨尔本", "Melbourne"),
        ("新西兰", "New Zealand"),
        ("马来西亚吉隆坡", "Kuala Lumpur"),
        ("新加坡", "Singapore"),
        ("香港", "Hong Kong"),
        ("美国", "the United States"),
        ("加拿大", "Canada"),
    ),
    "zhongshan": (
        ("美国檀香山", "Honolulu"),
        ("澳大利亚悉尼", "Sydney"),
        ("澳大利亚墨尔本", "Melbourne"),
        ("斐济", "Fiji"),
        ("美国旧金山", "San Francisco"),
        ("香港", "Hong Kong"),
        ("秘鲁利马", "Lima"),
        ("澳门", "Macau"),
    ),
    "minnan": (
        ("菲律宾马尼拉", "Manila"),
        ("菲律宾宿务", "Cebu"),
        ("印度尼西亚泗水", "Surabaya"),
        ("印度尼西亚巴达维亚", "Batavia"),
        ("新加坡", "Singapore"),
        ("马来西亚槟城", "Penang"),
        ("缅甸仰光", "Rangoon"),
        ("越南西贡", "Saigon"),
        ("马来西亚", "Malaya"),
    ),
    "tengchong": (
        ("缅甸曼德勒", "Mandalay"),
        ("缅甸仰光", "Rangoon"),
        ("缅甸密支那", "Myitkyina"),
        ("泰国曼谷", "Bangkok"),
        ("印度加尔各答", "Calcutta"),
        ("缅甸", "Burma"),
    ),
}

COUNTRIES = (
    "美国", "加拿大", "古巴", "秘鲁", "墨西哥", "澳大利亚", "新西兰", "马来西亚", "新加坡", "菲律宾",
    "印度尼西亚", "缅甸", "越南", "泰国", "印度", "斐济",
)  # fmt: skip

# what the emigrants did abroad, zh and en
TRADES: dict[str, tuple[tuple[str, str], ...]] = {
    "wuyi": (
        ("开洗衣馆", "ran a laundry"),
        ("经营杂货店", "kept a grocery"),
        ("开餐馆", "ran a restaurant"),
        ("在农场做工", "worked on a farm"),
        ("经营药材铺", "kept a herbal medicine shop"),
        ("做裁缝", "worked as a tailor"),
    ),
    "zhongshan": (
        ("经营百货公司", "ran a department store"),
        ("种植甘蔗", "grew sugar cane"),
        ("开果栏", "ran a fruit wholesale business"),
        ("经营杂货店", "kept a grocery"),
    ),
    "minnan": (
        ("经营布庄", "ran a cloth business"),
        ("经营米较", "ran a rice mill"),
        ("开办侨批局", "ran a remittance house"),
        ("经营木材", "traded timber"),
        ("经营橡胶园", "ran a rubber estate"),
    ),
    "tengchong": (
        ("经营玉石", "traded jade"),
        ("经营棉纱", "traded cotton yarn"),
        ("开设商号", "ran a trading house"),
        ("经营马帮", "ran a caravan business"),
    ),
}

TRADE_NOUNS = {
    "ran a laundry": "laundryman",
    "kept a grocery": "grocer",
    "ran a restaurant": "restaurant keeper",
    "worked on a farm": "farm labourer",
    "kept a herbal medicine shop": "herbalist",
    "worked as a tailor": "tailor",
    "ran a department store": "merchant",
    "grew sugar cane": "planter",
    "ran a fruit wholesale business": "merchant",
    "ran a cloth business": "merchant",
    "ran a rice mill": "miller",
    "ran a remittance house": "merchant",
    "traded timber": "merchant",
    "ran a rubber estate": "planter",
    "traded jade": "jade merchant",
    "traded cotton yarn": "merchant",
    "ran a trading house": "merchant",
    "ran a caravan business": "trader",
}

# heirs abroad: Chinese given name, the English name they use, the Spanish one in Cuba, Peru, Mexico
GIVEN_FOR_HEIRS = (
    ("伟明", "Raymond", "Ramón"), ("志强", "Stanley", "José"), ("美玲", "Margaret", "Margarita"),
    ("家豪", "Henry", "Enrique"), ("丽华", "Linda", "Rosa"), ("国栋", "Gordon", "Manuel"),
    ("淑贞", "Irene", "Irene"), ("建华", "Kenneth", "Antonio"), ("惠芳", "Helen", "Elena"),
    ("振邦", "Victor", "Víctor"), ("雪英", "Eleanor", "María"), ("汉文", "Edmund", "Eduardo"),
)  # fmt: skip
HISPANIC_COUNTRIES = ("古巴", "秘鲁", "墨西哥")

CONTRACTORS = ("香港美璋建筑公司", "赤坎泰记建造厂", "台城广泰隆营造", "澳门永安建筑", "本乡泥水匠陈师傅")
REMITTANCE_HOUSES = {
    "wuyi": ("香港永和隆银号", "台城同昌批局", "赤坎广裕隆", "香港万丰行"),
    "zhongshan": ("香港永和隆银号", "石岐裕昌银号", "澳门德成按"),
    "minnan": ("厦门天一信局", "泉州锦昌批局", "马尼拉建南信局"),
    "tengchong": ("仰光永茂和商号", "瓦城洪盛祥", "腾冲三成号"),
}
PHONE_AREAS = {
    "旧金山": "415",
    "萨克拉门托": "916",
    "纽约": "212",
    "芝加哥": "312",
    "檀香山": "808",
    "温哥华": "604",
    "维多利亚": "250",
    "多伦多": "416",
    "美国": "415",
    "加拿大": "604",
}
CURRENCIES = {"wuyi": "港币", "zhongshan": "港币", "minnan": "国币", "tengchong": "卢比"}


def romanise(surname: str, region: str) -> str:
    """The spelling of a surname as the region's emigrants wrote it."""
    return SURNAMES[surname][ROMANISATION[region]]
