"""The words of the import report: one message per problem code in 简体中文, 繁體中文 and English.

Each entry is (zh-Hans, zh-Hant, en), a `str.format` template over the problem's params. Traditional
texts use Taiwan spreadsheet terms (列 = row, 欄 = column, 儲存格 = cell), simplified ones mainland
terms (行 = row, 列 = column, 单元格 = cell). A test renders every entry in every language.
"""

from __future__ import annotations

Texts = tuple[str, str, str]

# (sheet, row, column, joiner, end of the location prefix)
LOCATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("工作表「{}」", "第 {} 行", "「{}」列", "", "："),
    ("工作表「{}」", "第 {} 列", "「{}」欄", "", "："),
    ("sheet “{}”", "row {}", "column “{}”", ", ", ": "),
)

FIELD_LABELS: dict[str, Texts] = {
    "code": ("编号", "編號", "code"),
    "name_zh": ("名称", "名稱", "Chinese name"),
    "name_en": ("英文名", "英文名", "English name"),
    "aliases": ("别名", "別名", "aliases"),
    "province": ("省", "省", "province"),
    "city": ("市", "市", "city"),
    "county": ("区县", "區縣", "county"),
    "township": ("镇街", "鎮街", "township"),
    "village": ("村社区", "村社區", "village"),
    "address": ("地址", "地址", "address"),
    "lat": ("纬度", "緯度", "latitude"),
    "lon": ("经度", "經度", "longitude"),
    "coord_system": ("坐标系", "坐標系", "coordinate system"),
    "location_public": ("位置公开", "位置公開", "location public"),
    "built": ("建造年代", "建造年代", "built"),
    "builder": ("建造者", "建造者", "builder"),
    "family": ("家族", "家族", "family"),
    "destinations": ("侨居地", "僑居地", "destinations"),
    "style": ("建筑风格", "建築風格", "style"),
    "materials": ("结构材料", "結構材料", "materials"),
    "storeys": ("层数", "層數", "storeys"),
    "protection_level": ("保护级别", "保護級別", "protection level"),
    "condition": ("危房等级", "危房等級", "condition"),
    "current_use": ("现状用途", "現狀用途", "current use"),
    "custody": ("托管情况", "託管情況", "custody"),
    "owner": ("产权人", "產權人", "owner"),
    "owner_contact": ("联系电话", "聯繫電話", "owner contact"),
    "summary_zh": ("简介", "簡介", "summary (Chinese)"),
    "summary_en": ("英文简介", "英文簡介", "summary (English)"),
    "public": ("公开", "公開", "public"),
    "house_code": ("房屋编号", "房屋編號", "house code"),
    "kind": ("类型", "類型", "kind"),
    "title": ("标题", "標題", "title"),
    "body": ("内容", "內容", "body"),
    "date": ("日期", "日期", "date"),
    "source": ("来源", "來源", "source"),
}

CHANGE_LABELS: dict[str, Texts] = {
    "pinyin_annotation": (
        "删除网页转换器加注的拼音 {count} 处",
        "刪除網頁轉換器加註的拼音 {count} 處",
        "removed {count} web-converter pinyin annotation(s)",
    ),
    "html_entity": (
        "还原 HTML 实体 {count} 个",
        "還原 HTML 實體 {count} 個",
        "decoded {count} HTML entity(ies)",
    ),
    "zero_width": (
        "删除零宽字符 {count} 个",
        "刪除零寬字元 {count} 個",
        "removed {count} zero-width character(s)",
    ),
    "control_char": (
        "删除控制字符 {count} 个",
        "刪除控制字元 {count} 個",
        "removed {count} control character(s)",
    ),
    "space": (
        "特殊空格 {count} 个改为普通空格",
        "特殊空白 {count} 個改為一般空格",
        "replaced {count} special space(s) with ordinary spaces",
    ),
    "kangxi_radical": (
        "康熙部首 {count} 个改为通用汉字",
        "康熙部首 {count} 個改為通用漢字",
        "replaced {count} Kangxi radical(s) with the ordinary character",
    ),
    "compat_ideograph": (
        "兼容汉字 {count} 个改为统一汉字",
        "相容漢字 {count} 個改為統一漢字",
        "replaced {count} CJK compatibility ideograph(s) with the unified character",
    ),
    "unicode_nfc": ("统一 Unicode 组合形式", "統一 Unicode 組合形式", "normalised Unicode composition (NFC)"),
}

