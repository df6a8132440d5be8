"""More record templates: inscriptions, survey notes, news reports, other items, and the private ones.

Private templates carry what must never reach the public (owners' phone numbers, where keys and
valuables are kept, ownership disputes); each ends with 本条仅限内部查阅 so a leak is easy to spot.
"""

from __future__ import annotations

from archive.demo.record_texts import Template

INSCRIPTIONS = (
    Template(
        "碑刻",
        "{house}楼名石匾",
        "楼名石匾嵌于正门上方，花岗岩质，阳刻楷书“{house}”{name_len}字，",
        (
            "上款“{built_phrase}季春吉旦”，下款“{given}立”。",
            "匾四周饰以卷草纹，字口原贴金箔，现大部脱落。",
            "书者不详，村人相传为{county}一位前清秀才所书，润笔费由{given}从{dest}寄回。",
        ),
        "（现场抄录）",
        date="built",
        source="现场抄录",
    ),
    Template(
        "碑刻",
        "{house}门联",
        "正门两侧石刻对联：上联“{couplet1}”，下联“{couplet2}”，横批“{house}”。",
        (
            "联为行书，落款“{family}{given}敬书”。",
            "联语寄寓旅外乡人思念故土之情，村中老人至今能诵。",
            "上联首字与下联首字嵌入楼主父母名讳，为侨乡门联常见做法。",
        ),
        "",
        date="none",
        source="现场抄录",
    ),
    Template(
        "碑刻",
        "重修{village_short}更楼碑记",
        "重修更楼碑记：本村更楼年久失修，{built_phrase}，旅{dest}乡亲{builder}倡议重修，众皆响应。",
        (
            "今将捐款芳名列左：{builder}捐{currency}{amount}元，{c1}捐{currency}{part}元，",
            "{c2}、{c3}各捐{currency}五十元，其余乡亲捐款不及备载。",
            "工竣勒石，以志不忘。",
        ),
        "",
        date="built",
        source="现场抄录",
    ),
    Template(
        "碑刻",
        "{house}奠基石",
        "奠基石位于楼体东南角墙脚，高约{h}厘米，宽约{w}厘米，",
        (
            "刻“{family}{given}奠基”及“{built_phrase}”字样，",
            "字体为魏碑，刻工精细，保存完好。",
            "据村中老人说，奠基时曾在石下埋入当年的报纸、钱币和五谷，以求吉利。",
        ),
        "",
        date="built",
        source="现场抄录",
    ),
)

SURVEY_NOTES = {
    "A": ("主体结构完好，墙身无明显裂缝。", "屋面防水层近年翻新，无渗漏。", "门窗、铁闸完整，定期开窗通风。"),
    "B": (
        "东北角女儿墙有竖向裂缝一道，宽约{mm}毫米。",
        "外墙批荡局部空鼓脱落，面积约{area}平方米。",
        "部分木窗扇缺失，已用木板临时封堵。",
    ),
    "C": (
        "二层木楼板有白蚁蛀蚀痕迹，踩踏有明显挠度。",
        "屋面渗漏，天花霉变，局部钢筋外露锈蚀。",
        "墙根有榕树根系侵入，须尽快清除。",
    ),
    "D": (
        "西侧墙体贯通裂缝宽达{mm2}毫米，楼体略向东倾斜。",
        "三楼楼板局部塌落，楼梯不能上人。",
        "已在门口张贴危房警示，建议立即加固或临时支撑。",
    ),
}

SURVEYS = (
    Template(
        "调查记录",
        "现场调查记录",
        "调查人：{surveyor}、{surveyor2}。{house}为{storeys_zh}层{structure}，坐{facing}。",
        ("{note1}", "{note2}", "{note3}", "拍摄照片{n}张，测绘平面草图一份。"),
        "建议：{advice}",
        date="survey",
        source="侨房普查表",
    ),
    Template(
        "调查记录",
        "白蚁与渗漏专项检查",
        "检查人：{surveyor}。重点检查木构件、屋面及排水。",
        ("{note2}", "{note3}", "天台排水口有淤塞，已现场清理。"),
        "建议：{advice}",
        date="survey",
        source="专项检查记录",
    ),
    Template(
        "调查记录",
        "结构安全评估摘要",
        "受{county}文物部门委托，对{house}进行结构安全评估。",
        ("{note1}", "{note2}", "经评定，该楼危房等级为{condition}级。"),
        "评估单位：{county}建筑设计院（示范）。",
        date="survey",
        source="结构安全评估报告",
    ),
)

ADVICE = {
    "A": "维持现状，每半年巡查一次，定期开窗通风。",
    "B": "修补开裂墙体与批荡，补配缺失窗扇，清理屋面排水。",
    "C": "尽快进行白蚁防治，雨季前完成屋面防水，清除墙根植物。",
    "D": "设置临时支撑，禁止人员入内，尽早编制抢修方案。",
}

