"""Templates for the information items (records) in Chinese: oral histories, documents, letters, genealogies.

A template's body is its head, some of its middle sentences (in order) and its tail, filled from the
house's facts. `date` names the kind of date the record carries (see `archive.demo.records`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """One shape of record: title and body patterns, what date it carries, where it came from."""

    kind: str
    title: str
    head: str
    middles: tuple[str, ...] = ()
    tail: str = ""
    date: str = "interview"
    source: str = ""
    private: bool = False
    regions: tuple[str, ...] = ()  # regions or county codes it fits; empty: anywhere


ORAL = (
    Template(
        "口述",
        "{informant}口述：{house}的建造",
        "据{village}村民{informant}（{age}岁）回忆：",
        (
            "{house}是{given}从{dest}寄钱回来起的，前后用了两三年，水泥、钢筋都是从香港经江门运来，再用船撑到村口。",
            "那时请的是{contractor}，工钱按日计，村里后生仔都去帮手挑砖。",
            "楼名是请镇上的老先生写的，刻字的石匠是本村人，做了一个多月。",
            "听老人讲，{given}回乡时带了一部留声机、一台缝衣车，还有一只西洋钟，全村人都来看。",
            "楼起好后，{given}的老婆和两个仔在这里住，每月等侨批，批脚一来，大家都围过来。",
        ),
        "（{surveyor}记录整理）",
        source="{iyear}年田野访谈录音",
        regions=("wuyi", "zhongshan"),
    ),
    Template(
        "口述",
        "{informant}口述：{given}起屋",
        "据{village}村民{informant}（{age}岁）回忆：",
        (
            "{given}年轻时去{dest}{trade}，攒下钱后回乡起了{house}。",
            "石料就近开采，砖瓦从本地窑场运来，门窗玻璃和花砖却是从外洋托商号带回的。",
            "屋子落成那天摆了三天酒席，请了戏班，四乡的人都来看热闹。",
            "{given}的子孙后来大多也出了洋，逢年过节寄钱回来修祠堂、办学校。",
        ),
        "（{surveyor}记录整理）",
        source="{iyear}年田野访谈录音",
        regions=("minnan", "tengchong"),
    ),
    Template(
        "口述",
        "{informant}口述：土匪与日军来时",
        "受访人{informant}，{age}岁，自幼在{village}长大。据其回忆：",
        (
            "那时候乡下土匪多，晚上一有动静，全村妇孺就躲进{house}，男人在楼顶燕子窝放枪。",
            "有一年土匪半夜来围村，打了一夜，楼上用探照灯照住村口，土匪不敢近前，天光就走了。",
            "日本仔来的那年，楼里住了十几户人，米缸都搬上了三楼，铁门关了半个月。",
            "后来侨汇断了，家家都困难，有人卖田卖屋，{family}家靠{dest}偶尔托人带回来的钱才捱过去。",
        ),
        "访谈时间{idate}。",
        source="{iyear}年田野访谈录音",
        regions=("wuyi", "zhongshan"),
    ),
    Template(
        "口述",
        "看楼人{keeper}口述：{house}近况",
        "看楼人{keeper}（{age}岁）说：",
        (
            "屋主一家早年都去了{dest}，钥匙一直放在我这里，逢年过节开门通风，上香拜祖先。",
            "前几年{heir}回来过一次，带着孙子，在门口拍了好多照片。",
            "雨季最怕屋顶漏水，天台排水口常常堵塞，我每个月上去清一次。",
            "近年有人来问买楼，屋主说过不卖，要留给后人做个念想。",
        ),
        "",
        source="{iyear}年田野访谈",
    ),
    Template(
        "口述",
        "{family}氏后人{heir}访谈：祖父{given}的{dest_short}岁月",
        "受访人：{heir}（{heir_abroad}，{family}氏后人，现居{dest}）。访谈时间：{idate}。",
        (
            "我祖父{given}十七岁跟乡亲去{dest}，先在亲戚的店里打杂，后来{trade}，一做就是三十年。",
            "他只回过乡两次，一次娶亲，一次起屋。屋子起好后他又返回{dest}，再没有回来住过。",
            "家里还留着他当年的护照和几封家书，信封上写的地址是“{county}{township}{village}”。",
            "小时候听父亲讲，祖父最大的心愿是全家人回乡住进{house}，可惜没有实现。",
            "我们兄弟姐妹商量过，愿意把屋子交给政府托管修缮，只要保留原来的样子。",
        ),
        "（电话访谈，{surveyor}整理）",
        source="{iyear}年电话访谈",
    ),
)

DOCUMENTS = (
    Template(
        "文书",
        "{builder}建楼合约",
        "立合约人{builder}，今将本村{house}一座交由{contractor}承建，言明楼高{storeys_zh}层，全用{material}。",
        (
            "工料共银{amount2}元，分三期交付：开工交三成，上梁交四成，完工验收交足。",
            "所用水泥、钢筋须用外洋货，如有偷工减料，承建人照价赔偿。",
            "限期十个月完工，如遇风雨停工，准予顺延。",
        ),
        "恐口无凭，立此合约一纸为据。{built_phrase}立。",
        date="built",
        source="{family}氏后人提供原件照片",
    ),
    Template(
        "文书",
        "{family}氏分家书",
        "立分书人{family}门{wife}氏，因夫{given}客居{dest}多年，家中人丁日增，今请族中叔伯到场，",
        (
            "将{house}及屋后菜地分为三份，长房得楼下厅房，二房得二楼，三房得三楼及天台。",
            "祖尝田租仍归公用，每年清明由三房轮流主祭。",
            "日后{given}寄回银两，三房均分，不得争执。",
        ),
        "各执一纸为据。",
        date="document",
        source="{family}氏后人提供",
    ),
    Template(
        "文书",
        "{house}地契",
        "立卖地契人本村{seller}，今因需银使用，愿将土名“{plot}”屋地一段，",
        (
            "东至巷，西至{family}宅，南至塘基，北至后山，",
            "卖与{builder}为业，时值价银{amount2}元，即日银契两交，并无短少。",
            "此地系自己物业，与房亲人等无涉，日后不得异言。",
        ),
        "立契为据。",
        date="deed",
        source="{family}氏后人提供原件照片",
    ),
    Template(
        "文书",
        "{house}侨房登记表（1953年）",
        "1953年侨房登记表：户主{builder}（在{dest}），房屋一座，{storeys_zh}层，{material}。",
        (
            "家中常住人口{n}人，由{relative}代管。",
            "备注：屋主长期旅外，房屋按华侨房屋处理，不作分配。",
            "登记人附记：屋内家具齐全，由代管人负责日常看护，不得出租或改作他用。",
        ),
        "",
        date="1953",
        source="{county}档案馆（抄件）",
    ),
    Template(
        "文书",
        "{house}托管协议摘要",
        "{tyear}年，{family}氏后人{heir}与{county}文物部门签订托管协议，将{house}交由政府托管{n}年。",
        (
            "托管期内由政府出资修缮、管理和开放展示，产权仍归{family}氏后人所有。",
            "屋内家具、族谱、照片等物品经双方清点造册，原地保存。",
            "托管期满，双方可协商续约。",
        ),
        "",
        date="custody",
        source="托管协议复印件",
    ),
)

LETTERS = (
    Template(
        "侨批",
        "{given}致{rel_short}侨批",
        "{salutation}：{greeting}{sign}在{dest}身体粗安，请勿挂念。兹付上{currency}{amount}元，到祈查收。",
        (
            "内拨{part}元为起楼之用，余者家中使用。",
            "起楼之事，已托{contractor}办理，工料务须坚实，切勿贪平。",
            "近来{dest_short}生意冷淡，工钱减少，下次寄银恐要迟些，望家中节俭度日。",
            "闻乡中匪风甚炽，楼成之后，夜间务必关好铁门，枪弹收妥。",
            "新楼命名{house}，石匾请乡中先生书写，务求端正。",
            "弟妹读书之事切不可误，学费另付。",
        ),
        "余言后叙。{sign} {given} 叩上 {letter_line}。"
        "【批封】{county}{township}{village} 交 {recipient} 收／{remit_house}代寄",
        date="letter",
        source="{family}氏后人藏侨批原件",
    ),
    Template(
        "侨批",
        "{given}寄家书（附银{amount}元）",
        "{salutation}：{greeting}前月来信收悉，知家中各人平安，甚慰。今由{remit_house}寄上{currency}{amount}元，",
        (
            "其中{part}元交{relative}还清买地之数，",
            "余为家用及过年之需。",
            "楼工想已完竣，望将楼上楼下影相一张寄来，俾得一睹为快。",
            "{sign}在外一切安好，惟思乡之心日切，待积蓄稍丰，即当回乡一行。",
        ),
        "此候 近安。{sign} {given} {letter_line}",
        date="letter",
        source="侨批档案（私人收藏）",
    ),
)

GENEALOGY = (
    Template(
        "族谱",
        "《{family}氏族谱》摘录：{given}公传",
        "《{family}氏族谱》（{pu_year}年重修本）载：{given}公，字{zi}，{family}氏{gen}世孙，生于{birth}。",
        (
            "少孤贫，年十七随乡人赴{dest}，{trade}，勤俭自持，积资渐丰。",
            "{built_phrase}，寄资回乡建{house}，楼高{storeys_zh}层，乡人称之。",
            "娶{wife}氏，生子三：长{c1}，次{c2}，三{c3}，皆先后出洋。",
            "公热心公益，捐资修桥筑路，倡建村中学校。",
        ),
        "卒于{dest}，归葬祖山。",
        date="genealogy",
        source="《{family}氏族谱》{pu_year}年本",
    ),
    Template(
        "族谱",
        "《{family}氏族谱》世系表（{gen}世至{gen2}世）",
        "{gen}世 {given}（旅{dest}），配{wife}氏。子三：{c1}、{c2}、{c3}。",
        (
            "{gen2}世 {c1}（旅{dest}），配李氏，子二。",
            "{gen2}世 {c2}（在乡），配黄氏，居{house}，子一女二。",
            "{gen2}世 {c3}（旅{dest}），未娶，殁于外洋。",
        ),
        "（据族谱手抄本整理）",
        date="genealogy",
        source="《{family}氏族谱》{pu_year}年本",
    ),
    Template(
        "族谱",
        "《{family}氏家谱》迁徙记",
        "本族始祖{origin}，至今二十余世。",
        (
            "清咸丰、同治以后，族人多赴{dest}谋生，",
            "每有所得，必寄资回乡，买田起屋，修祠兴学。",
            "民国年间，村中新建洋楼、碉楼十余座，{house}即其一也。",
        ),
        "",
        date="genealogy",
        source="《{family}氏家谱》（油印本）",
    ),
)
