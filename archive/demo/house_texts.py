"""Vocabulary for the demonstration houses: name stems, styles, uses, and the phrases of summaries."""

from __future__ import annotations

# auspicious two-character names of the kind carved over doorways, with their pinyin
NAME_STEMS: tuple[tuple[str, str], ...] = (
    ("铭石", "Mingshi"),
    ("云幻", "Yunhuan"),
    ("居安", "Ju'an"),
    ("逸农", "Yinong"),
    ("振安", "Zhen'an"),
    ("瑞云", "Ruiyun"),
    ("翼云", "Yiyun"),
    ("叶生", "Yesheng"),
    ("养闲", "Yangxian"),
    ("竹林", "Zhulin"),
    ("耀华", "Yaohua"),
    ("毓培", "Yupei"),
    ("观澜", "Guanlan"),
    ("望月", "Wangyue"),
    ("迎龙", "Yinglong"),
    ("镇南", "Zhennan"),
    ("光裕", "Guangyu"),
    ("德馨", "Dexin"),
    ("怡安", "Yi'an"),
    ("宁远", "Ningyuan"),
    ("颐和", "Yihe"),
    ("绍德", "Shaode"),
    ("敦本", "Dunben"),
    ("树德", "Shude"),
    ("勤俭", "Qinjian"),
    ("昌大", "Changda"),
    ("锦华", "Jinhua"),
    ("燕贻", "Yanyi"),
    ("怀远", "Huaiyuan"),
    ("思亲", "Siqin"),
    ("慕乡", "Muxiang"),
    ("念祖", "Nianzu"),
    ("启明", "Qiming"),
    ("兴华", "Xinghua"),
    ("耕读", "Gengdu"),
    ("退思", "Tuisi"),
    ("挹翠", "Yicui"),
    ("听涛", "Tingtao"),
    ("映碧", "Yingbi"),
    ("凌霄", "Lingxiao"),
    ("腾云", "Tengyun"),
    ("骏德", "Junde"),
    ("崇德", "Chongde"),
    ("厚德", "Houde"),
    ("乐善", "Leshan"),
    ("宝善", "Baoshan"),
    ("积善", "Jishan"),
    ("仁寿", "Renshou"),
    ("长春", "Changchun"),
    ("晚香", "Wanxiang"),
    ("馥兰", "Fulan"),
    ("守望", "Shouwang"),
    ("福荫", "Fuyin"),
    ("联芳", "Lianfang"),
    ("桂馥", "Guifu"),
    ("松鹤", "Songhe"),
    ("竹溪", "Zhuxi"),
    ("澄碧", "Chengbi"),
    ("紫云", "Ziyun"),
    ("步云", "Buyun"),
    ("鸿禧", "Hongxi"),
    ("景星", "Jingxing"),
    ("日升", "Risheng"),
    ("天禄", "Tianlu"),
    ("永宁", "Yongning"),
    ("泰安", "Tai'an"),
    ("康宁", "Kangning"),
    ("春晖", "Chunhui"),
    ("安庆", "Anqing"),
    ("继志", "Jizhi"),
)

# shop names for arcade buildings (骑楼)
SHOP_STEMS: tuple[tuple[str, str], ...] = (
    ("广昌", "Guangchang"),
    ("同兴隆", "Tongxinglong"),
    ("裕生", "Yusheng"),
    ("永和", "Yonghe"),
    ("泰来", "Tailai"),
    ("万昌", "Wanchang"),
    ("合兴", "Hexing"),
    ("公和", "Gonghe"),
)