_FILE: dict[str, Texts] = {
    "file.empty": ("文件是空的。", "檔案是空的。", "The file is empty."),
    "file.unreadable": (
        "无法读取文件：{detail}",
        "無法讀取檔案：{detail}",
        "The file cannot be read: {detail}",
    ),
    "file.xls_legacy": (
        "这是旧版 .xls 或加了密码的工作簿，无法读取。请在 Excel 中另存为 .xlsx（不设密码）或 CSV。",
        "這是舊版 .xls 或設了密碼的活頁簿，無法讀取。請在 Excel 中另存為 .xlsx（不設密碼）或 CSV。",
        "This is an old .xls or a password-protected workbook, which cannot be read. "
        "Save it from Excel as .xlsx (without a password) or as CSV.",
    ),
    "file.not_xlsx": (
        "这是压缩包，但不是 .xlsx 工作簿（可能是 .ods 或 .docx）。请另存为 .xlsx 或 CSV。",
        "這是壓縮檔，但不是 .xlsx 活頁簿（可能是 .ods 或 .docx）。請另存為 .xlsx 或 CSV。",
        "This is a zip file but not an .xlsx workbook (perhaps .ods or .docx). Save it as .xlsx or CSV.",
    ),
    "file.xlsx_unreadable": (
        "工作簿已损坏或格式不对，无法读取（{detail}）。",
        "活頁簿已損壞或格式不對，無法讀取（{detail}）。",
        "The workbook is damaged or not a valid .xlsx file ({detail}).",
    ),
    "file.too_large_inflated": (
        "工作簿解压后有 {size_mb} MB，超过上限 {limit_mb} MB，未读取。请把数据分成几个文件，或另存为 CSV。",
        "活頁簿解壓縮後有 {size_mb} MB，超過上限 {limit_mb} MB，未讀取。請把資料分成幾個檔案，或另存為 CSV。",
        "The workbook unpacks to {size_mb} MB, over the limit of {limit_mb} MB; it was not read. "
        "Split the data into several files, or save it as CSV.",
    ),
    "file.too_many_rows": (
        "超过 {limit} 行，未导入。请把数据分成几个文件。",
        "超過 {limit} 列，未匯入。請把資料分成幾個檔案。",
        "More than {limit} rows; nothing was imported. Split the data into several files.",
    ),
    "file.too_many_columns": (
        "第 {letter} 列超出了 {limit} 列的上限，未导入。请删除右边多余的列（包括只有格式的空列）。",
        "第 {letter} 欄超出了 {limit} 欄的上限，未匯入。請刪除右邊多餘的欄（包括只有格式的空欄）。",
        "Column {letter} is beyond the limit of {limit} columns; nothing was imported. Delete the extra "
        "columns on the right (including empty ones that only carry formatting).",
    ),
    "csv.malformed": (
        "CSV 格式有误（多半是引号不配对）：{detail}",
        "CSV 格式有誤（多半是引號不成對）：{detail}",
        "The CSV is malformed (usually an unmatched quote): {detail}",
    ),
    "text.binary": (
        "这不是纯文本文件（像是 Word、PDF 或压缩包）。请另存为 .txt。",
        "這不是純文字檔（像是 Word、PDF 或壓縮檔）。請另存為 .txt。",
        "This is not a plain-text file (it looks like Word, PDF or a zip). Save it as .txt.",
    ),
    "text.bad_char": (
        "文本含有字符 {char}（替换符或私用区字符），说明编码有误或文字已损坏。",
        "文字含有字元 {char}（替換符號或私用區字元），表示編碼有誤或文字已損壞。",
        "The text contains {char} (a replacement or private-use character): "
        "the encoding is wrong or the text was damaged.",
    ),
    "text.title_too_long": (
        "第一行用作标题，但长达 {length} 个字符（上限 {limit}）。请在第一行写标题。",
        "第一行用作標題，但長達 {length} 個字元（上限 {limit}）。請在第一行寫標題。",
        "The first line is used as the title but is {length} characters long (at most {limit}). "
        "Put a title on the first line.",
    ),
}

