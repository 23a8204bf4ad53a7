from scripts.clean import clean_line, display_width, ends_sentence, join_fragments, lead_sentence, normalize_spaces
from scripts.numbering import cn_to_int, describe, parse_marker


def test_clean_line_strips_bookmarks_markdown_and_edges() -> None:
    assert clean_line(" [bookmark: _Toc1][bookmark: _Toc2]一、发展基础") == "一、发展基础"
    assert clean_line("## **五、建设基础数据和认证中心**") == "五、建设基础数据和认证中心"
    assert clean_line("\t专栏1：湾区国际金融科技城") == "专栏1：湾区国际金融科技城"
    assert clean_line("### 一、打造") == "一、打造"


def test_normalize_spaces_removes_extraction_spaces_but_keeps_title_separators() -> None:
    assert normalize_spaces("推动大数据、5G 移动通信") == "推动大数据、5G移动通信"
    assert normalize_spaces("给予 300 万元一次性") == "给予300万元一次性"
    assert normalize_spaces("于 2016 年提出") == "于2016年提出"
    assert normalize_spaces("中共中央 国务院关于") == "中共中央 国务院关于"
    assert normalize_spaces("Shenzhen-Hong Kong-Macao") == "Shenzhen-Hong Kong-Macao"


def test_join_fragments_and_sentence_ends() -> None:
    assert join_fragments("促进金融服务提", "质增效") == "促进金融服务提质增效"
    assert join_fragments("the", "plan") == "the plan"
    assert ends_sentence("信息保护“三道防线”。")
    assert ends_sentence("包括：")
    assert not ends_sentence("打造金家岭金融科技中心、市")


def test_widths_and_lead_sentence() -> None:
    assert display_width("金融APP") == 3.5
    assert lead_sentence("指导思想。以习近平新时代中国特色社会主义思想为指导") == "指导思想"
    assert lead_sentence("没有句号的文本") == ""


def test_numbering_markers() -> None:
    assert parse_marker("(四) 鼓励金融科技企业落户。") is not None
    m = parse_marker("（二十七）强化金融消费者权益保护。")
    assert m is not None and (m.style, m.number, m.label) == ("pcn", 27, "（二十七）")
    assert parse_marker("2019年以来") is None
    assert parse_marker("1.5倍") is None
    assert parse_marker("一是政府指导") is None
    assert cn_to_int("一百零三") == 103
    assert describe("pcn", 5) == "（五）"
    assert describe("num", 3) == "3."
