//! The bilingual message catalogue: every message and label of `check`, in Chinese and
//! English, in one table. Placeholders `{0}`, `{1}`, … are filled positionally.

use crate::i18n::Lang;

/// (key, Chinese, English).
pub const CATALOGUE: &[(&str, &str, &str)] = &[
    // ---- table 3 rows
    ("row.R1", "一、本年新收", "(R1) new applications"),
    ("row.R2", "二、上年结转", "(R2) carried over from last year"),
    ("row.R3_1", "（一）予以公开", "(3.1) disclosed"),
    ("row.R3_2", "（二）部分公开", "(3.2) partly disclosed"),
    ("row.R3_3", "（三）不予公开", "(3.3) not disclosed"),
    ("row.R3_3_1", "（三）1.属于国家秘密", "(3.3.1) state secret"),
    (
        "row.R3_3_2",
        "（三）2.其他法律行政法规禁止公开",
        "(3.3.2) barred by other laws",
    ),
    (
        "row.R3_3_3",
        "（三）3.危及“三安全一稳定”",
        "(3.3.3) endangers security/stability",
    ),
    (
        "row.R3_3_4",
        "（三）4.保护第三方合法权益",
        "(3.3.4) third-party rights",
    ),
    (
        "row.R3_3_5",
        "（三）5.属于三类内部事务信息",
        "(3.3.5) internal affairs",
    ),
    (
        "row.R3_3_6",
        "（三）6.属于四类过程性信息",
        "(3.3.6) process information",
    ),
    (
        "row.R3_3_7",
        "（三）7.属于行政执法案卷",
        "(3.3.7) enforcement files",
    ),
    (
        "row.R3_3_8",
        "（三）8.属于行政查询事项",
        "(3.3.8) administrative enquiries",
    ),
    ("row.R3_4", "（四）无法提供", "(3.4) cannot be provided"),
    (
        "row.R3_4_1",
        "（四）1.本机关不掌握相关政府信息",
        "(3.4.1) not held",
    ),
    (
        "row.R3_4_2",
        "（四）2.没有现成信息需要另行制作",
        "(3.4.2) would need to be created",
    ),
    (
        "row.R3_4_3",
        "（四）3.补正后申请内容仍不明确",
        "(3.4.3) still unclear after correction",
    ),
    ("row.R3_5", "（五）不予处理", "(3.5) not processed"),
    (
        "row.R3_5_1",
        "（五）1.信访举报投诉类申请",
        "(3.5.1) petitions and complaints",
    ),
    (
        "row.R3_5_2",
        "（五）2.重复申请",
        "(3.5.2) repeated applications",
    ),
    (
        "row.R3_5_3",
        "（五）3.要求提供公开出版物",
        "(3.5.3) published material",
    ),
    (
        "row.R3_5_4",
        "（五）4.无正当理由大量反复申请",
        "(3.5.4) mass repeated applications",
    ),
    (
        "row.R3_5_5",
        "（五）5.要求行政机关确认或重新出具已获取信息",
        "(3.5.5) re-issue of obtained information",
    ),
    ("row.R3_6", "（六）其他处理", "(3.6) other handling"),
    (
        "row.R3_6_1",
        "（六）1.逾期不补正",
        "(3.6.1) no correction in time",
    ),
    (
        "row.R3_6_2",
        "（六）2.逾期未缴费",
        "(3.6.2) fee not paid in time",
    ),
    ("row.R3_6_3", "（六）3.其他", "(3.6.3) other"),
    ("row.R3_7", "（七）总计", "(3.7) total"),
    (
        "row.R4",
        "四、结转下年度继续办理",
        "(R4) carried over to next year",
    ),
    // ---- table 3 columns
    ("col.C1", "自然人", "natural persons"),
    ("col.C2", "商业企业", "commercial enterprises"),
    ("col.C3", "科研机构", "research institutions"),
    ("col.C4", "社会公益组织", "public-interest organisations"),
    ("col.C5", "法律服务机构", "legal service providers"),
    ("col.C6", "其他", "other applicants"),
    ("col.C7", "总计", "total"),
    // ---- table 4
    ("t4.review", "行政复议", "administrative review"),
    (
        "t4.lit_direct",
        "未经复议直接起诉",
        "lawsuits without review",
    ),
    ("t4.lit_after_review", "复议后起诉", "lawsuits after review"),
    ("t4.upheld", "结果维持", "upheld"),
    ("t4.corrected", "结果纠正", "corrected"),
    ("t4.other", "其他结果", "other outcome"),
    ("t4.pending", "尚未审结", "pending"),
    ("t4.total", "总计", "total"),
    // ---- table 2
    ("t2.made", "本年新制作数量", "made this year"),
    ("t2.published", "本年新公开数量", "published this year"),
    ("t2.public_total", "对外公开总数量", "total published"),
    ("t2.prev_items", "上一年项目数量", "items last year"),
    ("t2.delta", "本年增/减", "change this year"),
    ("t2.decisions", "处理决定数量", "decisions"),
    ("t2.count", "采购项目数量", "procurement items"),
    ("t2.amount", "采购总金额", "procurement amount"),
    ("t2.issued", "本年制发件数", "issued this year"),
    ("t2.repealed", "本年废止件数", "repealed this year"),
    ("t2.in_force", "现行有效件数", "in force"),
    ("t2.amount_wan", "本年收费金额", "fees collected"),
    ("t2row.规章", "规章", "rules (规章)"),
    ("t2row.规范性文件", "规范性文件", "normative documents"),
    (
        "t2row.行政规范性文件",
        "行政规范性文件",
        "administrative normative documents",
    ),
    ("t2row.行政许可", "行政许可", "licensing"),
    (
        "t2row.其他对外管理服务事项",
        "其他对外管理服务事项",
        "other external services",
    ),
    ("t2row.行政处罚", "行政处罚", "penalties"),
    ("t2row.行政强制", "行政强制", "coercive measures"),
    (
        "t2row.行政事业性收费",
        "行政事业性收费",
        "administrative fees",
    ),
    ("t2row.政府集中采购", "政府集中采购", "central procurement"),
    // ---- tables, sections, templates, agency types
    (
        "table.T2",
        "表二 主动公开政府信息情况",
        "table 2 (proactive disclosure)",
    ),
    (
        "table.T3",
        "表三 收到和处理政府信息公开申请情况",
        "table 3 (applications)",
    ),
    (
        "table.T4",
        "表四 行政复议、行政诉讼情况",
        "table 4 (review and litigation)",
    ),
    ("sec.S1", "一、总体情况", "part 一 (general situation)"),
    (
        "sec.S2",
        "二、主动公开政府信息情况",
        "part 二 (proactive disclosure)",
    ),
    (
        "sec.S3",
        "三、收到和处理政府信息公开申请情况",
        "part 三 (applications)",
    ),
    (
        "sec.S4",
        "四、政府信息公开行政复议、行政诉讼情况",
        "part 四 (review and litigation)",
    ),
    (
        "sec.S5",
        "五、存在的主要问题及改进情况",
        "part 五 (problems and improvements)",
    ),
    (
        "sec.S6",
        "六、其他需要报告的事项",
        "part 六 (other matters)",
    ),
    ("tpl.2019", "2019版格式", "the 2019 format"),
    ("tpl.2021", "2021版格式", "the 2021 format"),
    ("tpl.hybrid", "新旧混合格式", "a mix of both formats"),
    ("agency.department", "政府部门", "department"),
    ("agency.government", "人民政府", "people's government"),
    ("agency.township", "乡镇街道", "township"),
    ("agency.unknown", "类型不明", "unknown type"),
    // ---- common
    (
        "na.operand",
        "无法判断：{0} 不是数字（“{1}”）",
        "not assessable: {0} is not a number (“{1}”)",
    ),
    (
        "na.missing",
        "无法判断：缺少 {0}",
        "not assessable: {0} is missing",
    ),
    (
        "na.overflow",
        "无法判断：数字之和超出可计算范围",
        "not assessable: the numbers add up to more than can be computed",
    ),
    (
        "derived.note",
        "（总计列空白，按各列之和计算，{0} 个总计）",
        " (总计 column blank: {0} total(s) taken as the sum of the row's other columns)",
    ),
    ("scope", "（范围：{0}）", " (scope: {0})"),
    (
        "int",
        "{0}：“{1}” 不是非负整数",
        "{0}: “{1}” is not a non-negative integer",
    ),
    // ---- rule messages
    (
        "TPL-VERSION",
        "{0} 年度报告应使用{1}，实际为{2}",
        "a {0} report should use {1}, found {2}",
    ),
    (
        "TPL-HYBRID",
        "混用两版模板：{0}",
        "mixes the two templates: {0}",
    ),
    (
        "SEC-MISSING",
        "缺少第{0}部分“{1}”",
        "part {0} (“{1}”) is missing",
    ),
    (
        "SEC-ORDER",
        "第{0}部分出现在第{1}部分之后",
        "part {0} comes after part {1}",
    ),
    (
        "SEC-NUMBERING",
        "标题“{0}{1}”的编号应为“{2}”",
        "heading “{0}{1}” should be numbered “{2}”",
    ),
    (
        "SEC-TITLE-VARIANT",
        "标题“{0}”与统一格式“{1}”不同",
        "heading “{0}” differs from the standard “{1}”",
    ),
    (
        "SEC-EMPTY-5",
        "第五部分为空或只有泛泛之言（{0} 字）",
        "part 五 is empty or generic ({0} characters)",
    ),
    (
        "SEC-EMPTY-6",
        "第六部分为空或仅为“无”（{0}）",
        "part 六 is empty or just “无” ({0})",
    ),
    ("SEC-EMPTY-6.absent", "缺少第六部分", "part 六 is missing"),
    (
        "SEC-GOV-50-4",
        "人民政府年报未提及工作考核、社会评议和责任追究结果",
        "a people's government report that does not mention 工作考核, 社会评议 or 责任追究",
    ),
    (
        "TBL-MISSING",
        "缺少{0}或无法解析",
        "{0} is missing or could not be parsed",
    ),
    (
        "TBL-EXTRA-ROWS.row",
        "{0} 有模板外的行“{1}”",
        "{0} has a row outside the template: “{1}”",
    ),
    (
        "TBL-EXTRA-ROWS.col",
        "{0} 有模板外的列“{1}”",
        "{0} has a column outside the template: “{1}”",
    ),
    ("T3-LABELS.row", "表三缺少行 {0}", "table 3 lacks row {0}"),
    (
        "T3-LABELS.cols",
        "表三 {0} 有 {1} 列，应为 7 列",
        "table 3 row {0} has {1} columns, expected 7",
    ),
    (
        "T3-BAL",
        "一 + 二 = （七）总计 + 四：{0} + {1} ≠ {2} + {3}（{4}）",
        "(R1) new + (R2) carried in = (3.7) total + (R4) carried over: {0} + {1} ≠ {2} + {3} ({4})",
    ),
    (
        "T3-ROW",
        "{0}：总计 = 自然人 + … + 其他：{1} ≠ {2}",
        "{0}: total = natural persons + … + other: {1} ≠ {2}",
    ),
    (
        "T3-RES",
        "（七）总计 = （一）+…+（六）：{0} ≠ {1}（{2}）",
        "(7) total = (1)+…+(6): {0} ≠ {1} ({2})",
    ),
    (
        "T3-SUBTOTAL",
        "{0} = 其子项之和：{1} ≠ {2}（{3}）",
        "{0} = sum of its sub-rows: {1} ≠ {2} ({3})",
    ),
    (
        "T3-BOUND",
        "（七）总计 ≤ 一 + 二：{0} > {1} + {2}（{3}）",
        "(3.7) total ≤ R1 + R2: {0} > {1} + {2} ({3})",
    ),
    (
        "T3-OTHER-FEE",
        "（六）2. 逾期未缴费 {0} 件，第六部分未提及信息处理费",
        "(3.6.2) unpaid fees: {0}, but part 六 does not mention 信息处理费",
    ),
    (
        "T4-SUM",
        "{0}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结：{1} ≠ {2} = {3}",
        "{0}: total = upheld + corrected + other + pending: {1} ≠ {2} = {3}",
    ),
    (
        "T4-AFTER",
        "复议后起诉 {0} 件，而本年行政复议为 0",
        "{0} lawsuits after review while there were no reviews this year",
    ),
    (
        "T2-19-A1-PUB",
        "{0}：本年新公开数量 ≤ 对外公开总数量：{1} > {2}",
        "{0}: published this year ≤ total published: {1} > {2}",
    ),
    (
        "T2-19-A1-MADE",
        "{0}：本年新公开数量 ≤ 本年新制作数量：{1} > {2}",
        "{0}: published this year ≤ made this year: {1} > {2}",
    ),
    (
        "T2-19-ITEMS-NONNEG",
        "{0}：上一年项目数量 + 本年增/减 ≥ 0：{1} + ({2}) = {3} < 0",
        "{0}: items last year + change ≥ 0: {1} + ({2}) = {3} < 0",
    ),
    (
        "T2-19-DECISIONS-NOITEMS",
        "{0}：处理决定数量 {1} > 0，但 上一年项目数量 + 本年增/减 = {2} + ({3}) = {4}",
        "{0}: {1} decisions but items last year + change = {2} + ({3}) = {4}",
    ),
    (
        "T2-19-A9-UNIT",
        "采购总金额“{0}”未注明单位（元或万元）",
        "procurement amount “{0}” has no unit (元 or 万元)",
    ),
    (
        "T2-19-A9-PLAUS",
        "采购项目数量 {0}，采购总金额 {1}：应同为 0 或同大于 0",
        "procurement items {0}, amount {1}: both should be 0 or both > 0",
    ),
    (
        "T2-21-ISSUED-LE-INFORCE",
        "{0}：本年制发件数 ≤ 现行有效件数：{1} > {2}",
        "{0}: issued this year ≤ in force: {1} > {2}",
    ),
    (
        "T2-21-A8-UNIT",
        "本年收费金额“{0}”的单位是“{1}”，应为万元",
        "fees collected “{0}” are in “{1}”, expected 万元",
    ),
    (
        "T2-21-A8-UNIT.large",
        "乡镇本年收费金额 {0} 万元，疑以元填报",
        "a township reporting {0} 万元 of fees: probably entered in 元",
    ),
    (
        "T2-RULE-REG",
        "{0}（{1}）一般无规章制定权，但规章 {2} = {3}",
        "{0} ({1}) normally has no power to make 规章, but 规章 {2} = {3}",
    ),
    (
        "TXT-APP-NEW",
        "正文：收到/受理申请 {0} 件；表三 一、本年新收 总计 = {1}（一 + 二 = {2}）",
        "prose: {0} applications received; table 3 R1 total = {1} (R1 + R2 = {2})",
    ),
    (
        "TXT-APP-CARRYIN",
        "正文：上年结转 {0} 件 ≠ 表三 二、上年结转 总计 {1}",
        "prose: {0} carried over from last year ≠ table 3 R2 total {1}",
    ),
    (
        "TXT-APP-DONE",
        "正文：办结/答复 {0} 件 ≠ 表三 （七）总计 {1}",
        "prose: {0} handled ≠ table 3 (3.7) total {1}",
    ),
    (
        "TXT-APP-CARRYOUT",
        "正文：结转下年度 {0} 件 ≠ 表三 四、结转下年度 总计 {1}",
        "prose: {0} carried to next year ≠ table 3 R4 total {1}",
    ),
    (
        "TXT-APP-RESULT",
        "正文：{0} {1} 件 ≠ 表三 {2} = {3}",
        "prose: {0} {1} ≠ table 3 {2} = {3}",
    ),
    (
        "TXT-APP-RESULT.row",
        "正文：{0} {1} 件，既不等于表三 {2} = {3}，也不等于其中 {4} = {5}",
        "prose: {0} {1} matches neither table 3 {2} = {3} nor its row {4} = {5}",
    ),
    (
        "TXT-APP-CATEGORY",
        "正文称“{0}”{1} 件，但 {1} 是表三 {2} 的数",
        "prose calls {1} cases “{0}”, but {1} is the table 3 figure of {2}",
    ),
    (
        "TXT-PCT",
        "正文：{0} 件占 {1}%，按 {2} 计算应为 {3}%",
        "prose: {0} is {1}%, but {0} / {2} = {3}%",
    ),
    (
        "TXT-REVIEW",
        "正文：行政复议 {0} 件 ≠ 表四 行政复议 总计 {1}",
        "prose: {0} administrative reviews ≠ table 4 review total {1}",
    ),
    (
        "TXT-LITIG",
        "正文：行政诉讼 {0} 件 ≠ 表四 直接起诉 + 复议后起诉 = {1} + {2} = {3}",
        "prose: {0} lawsuits ≠ table 4 direct + after review = {1} + {2} = {3}",
    ),
    (
        "TXT-OUTCOME",
        "正文称“{0}”，但表四 {1} = {2}",
        "prose says “{0}”, but table 4 {1} = {2}",
    ),
    (
        "TXT-PARTS",
        "共 {0}，其中各项之和 {1} = {2} ≠ {0}",
        "{0} in all, but the parts {1} = {2} ≠ {0}",
    ),
    (
        "TXT-T2",
        "正文：{0} {1} 件 ≠ 表二 {0} {2} = {3}",
        "prose: {0} {1} ≠ table 2 {0} {2} = {3}",
    ),
    (
        "TXT-FEE-21",
        "报告未说明信息处理费收取情况",
        "the report does not state the 信息处理费 collected",
    ),
    (
        "TXT-YEAR.title",
        "标题年份 {0} ≠ 报告年度 {1}",
        "title year {0} ≠ report year {1}",
    ),
    (
        "TXT-YEAR.opening",
        "本部分开头写的是 {0} 年，报告年度为 {1} 年",
        "the part opens with the year {0}, but the report is for {1}",
    ),
    (
        "TXT-YEAR.malformed",
        "年份“{0}”有误",
        "malformed year “{0}”",
    ),
    (
        "FMT-BLANK",
        "{0} 为空（“{1}”），应填 0",
        "{0} is blank (“{1}”); write 0",
    ),
    (
        "FMT-BLANK.table",
        "{0} 全部 {1} 个数字单元格为空，应填 0",
        "all {1} number cells of {0} are blank; write 0",
    ),
    (
        "FMT-BLANK.col",
        "{0} 列在全部 {1} 行均为空（{2}），应填 0",
        "column {0} is blank in all {1} rows ({2}); write 0",
    ),
    (
        "FMT-BLANK.colpart",
        "{0} 列在 {2} 行中有 {1} 行为空（{3}），应填 0",
        "column {0} is blank in {1} of {2} rows ({3}); write 0",
    ),
    (
        "FMT-BLANK.row",
        "{0} 行全部 {1} 个单元格为空，应填 0",
        "all {1} cells of row {0} are blank; write 0",
    ),
    (
        "FMT-BLANK.cells",
        "{0} 行有 {1} 个单元格为空（{2}），应填 0",
        "{1} cells of row {0} are blank ({2}); write 0",
    ),
    (
        "FMT-NUMBER.split",
        "{0}：“{1}” 数字中间有空格，无法确定是一个数还是两个数",
        "{0}: “{1}” has a space between digits — one number or two?",
    ),
    (
        "FMT-NUMBER.two",
        "{0}：“{1}” 一个单元格里有两个数字",
        "{0}: “{1}” holds two numbers in one cell",
    ),
    (
        "FMT-NUMBER.text",
        "{0}：“{1}” 不是数字",
        "{0}: “{1}” is text, not a number",
    ),
    (
        "TBL-DUP-ROW.same",
        "{0} 重复出现（第 {1} 行与第 {2} 行），数值相同；计算使用第一次出现的行",
        "{0} is printed twice (lines {1} and {2}) with the same values; the sums use the first",
    ),
    (
        "TBL-DUP-ROW.differs",
        "{0} 重复出现（第 {1} 行与第 {2} 行），数值不同：{3}；计算使用第一次出现的行",
        "{0} is printed twice (lines {1} and {2}) with different values: {3}; the sums use the first",
    ),
    (
        "FMT-UNITS",
        "{0}：单位“{1}”不是计数单位",
        "{0}: unit “{1}” is not a count unit",
    ),
    (
        "META-TITLE",
        "未找到“…年政府信息公开工作年度报告”标题",
        "no title “…年政府信息公开工作年度报告” found",
    ),
    (
        "META-AGENCY",
        "无法识别发布机关",
        "the issuing agency cannot be identified",
    ),
    (
        "META-DATE",
        "未找到发布日期或落款日期",
        "no publication or signing date found",
    ),
    (
        "META-DEADLINE",
        "发布日期 {0} 晚于期限 {1}（{2}）",
        "published {0}, after the deadline {1} ({2})",
    ),
    (
        "META-DEADLINE.na",
        "无发布日期，无法判断是否在 {0} 前发布（{1}）",
        "no date: cannot tell whether it was published by {0} ({1})",
    ),
    (
        "META-DEADLINE.unknown",
        "无法判断机关类型，未检查发布期限",
        "agency type unknown: deadline not checked",
    ),
    (
        "META-PERIOD",
        "统计期限“{0}”不是 {1} 年1月1日至12月31日",
        "stated period “{0}” is not 1 Jan – 31 Dec {1}",
    ),
    (
        "META-LENGTH",
        "总体情况 {0} 字，超过 {1} 字",
        "part 一 has {0} characters, more than {1}",
    ),
    (
        "X-IDENTITY",
        "配对的报告不是同一机关的相邻年度：{0} {1} → {2} {3}",
        "paired reports are not the same agency in consecutive years: {0} {1} → {2} {3}",
    ),
    (
        "X-TPL-SEQ",
        "{0} → {1}：模板 {2} → {3}，应为 {4} → {5}",
        "{0} → {1}: template {2} → {3}, expected {4} → {5}",
    ),
    (
        "X-CARRY",
        "本年 二、上年结转 = 上年 四、结转下年度：{0} ≠ {1}（{2}）",
        "this year's R2 carried in = last year's R4 carried over: {0} ≠ {1} ({2})",
    ),
    (
        "X-ITEMS-19",
        "{0}：本年 上一年项目数量 = 上年 上一年项目数量 + 本年增/减：{1} ≠ {2} + ({3}) = {4}",
        "{0}: items last year = last year's items + change: {1} ≠ {2} + ({3}) = {4}",
    ),
    (
        "X-PUBTOTAL-19",
        "{0}：对外公开总数量 {1} → {2}，本年新公开 {3}：应在 {1} 与 {4} 之间",
        "{0}: total published {1} → {2} with {3} published this year: expected between {1} and {4}",
    ),
    (
        "X-INFORCE-21",
        "{0}：现行有效 = 上年现行有效 + 本年制发 − 本年废止：{1} ≠ {2} + {3} − {4} = {5}",
        "{0}: in force = last year's in force + issued − repealed: {1} ≠ {2} + {3} − {4} = {5}",
    ),
    (
        "X-BRIDGE-20-21",
        "{0}：2021年 现行有效 {1}，2020年 对外公开总数量 {2}（口径不同，仅供参考）",
        "{0}: 2021 in force {1}, 2020 total published {2} (different definitions, for reference)",
    ),
    (
        "X-DUP",
        "第一、五、六部分与上年重复 {0}%（> {1}%）",
        "parts 一, 五, 六 repeat last year's text: {0}% (> {1}%)",
    ),
    (
        "X-PROBLEMS-REPEAT",
        "第五部分与上年重复 {0}%",
        "part 五 repeats last year's: {0}%",
    ),
    ("X-SWING", "{0}：{1} → {2}（{3}%）", "{0}: {1} → {2} ({3}%)"),
    ("swing.R1", "新收申请", "new applications"),
    ("swing.review", "行政复议", "administrative reviews"),
    ("swing.lit", "行政诉讼", "lawsuits"),
    ("swing.a5", "行政许可决定", "licensing decisions"),
    ("swing.a6", "行政处罚决定", "penalty decisions"),
    // ---- output
    ("out.summary", "汇总", "Summary"),
    ("out.reports", "份报告", "reports"),
    ("out.pairs", "组相邻年度配对", "consecutive-year pairs"),
    ("status.pass", "通过", "pass"),
    ("status.warn", "警告", "warn"),
    ("status.fail", "不通过", "fail"),
    ("status.unreadable", "无法读取", "unreadable"),
    ("sev.error", "错误", "error"),
    ("sev.warning", "警告", "warning"),
    ("sev.info", "提示", "info"),
    ("outcome.fail", "不符", "fail"),
    ("outcome.not_assessable", "无法判断", "not assessable"),
    ("out.pair", "配对", "pair"),
    (
        "out.no_pairs",
        "无相邻年度配对",
        "no consecutive-year pairs",
    ),
    ("out.reason", "原因", "reason"),
    ("out.quote", "原文", "quote"),
    ("out.line", "行", "line"),
    ("csv.path", "文件", "path"),
    ("csv.agency", "机关", "agency"),
    ("csv.year", "年度", "year"),
    ("csv.template", "模板", "template"),
    ("csv.status", "状态", "status"),
    ("csv.rule", "规则", "rule"),
    ("csv.severity", "级别", "severity"),
    ("csv.outcome", "结论", "outcome"),
    ("csv.location", "位置", "location"),
    ("csv.message", "说明", "message"),
    ("csv.expected", "应为", "expected"),
    ("csv.actual", "实际", "actual"),
    ("csv.quote", "原文", "quote"),
    ("csv.line", "行号", "line"),
];

