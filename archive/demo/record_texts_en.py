"""English record templates, and the messy fragments that real sources bring with them.

English items use the spellings families abroad used (Wong, Chan, Szeto, Toishan, Hoiping, Gold
Mountain), so search has romanised names to match. Text copied from web pages sometimes carries a
converter's pinyin annotations, 華(huá)僑(qiáo), which the importer strips; real parentheses such as
僑團(社) must survive, so both kinds are planted in a few traditional-script records.
"""

from __future__ import annotations

from archive.demo.record_texts import Template

ENGLISH = (
    Template(
        "报道",
        "Heritage Newsletter: the towers of Hoiping",
        "The Kaiping Diaolou and Villages were inscribed on the UNESCO World Heritage List in 2007. "
        "{house_en} in {village_en} is one of the many towers and villas that emigrants from Hoiping "
        "built with money earned abroad. ",
        (
            "Its builder, {rom}, {trade_en} in {dest_en} and sent remittances home for years. ",
            "Families called the United States Gum Saan, Gold Mountain; the towers were their answer to "
            "bandits, floods and the long absence of the men. ",
        ),
        "(Overseas Chinese Heritage Newsletter)",
        date="news_en",
        source="Overseas Chinese Heritage Newsletter",
        regions=("KP",),
    ),
    Template(
        "报道",
        "Descendants of {rom} visit {house_en}",
        "Members of the {family_rom} family from {dest_en} travelled to {county_old} ({county_en}) "
        "this spring to see {house_en}, the house their ancestor {rom} built ",
        (
            "{built_en}. ",
            "{heir_abroad}, who grew up hearing about the village, said the visit was "
            '"like opening a letter that had waited ninety years". ',
            "The family is discussing repairs with the county heritage office. ",
        ),
        "",
        date="news_en",
        source="Community newsletter, {dest_en}",
    ),
    Template(
        "口述",
        "Interview with {heir_abroad}, {dest_en}",
        "My grandfather {rom} left {county_old} for {abroad_en} when he was seventeen. ",
        (
            "He {trade_en} and sent money home every month, first through the letter shops in Hong Kong, "
            "later through the bank. ",
            "In the village they still call the house {house_en}; he only lived in it for one winter. ",
            "We kept his letters in a biscuit tin. My aunt can read them; I cannot. ",
        ),
        "(Recorded by telephone for the county survey.)",
        date="interview",
        source="Telephone interview",
    ),
    Template(
        "其他",
        "{paper_title} of {rom}",
        "{paper_en}. Name: {rom}. Native place: {village_en}, {county_old} district. ",
        (
            "Occupation: {trade_en_noun}. ",
            "Remarks: states that he owns a house in the village and that his wife and children live there. ",
        ),
        "(Copy supplied by the family.)",
        date="paper",
        source="Family papers, {dest_en}",
    ),
    Template(
        "碑刻",
        "English foundation stone of {house_en}",
        "A granite foundation stone at the south-east corner of {house_en} reads: "
        '"THIS STONE WAS LAID BY {rom_upper} OF {dest_upper}, {year}". ',
        (
            "The English text is cut in capitals beside the Chinese date. ",
            "It is one of the few bilingual stones in {county_old}. ",
        ),
        "(Transcribed on site.)",
        date="built",
        source="Site transcription",
    ),
)

# (title, English description) of immigration papers by destination country
IMMIGRATION_PAPERS = {
    "美国": ("Immigration case file", "Case file, Angel Island Immigration Station, San Francisco"),
    "加拿大": ("Head tax certificate", "C.I. 5 head tax certificate, Victoria, British Columbia"),
    "澳大利亚": ("Certificate of exemption", "Certificate Exempting from Dictation Test"),
    "新西兰": ("Poll tax receipt", "Poll tax receipt, Wellington"),
}
DEFAULT_PAPER = ("Passport record", "Passport issued by the consulate")

ANNOTATED = (
    "該樓由旅外華(huá)僑(qiáo)集資興建，現由當地僑聯(lián)協助管理。",
    "據當地僑聯(lián)統計，全村華(huá)僑(qiáo)及港澳同胞逾千人。",
    "華(huá)僑(qiáo)房屋托管工作由市僑聯(lián)牽頭。",
)
REAL_PARENTHESES = (
    "該樓曾借予旅外僑團(社)作返鄉聚會之所。",
    "僑團(社)每年春秋二祭均派代表返鄉。",
)