_ENCODING: dict[str, Texts] = {
    "encoding.ambiguous": (
        "无法确定文件编码。用以下编码都能读出表头：{choices}。请用 --encoding 指定其中之一。",
        "無法確定檔案編碼。用以下編碼都能讀出表頭：{choices}。請用 --encoding 指定其中之一。",
        "Cannot tell the file's encoding: the header reads correctly as {choices}. "
        "Run again with --encoding set to one of them.",
    ),
    "encoding.undetected": (
        "文件不是 {choices} 中任何一种编码的文本。请用 --encoding 指定编码，或另存为 UTF-8。",
        "檔案不是 {choices} 中任何一種編碼的文字。請用 --encoding 指定編碼，或另存為 UTF-8。",
        "The file is not text in any of {choices}. Pass --encoding, or save it as UTF-8.",
    ),
    "encoding.decode_failed": (
        "无法按 {encoding} 解码（第 {line} 行，第 {position} 字节）。请检查 --encoding。",
        "無法按 {encoding} 解碼（第 {line} 行，第 {position} 位元組）。請檢查 --encoding。",
        "Cannot decode the file as {encoding} (line {line}, byte {position}). Check --encoding.",
    ),
    "encoding.unknown_name": (
        "不认识的编码名称：{encoding}（可用 utf-8、gb18030、big5 等）。",
        "不認識的編碼名稱：{encoding}（可用 utf-8、gb18030、big5 等）。",
        "Unknown encoding name: {encoding} (use utf-8, gb18030, big5, ...).",
    ),
    "encoding.nul_bytes": (
        "文件含有空字节：可能是不带 BOM 的 UTF-16，或者根本不是文本文件。"
        "请另存为 UTF-8，或用 --encoding utf-16-le 读取。",
        "檔案含有空位元組：可能是不帶 BOM 的 UTF-16，或者根本不是文字檔。"
        "請另存為 UTF-8，或用 --encoding utf-16-le 讀取。",
        "The file contains NUL bytes: UTF-16 without a byte-order mark, or not a text file. "
        "Save it as UTF-8, or pass --encoding utf-16-le.",
    ),
}

_SHEET: dict[str, Texts] = {
    "sheet.none_recognised": (
        "没有找到可导入的工作表。请把工作表命名为 houses/房屋 或 records/信息，或在表头放“编号”或“房屋编号”列。",
        "沒有找到可匯入的工作表。請把工作表命名為 houses/房屋 或 records/信息，或在表頭放「編號」或「房屋編號」欄。",
        "No sheet to import: name a sheet houses/房屋 or records/信息, "
        "or give it a code (编号) or house_code (房屋编号) column.",
    ),
    "sheet.ignored": (
        "此工作表既不是房屋表也不是信息表，已略过。",
        "此工作表既不是房屋表也不是信息表，已略過。",
        "This sheet is neither a houses nor a records sheet; it was skipped.",
    ),
    "sheet.kind_unknown": (
        "看不出这是房屋表还是信息表：表头需要有“编号”（房屋）或“房屋编号”（信息）列。",
        "看不出這是房屋表還是信息表：表頭需要有「編號」（房屋）或「房屋編號」（信息）欄。",
        "Cannot tell whether this is a houses or a records sheet: the header needs a code (编号) "
        "column for houses or a house_code (房屋编号) column for records.",
    ),
    "sheet.ambiguous": (
        "表头同时有“编号”和“房屋编号”列，看不出是房屋表还是信息表。请把工作表命名为 houses/房屋 或 records/信息。",
        "表頭同時有「編號」和「房屋編號」欄，看不出是房屋表還是信息表。請把工作表命名為 houses/房屋 或 records/信息。",
        "The header has both a code and a house_code column. Name the sheet houses/房屋 or records/信息.",
    ),
    "sheet.no_rows": (
        "只有表头，没有数据行。",
        "只有表頭，沒有資料列。",
        "There is a header but no data rows.",
    ),
    "sheet.rows_above_header": (
        "表头上方的 {count} 行（如标题行）未导入。",
        "表頭上方的 {count} 列（如標題列）未匯入。",
        "{count} row(s) above the header (such as a title) were not imported.",
    ),
    "header.missing": (
        "缺少必填列“{field}”（表头可写作：{choices}）。",
        "缺少必填欄「{field}」（表頭可寫作：{choices}）。",
        "The required column “{field}” is missing (headed as any of: {choices}).",
    ),
    "header.duplicate": (
        "此列与“{first}”列都是“{field}”，只导入“{first}”列。请删除或改名其中一列。",
        "此欄與「{first}」欄都是「{field}」，只匯入「{first}」欄。請刪除或改名其中一欄。",
        "This column and column “{first}” are both “{field}”. Remove or rename one of them.",
    ),
    "header.unknown": (
        "不是调查表的字段，其内容作为附注保留。",
        "不是調查表的欄位，其內容作為附註保留。",
        "Not a survey field: its values are kept as extra notes.",
    ),
    "header.blank_with_data": (
        "第 {letter} 列没有表头却有数据，这些数据未导入。",
        "第 {letter} 欄沒有表頭卻有資料，這些資料未匯入。",
        "Column {letter} holds data but has no header; its values were not imported.",
    ),
}

