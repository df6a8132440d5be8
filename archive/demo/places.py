"""Where the demonstration houses stand: counties, townships and villages of the emigrant regions.

The villages are plausible rather than real (a few borrow real names); coordinates are township
centres picked off a map to about a kilometre, so the points fall in the right countryside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Village:
    """A village (or urban community) with the lineages that dominate it."""

    name: str
    code: str
    name_en: str
    lat: float
    lon: float
    lineages: tuple[str, ...]


@dataclass(frozen=True)
class Township:
    """A town (镇) or sub-district (街道)."""

    name: str
    code: str
    name_en: str
    villages: tuple[Village, ...]


@dataclass(frozen=True)
class County:
    """A county-level unit and how many demonstration houses it gets."""

    province: str
    city: str
    name: str  # empty where the city has no county level (Zhongshan)
    code: str
    name_en: str
    old_en: str  # the spelling emigrant families used abroad
    region: str  # wuyi, zhongshan, minnan or tengchong: picks names, destinations and styles
    house_count: int
    townships: tuple[Township, ...]


def _v(name: str, code: str, en: str, lat: float, lon: float, lineages: str) -> Village:
    return Village(name, code, en, lat, lon, tuple(lineages.split()))


GUANGDONG, FUJIAN, YUNNAN = "广东省", "福建省", "云南省"

COUNTIES: tuple[County, ...] = (
    County(
        GUANGDONG,
        "江门市",
        "开平市",
        "KP",
        "Kaiping",
        "Hoiping",
        "wuyi",
        24,
        (
            Township(
                "塘口镇",
                "TK",
                "Tangkou",
                (
                    _v("自力村", "ZL", "Zili Village", 22.3652, 112.5647, "方"),
                    _v("强亚村", "QY", "Qiangya Village", 22.3721, 112.5512, "谢 方"),
                    _v("仓前村", "CQ", "Cangqian Village", 22.3556, 112.5790, "司徒"),
                ),
            ),
            Township(
                "赤坎镇",
                "CK",
                "Chikan",
                (
                    _v("三门里", "SML", "Sanmenli", 22.3228, 112.5981, "关"),
                    _v("永坚村", "YJ", "Yongjian Village", 22.3105, 112.6102, "司徒 关"),
                ),
            ),
            Township(
                "百合镇",
                "BH",
                "Baihe",
                (
                    _v("马降龙村", "MJL", "Majianglong Village", 22.2842, 112.5539, "黄 关"),
                    _v("齐塘村", "QT", "Qitang Village", 22.2710, 112.5701, "胡"),
                ),
            ),
            Township(
                "蚬冈镇", "XG", "Xiangang", (_v("锦江里", "JJL", "Jinjiangli", 22.2689, 112.4512, "黄"),)
            ),
        ),
    ),
    County(
        GUANGDONG,
        "江门市",
        "台山市",
        "TS",
        "Taishan",
        "Toishan",
        "wuyi",
        16,
        (
            Township(
                "端芬镇",
                "DF",
                "Duanfen",
                (
                    _v("梅家村", "MJ", "Meijia Village", 21.9873, 112.7818, "梅"),
                    _v("上泽村", "SZ", "Shangze Village", 21.9702, 112.7950, "伍 梅"),
                ),
            ),
            Township(
                "斗山镇", "DS", "Doushan", (_v("浮石村", "FS", "Fushi Village", 21.9390, 112.7015, "赵"),)
            ),
            Township(
                "海宴镇", "HY", "Haiyan", (_v("五丰村", "WF", "Wufeng Village", 21.8530, 112.6020, "陈 黄"),)
            ),
            Township(
                "冲蒌镇", "CL", "Chonglou", (_v("达德村", "DD", "Dade Village", 22.0891, 112.8477, "李 余"),)
            ),
        ),
    ),
    County(
        GUANGDONG,
        "中山市",
        "",
        "ZS",
        "Zhongshan",
        "Chungshan",
        "zhongshan",
        8,
        (
            Township(
                "南区街道", "NQ", "Nanqu", (_v("马岭村", "ML", "Maling Village", 22.4752, 113.3781, "杨 刘"),)
            ),
            Township(
                "沙溪镇", "SX", "Shaxi", (_v("圣狮村", "SS", "Shengshi Village", 22.5271, 113.3302, "杨"),)
            ),
            Township(
                "南朗街道",
                "NL",
                "Nanlang",
                (_v("左步村", "ZB", "Zuobu Village", 22.4958, 113.5412, "欧阳 郑"),),
            ),
        ),
    ),
    County(
        GUANGDONG,
        "江门市",
        "新会区",
        "XH",
        "Xinhui",
        "Sunwui",
        "wuyi",
        7,
        (
            Township(
                "双水镇",
                "SS",
                "Shuangshui",
                (_v("桥美村", "QM", "Qiaomei Village", 22.4372, 113.0012, "梁"),),
            ),
            Township(
                "会城街道", "HC", "Huicheng", (_v("天马村", "TM", "Tianma Village", 22.5121, 113.0498, "陈"),)
            ),
        ),
    ),
    County(
        GUANGDONG,
        "江门市",
        "恩平市",
        "EP",
        "Enping",
        "Yanping",
        "wuyi",
        6,
        (
            Township(
                "圣堂镇", "ST", "Shengtang", (_v("歇马村", "XM", "Xiema Village", 22.2417, 112.3661, "梁"),)
            ),
            Township("横陂镇", "HP", "Hengpi", (_v("夏村", "XC", "Xiacun", 22.1803, 112.3240, "吴 郑"),)),
        ),
    ),
    County(
        GUANGDONG,
        "江门市",
        "鹤山市",
        "HS",
        "Heshan",
        "Hokshan",
        "wuyi",
        4,
        (
            Township(
                "雅瑶镇", "YY", "Yayao", (_v("昆东村", "KD", "Kundong Village", 22.7301, 112.8512, "陆 李"),)
            ),
        ),
    ),
    County(
        FUJIAN,
        "泉州市",
        "晋江市",
        "JJ",
        "Jinjiang",
        "Chinkiang",
        "minnan",
        8,
        (
            Township(
                "龙湖镇", "LH", "Longhu", (_v("福林村", "FL", "Fulin Village", 24.6632, 118.6401, "许"),)
            ),
            Township(
                "金井镇", "JN", "Jinjing", (_v("塘东村", "TD", "Tangdong Village", 24.5792, 118.6350, "蔡"),)
            ),
        ),
    ),
    County(
        FUJIAN,
        "泉州市",
        "南安市",
        "NA",
        "Nan'an",
        "Lam Oann",
        "minnan",
        5,
        (
            Township(
                "官桥镇", "GQ", "Guanqiao", (_v("漳里村", "ZL", "Zhangli Village", 24.8305, 118.3902, "蔡"),)
            ),
            Township(
                "诗山镇", "SS", "Shishan", (_v("社坛村", "ST", "Shetan Village", 25.1198, 118.3217, "戴 黄"),)
            ),
        ),
    ),
    County(
        FUJIAN,
        "泉州市",
        "鲤城区",
        "LC",
        "Licheng",
        "Chinchew",
        "minnan",
        3,
        (
            Township(
                "江南街道",
                "JN",
                "Jiangnan",
                (_v("亭店社区", "TD", "Tingdian Community", 24.8713, 118.5612, "杨 王"),),
            ),
        ),
    ),
    County(
        YUNNAN,
        "保山市",
        "腾冲市",
        "TC",
        "Tengchong",
        "Tengyueh",
        "tengchong",
        5,
        (
            Township(
                "和顺镇",
                "HS",
                "Heshun",
                (
                    _v("水碓村", "SD", "Shuidui Village", 24.9788, 98.4563, "寸 刘"),
                    _v("十字路村", "SZL", "Shizilu Village", 24.9731, 98.4622, "李 尹 张"),
                ),
            ),
        ),
    ),
)

assert sum(county.house_count for county in COUNTIES) == 86


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """Shift a WGS84 point the way Chinese web maps do (the published GCJ-02 approximation).

    Some survey rows give coordinates read off such maps; writing them shifted lets the importer's
    conversion bring them back onto the real point.
    """
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((a * (1 - ee)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (a / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lon + d_lon