/// The message for `key` in `lang` with `{0}`, `{1}`, … replaced by `args`.
/// An unknown key gives the key itself (never panics).
pub fn tr(lang: Lang, key: &str, args: &[&str]) -> String {
    let Some((_, zh, en)) = CATALOGUE.iter().find(|(k, _, _)| *k == key) else {
        return key.to_string();
    };
    let template = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    fill(template, args)
}

/// Replace `{i}` placeholders.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => match after[..end].parse::<usize>() {
                Ok(i) => {
                    out.push_str(args.get(i).copied().unwrap_or(""));
                    rest = &after[end + 1..];
                }
                Err(_) => {
                    out.push('{');
                    rest = after;
                }
            },
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A label with no placeholders.
pub fn label(lang: Lang, key: &str) -> String {
    tr(lang, key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            if let Some(j) = after.find('}') {
                out.insert(after[..j].to_string());
                rest = &after[j + 1..];
            } else {
                break;
            }
        }
        out
    }

    #[test]
    fn both_languages_complete_and_consistent() {
        let mut keys = BTreeSet::new();
        for (k, zh, en) in CATALOGUE {
            assert!(keys.insert(*k), "duplicate key {k}");
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{k} empty");
            assert_eq!(
                placeholders(zh),
                placeholders(en),
                "{k} placeholders differ"
            );
        }
    }

    #[test]
    fn fill_replaces_positionally() {
        assert_eq!(
            fill("{0} ≠ {1}（{2}）", &["20", "26", "自然人"]),
            "20 ≠ 26（自然人）"
        );
        assert_eq!(tr(Lang::En, "no-such-key", &[]), "no-such-key");
        assert_eq!(fill("{x} {9}", &[]), "{x} ");
    }
}