_CELL: dict[str, Texts] = {
    "cell.required": ("“{field}”必填。", "「{field}」必填。", "{field} is required."),
    "cell.too_long": (
        "内容长达 {length} 个字符，超过上限 {limit}。",
        "內容長達 {length} 個字元，超過上限 {limit}。",
        "The cell is {length} characters long; at most {limit} are allowed.",
    ),
    "cell.bad_char": (
        "第 {position} 个字符是 {char}（替换符或私用区字符），说明编码有误或文字已损坏。",
        "第 {position} 個字元是 {char}（替換符號或私用區字元），表示編碼有誤或文字已損壞。",
        "Character {position} is {char} (a replacement or private-use character): "
        "the encoding is wrong or the text was damaged.",
    ),
    "cell.formula_no_value": (
        "这是公式，但文件里没有保存计算结果。请在 Excel 中打开并保存，或改为粘贴数值。",
        "這是公式，但檔案裡沒有儲存計算結果。請在 Excel 中開啟並儲存，或改為貼上值。",
        "This is a formula with no saved result. Open and save the file in Excel, or paste values instead.",
    ),
    "cell.excel_error": (
        "单元格显示错误值 {value}。",
        "儲存格顯示錯誤值 {value}。",
        "The cell holds the spreadsheet error {value}.",
    ),
    "text.cleaned": ("已清理：{changes}。", "已清理：{changes}。", "Cleaned: {changes}."),
}

_VALUE: dict[str, Texts] = {
    "value.not_number": ("“{value}”不是数字。", "「{value}」不是數字。", "“{value}” is not a number."),
    "value.lat_range": (
        "纬度 {value} 超出 -90 到 90 的范围。",
        "緯度 {value} 超出 -90 到 90 的範圍。",
        "Latitude {value} is outside -90 to 90.",
    ),
    "value.lon_range": (
        "经度 {value} 超出 -180 到 180 的范围。",
        "經度 {value} 超出 -180 到 180 的範圍。",
        "Longitude {value} is outside -180 to 180.",
    ),
    "coords.half": (
        "经纬度要么都填，要么都不填：缺少“{field}”。",
        "經緯度要麼都填，要麼都不填：缺少「{field}」。",
        "Give both latitude and longitude or neither: {field} is missing.",
    ),
    "value.coord_system": (
        "不认识的坐标系“{value}”，可填：{choices}。",
        "不認識的坐標系「{value}」，可填：{choices}。",
        "Unknown coordinate system “{value}”; use one of: {choices}.",
    ),
    "value.coord_system_baidu": (
        "不支持百度坐标（{value}）。请改用 WGS84 或 GCJ-02（高德、腾讯地图）坐标。",
        "不支援百度坐標（{value}）。請改用 WGS84 或 GCJ-02（高德、騰訊地圖）坐標。",
        "Baidu coordinates ({value}) are not supported; give WGS84 or GCJ-02 (Amap, Tencent) coordinates.",
    ),
    "value.not_whole": (
        "“{value}”不是 0 到 {max} 之间的整数。",
        "「{value}」不是 0 到 {max} 之間的整數。",
        "“{value}” is not a whole number from 0 to {max}.",
    ),
    "value.not_yes_no": (
        "“{value}”不是“是”或“否”（可填：{choices}）。",
        "「{value}」不是「是」或「否」（可填：{choices}）。",
        "“{value}” is not yes or no (use one of: {choices}).",
    ),
    "value.unknown_vocab": (
        "“{value}”不是可用的{field}，可填：{choices}。",
        "「{value}」不是可用的{field}，可填：{choices}。",
        "“{value}” is not an accepted {field}; use one of: {choices}.",
    ),
    "code.invalid": (
        "编号“{value}”不能含空格或斜杠（编号也用作照片文件夹名）。",
        "編號「{value}」不能含空格或斜線（編號也用作相片資料夾名稱）。",
        "Code “{value}” must not contain spaces or slashes (codes also name photo folders).",
    ),
    "code.duplicate": (
        "编号“{value}”与第 {first_row} 行重复。",
        "編號「{value}」與第 {first_row} 列重複。",
        "Code “{value}” is already used in row {first_row}.",
    ),
    "code.case_differs": (
        "“{value}”按已有编号“{code}”处理（大小写不同）。",
        "「{value}」按已有編號「{code}」處理（大小寫不同）。",
        "“{value}” was taken as the existing code “{code}” (letter case differs).",
    ),
    "record.unknown_house": (
        "档案库和本文件中都没有编号为“{value}”的房屋。",
        "檔案庫和本檔案中都沒有編號為「{value}」的房屋。",
        "No house with code “{value}” in the archive or in this file.",
    ),
    "record.duplicate": (
        "与第 {first_row} 行的房屋、标题和日期都相同；重新导入时无法区分，请修改标题。",
        "與第 {first_row} 列的房屋、標題和日期都相同；重新匯入時無法區分，請修改標題。",
        "Same house, title and date as row {first_row}; a re-import could not tell them apart. Change the title.",
    ),
}