STYLES = ("碉楼", "庐", "骑楼", "洋楼", "中西合璧", "三间两廊")
STYLE_EN = {
    "碉楼": "diaolou tower",
    "庐": "villa",
    "骑楼": "arcade shop house",
    "洋楼": "Western-style house",
    "中西合璧": "house in mixed Chinese and Western style",
    "三间两廊": "three-bay, two-corridor house",
}
STYLE_NOUN_ZH = {
    "碉楼": "碉楼",
    "庐": "庐居",
    "骑楼": "骑楼",
    "洋楼": "洋楼",
    "中西合璧": "中西合璧式宅第",
    "三间两廊": "三间两廊式民居",
}
# style weights per region
STYLE_WEIGHTS: dict[str, dict[str, int]] = {
    "wuyi": {"碉楼": 10, "庐": 8, "骑楼": 2, "洋楼": 3, "中西合璧": 3, "三间两廊": 2},
    "zhongshan": {"碉楼": 1, "庐": 2, "骑楼": 2, "洋楼": 3, "中西合璧": 3, "三间两廊": 1},
    "minnan": {"洋楼": 4, "中西合璧": 5, "骑楼": 1, "三间两廊": 1},
    "tengchong": {"中西合璧": 4, "洋楼": 1, "三间两廊": 1},
}
STOREYS = {
    "碉楼": (3, 7),
    "庐": (2, 4),
    "骑楼": (2, 3),
    "洋楼": (2, 4),
    "中西合璧": (1, 3),
    "三间两廊": (1, 2),
}
MATERIALS: dict[str, tuple[str, ...]] = {
    "碉楼": ("钢筋混凝土", "钢筋混凝土", "青砖", "青砖、钢筋混凝土楼板", "夯土", "花岗岩"),
    "庐": ("钢筋混凝土", "青砖、钢筋混凝土", "砖混结构"),
    "骑楼": ("砖木结构", "钢筋混凝土", "青砖、木楼板"),
    "洋楼": ("钢筋混凝土", "红砖、花岗岩", "砖混结构"),
    "中西合璧": ("青砖、钢筋混凝土", "红砖、花岗岩", "火山石、木构", "砖木结构"),
    "三间两廊": ("青砖", "青砖、木构", "夯土、青砖"),
}
TENGCHONG_MATERIALS = ("火山石、木构", "青砖、木构", "土木结构")

PROTECTION_LEVELS = (
    "全国重点文物保护单位",
    "省级文物保护单位",
    "市县级文物保护单位",
    "历史建筑",
    "不可移动文物",
    "未定级",
)
PROTECTION_WEIGHTS = (3, 4, 10, 18, 20, 31)

CURRENT_USES: dict[str, str] = {
    "空置": "vacant",
    "自住": "lived in by the family",
    "出租": "let to tenants",
    "托管开放参观": "held in trust and open to visitors",
    "景区展示": "shown as part of a scenic area",
    "商铺": "used as a shop",
    "仓储": "used for storage",
    "闲置待修": "unused and awaiting repair",
    "村史馆": "the village history room",
    "民宿": "a guesthouse",
}
USE_PHRASES_ZH = {
    "空置": "现空置",
    "自住": "现仍由后人居住",
    "出租": "现出租他人居住",
    "托管开放参观": "现已托管并开放参观",
    "景区展示": "现作景区展示",
    "商铺": "现作商铺使用",
    "仓储": "现作仓库",
    "闲置待修": "现闲置待修",
    "村史馆": "现辟为村史馆",
    "民宿": "现改作民宿",
}
CUSTODY: dict[str, str] = {
    "已托管": "the owners have placed it in the custody of the local government",
    "未托管": "it has not been placed in custody",
    "华侨委托亲属看管": "relatives in the village look after it for the family abroad",
    "村委会代管": "the village committee manages it",
    "景区公司托管": "the scenic-area company holds it in trust",
    "认养修缮": "a sponsor has adopted it for repair",
}