NEWS = (
    Template(
        "报道",
        "{outlet}：旅{dest_short}乡亲捐资修复{house}",
        "本报讯 日前，旅居{dest}的{family}氏后人{heir}回到{county}{village}，",
        (
            "与当地签订协议，捐资{amount3}万元修复祖辈留下的{house}。",
            "{house}建于{built_phrase}，是{village}现存较为完整的{style_noun}之一。",
            "{heir}表示，希望修好的老屋能让更多年轻人了解华侨先辈的奋斗历史。",
        ),
        "（记者 {reporter}）",
        date="news",
        source="{outlet}",
    ),
    Template(
        "报道",
        "{outlet}：{county}启动侨房托管工作",
        "为保护散落乡间的华侨旧居，{county}近日启动新一轮侨房托管工作，",
        (
            "首批托管的房屋中包括{village}的{house}。",
            "托管期间由政府出资修缮并开放参观，产权仍归华侨业主所有。",
            "据统计，全市仍有大量侨房长期空置，部分已成危房。",
        ),
        "",
        date="news",
        source="{outlet}",
    ),
    Template(
        "报道",
        "{outlet}：古村里的“{house}”",
        "走进{village}，远远便能望见{house}。",
        (
            "这座{storeys_zh}层的{style_noun}由旅{dest}华侨{builder}所建，",
            "当年从外洋运回的建材、铁门至今仍在。",
            "村民说，楼里曾住过三代人，如今只剩下看楼的老人。",
            "近年来，不少游客和摄影爱好者慕名而来，村里也开始谋划把老屋修好，讲好侨乡故事。",
        ),
        "",
        date="news",
        source="{outlet}",
    ),
)

OTHER = (
    Template(
        "其他",
        "{house}老照片说明",
        "黑白照片一张，约摄于{photo_year}年，",
        (
            "画面为{house}落成时全家在门前合影，前排坐者为{given}夫妇，后排为子侄及乡中亲友共十余人。",
            "照片背面有毛笔字“寄{dest_short}留念”，并钤有{county}照相馆印章。",
            "相中楼体外墙尚未批荡，天台栏杆与今日所见略有不同，可作修缮参考。",
        ),
        "原件由{family}氏后人保存。",
        date="photo",
        source="{family}氏后人提供翻拍件",
    ),
    Template(
        "其他",
        "{house}室内陈设清单",
        "{sdate_text}清点：",
        (
            "酸枝木八仙桌一张、太师椅四张；",
            "西洋座钟一座（已停摆）；",
            "铁皮夹万一个；",
            "神楼一座，祖先牌位{n}块；",
            "另有旧式留声机一部、铁床两张、樟木箱三只，箱内存旧衣物及书信若干，未逐件清点。",
        ),
        "",
        date="survey",
        source="现场清点记录",
    ),
    Template(
        "其他",
        "{builder}回乡证资料（抄件）",
        "回乡证持证人：{builder}，籍贯{county}{village}，侨居地{dest}。",
        (
            "证件签发于{letter_year}年，",
            "内附照片一张，为中年男子，西装领带。",
            "证上注明“携眷二人”，出入境印章分别盖于香港及{dest_short}，可据此推知其往返行程。",
        ),
        "抄件由{family}氏后人提供。",
        date="none",
        source="{family}氏后人提供",
    ),
)

PRIVATE = (
    Template(
        "调查记录",
        "屋内文物清点（内部）",
        "屋内尚存族谱原件一册、地契{n}张、侨批{n2}封，",
        ("另有酸枝家具若干，现锁于二楼东房。", "钥匙由看楼人{keeper}保管，联系电话{phone}。"),
        "鉴于近年乡间盗窃古物频发，本条仅限内部查阅。",
        date="survey",
        source="内部清点记录",
        private=True,
    ),
    Template(
        "文书",
        "{house}产权情况（内部）",
        "经核查，{house}产权登记在{builder}名下，现由{family}氏{n_zh}房后人共有。",
        (
            "其中旅{dest}的{heir}（{heir_abroad}）持有原始屋契，",
            "在乡一房对托管有不同意见，尚在协商。",
            "{heir}联系方式：{phone}。",
        ),
        "涉及个人信息及家庭纠纷，本条仅限内部查阅。",
        date="survey",
        source="产权核查记录",
        private=True,
    ),
    Template(
        "口述",
        "后人联系记录（内部）",
        "{sdate_text}与{family}氏后人{heir}（{heir_abroad}，现居{dest}）电话联系。",
        ("对方同意提供老照片及家书扫描件，", "但要求不公开家族成员姓名与现住址。", "联系电话：{phone}。"),
        "本条仅限内部查阅。",
        date="survey",
        source="工作记录",
        private=True,
    ),
    Template(
        "其他",
        "被盗情况记录（内部）",
        "{theft_year}年春节期间，{house}遭人撬门入室，",
        (
            "满洲窗被撬走两扇，神楼木雕构件失窃。",
            "已报{township}派出所，尚未破案。",
            "现大门已加装铁锁，由{keeper}每日巡看。",
        ),
        "为免再次失窃，本条仅限内部查阅。",
        date="theft",
        source="工作记录",
        private=True,
    ),
)

COUPLETS = (
    ("旅外不忘桑梓地", "归来犹是读书人"),
    ("金山万里寄乡思", "瑞气千秋护华堂"),
    ("门对青山千古秀", "家藏诗书万卷香"),
    ("创业维艰思祖德", "守成不易念亲恩"),
    ("积善之家庆有余", "读书之门福长存"),
)
NEWS_OUTLETS = ("《侨乡时报》", "《五邑侨刊》", "《岭南遗产周刊》", "《泉南侨讯》", "《和顺侨乡》")