_DATE: dict[str, Texts] = {
    "date.unrecognised": (
        "无法识别日期“{value}”，按原文保留。",
        "無法識別日期「{value}」，按原文保留。",
        "Cannot read the date “{value}”; it is kept as written.",
    ),
    "date.empty": ("日期为空。", "日期為空。", "The date is empty."),
    "date.century_assumed": (
        "“{value}”未写世纪，按 20 世纪处理。",
        "「{value}」未寫世紀，按 20 世紀處理。",
        "“{value}” gives no century; the 20th century is assumed.",
    ),
    "date.reign_year_out_of_range": (
        "“{value}”超出该年号的年数，按原文保留。",
        "「{value}」超出該年號的年數，按原文保留。",
        "“{value}” is beyond the length of that reign; it is kept as written.",
    ),
    "date.ganzhi_ambiguous": (
        "“{value}”的干支纪年对应不止一个年份，请加上年号或世纪；按原文保留。",
        "「{value}」的干支紀年對應不止一個年份，請加上年號或世紀；按原文保留。",
        "“{value}” names a sexagenary year that fits more than one year; add a reign or century. Kept as written.",
    ),
    "date.ganzhi_not_in_span": (
        "“{value}”的干支不在该年号或世纪之内，按原文保留。",
        "「{value}」的干支不在該年號或世紀之內，按原文保留。",
        "“{value}”: that sexagenary year does not fall within the reign or century. Kept as written.",
    ),
    "date.implausible_year": (
        "“{value}”的年份不合理，按原文保留。",
        "「{value}」的年份不合理，按原文保留。",
        "“{value}” is not a plausible year; it is kept as written.",
    ),
    "date.range_reversed": (
        "“{value}”的起止年份颠倒，按原文保留。",
        "「{value}」的起訖年份顛倒，按原文保留。",
        "“{value}” ends before it starts; it is kept as written.",
    ),
}

_PHOTO: dict[str, Texts] = {
    "photo.unmatched": (
        "照片 {path} 的文件名和所在文件夹都不是已知的房屋编号，未导入。",
        "相片 {path} 的檔名和所在資料夾都不是已知的房屋編號，未匯入。",
        "Photo {path}: neither its name nor its folders start with a known house code; not imported.",
    ),
    "photo.not_image": (
        "{path} 不是图片文件，已略过。",
        "{path} 不是圖片檔，已略過。",
        "{path} is not an image file; skipped.",
    ),
    "photo.empty": (
        "{path} 是空文件（0 字节），多半是复制失败，请重新复制。",
        "{path} 是空檔案（0 位元組），多半是複製失敗，請重新複製。",
        "{path} is empty (0 bytes), probably a failed copy; copy it again.",
    ),
    "photo.symlink": (
        "{path} 是符号链接，已略过。",
        "{path} 是符號連結，已略過。",
        "{path} is a symbolic link; skipped.",
    ),
    "photo.unreadable": ("无法读取 {path}。", "無法讀取 {path}。", "{path} cannot be read."),
    "photo.bad_name": (
        "{path} 的文件名编码有误（多半是解压工具造成的），请改名后再导入。",
        "{path} 的檔名編碼有誤（多半是解壓縮工具造成的），請改名後再匯入。",
        "{path} has a file name in a broken encoding (usually from an unzip tool); rename it and retry.",
    ),
}

MESSAGES: dict[str, Texts] = {**_FILE, **_ENCODING, **_SHEET, **_CELL, **_VALUE, **_DATE, **_PHOTO}