# (zh, en) features by style
FEATURES: dict[str, tuple[tuple[str, str], ...]] = {
    "碉楼": (
        (
            "楼顶四角悬挑燕子窝，墙身遍布枪眼",
            "corner turrets (swallow's nests) jut from the roof and gun loops pierce every wall",
        ),
        ("顶层为爱奥尼柱廊，上覆穹顶凉亭", "the top floor carries an Ionic loggia under a domed pavilion"),
        (
            "铁门、铁窗保存完整，门楣刻有楼名",
            "its iron doors and shutters survive and the name is carved over the door",
        ),
        (
            "原为更楼，兼作全村防匪避洪之用",
            "it served the village as a watchtower and a refuge from bandits and floods",
        ),
        ("楼内保存有当年的铁皮夹万与探照灯", "an iron safe and a searchlight of the period remain inside"),
    ),
    "庐": (
        ("正立面有三层券廊，上承巴洛克山花", "three tiers of arcaded verandas rise to a baroque gable"),
        (
            "室内保留彩色花砖地面与满洲窗",
            "coloured floor tiles and Manchurian stained-glass windows survive inside",
        ),
        ("屋顶天台设宝瓶栏杆，四角立望柱", "a balustrade of vase-shaped balusters rings the roof terrace"),
        (
            "门廊立罗马柱，檐下有灰塑花草",
            "Roman columns stand at the porch and plaster flowers run under the eaves",
        ),
    ),
    "骑楼": (
        (
            "首层为连续券廊，山花上灰塑商号",
            "arches run along the ground floor and the shop's name is moulded in the gable",
        ),
        ("前铺后居，楼上原为店主家居", "the shop was in front and the family lived upstairs and behind"),
    ),
    "洋楼": (
        (
            "红砖清水墙配花岗岩勒脚，外廊宽敞",
            "fair-faced red brick rises from a granite plinth behind a deep veranda",
        ),
        ("平面方正，中厅通高，四面开窗", "a square plan with a double-height hall and windows on all sides"),
    ),
    "中西合璧": (
        (
            "前为传统硬山顶合院，后建西式楼房",
            "a gabled courtyard house stands in front of a Western-style block",
        ),
        (
            "屋脊为中式燕尾脊，门窗却用西式拱券",
            "swallow-tail ridges crown a house whose doors and windows have Western arches",
        ),
        ("石雕、木雕与进口彩色玻璃并存", "stone and wood carving sit beside imported coloured glass"),
    ),
    "三间两廊": (
        (
            "为典型三间两廊布局，青砖墙、灰塑博古脊",
            "the classic three-bay, two-corridor plan with grey brick and a moulded ridge",
        ),
        (
            "厅堂悬挂祖先画像与侨眷合影",
            "ancestor portraits and photographs of the family abroad hang in the hall",
        ),
    ),
}

# (zh, en) state sentences by condition grade
STATES: dict[str, tuple[tuple[str, str], ...]] = {
    "A": (
        ("整体保存完好", "It is well preserved"),
        ("2018年经全面修缮，保存完好", "It was fully restored in 2018"),
    ),
    "B": (
        ("主体结构完好，局部墙面批荡剥落", "The structure is sound though render is flaking in places"),
        ("主体基本完好，门窗有缺损", "The structure is largely sound but doors and windows are damaged"),
    ),
    "C": (
        ("屋面渗漏，木楼板有白蚁蛀蚀", "The roof leaks and termites have attacked the timber floors"),
        ("外墙出现裂缝，植物根系侵入墙体", "The walls are cracked and roots are growing into them"),
    ),
    "D": (
        ("楼体开裂严重，已列为危房，禁止入内", "It is badly cracked, listed as dangerous and closed"),
        ("屋顶局部坍塌，亟待抢修", "Part of the roof has fallen in and it needs urgent repair"),
    ),
}

ADDRESS_TAILS = (
    "东和里{n}号",
    "新村路{n}号",
    "村后山边",
    "村口",
    "西便巷{n}号",
    "中街{n}号",
    "安和里{n}巷",
    "大塘边",
)
ALIAS_PATTERNS = (
    "{family}家大屋",
    "{given}楼",
    "{family}家碉楼",
    "番鬼楼",
    "红楼",
    "{builder}旧居",
    "{village}{n}号楼",
)
