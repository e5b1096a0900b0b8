//! The rule catalogue as data: id, scope, templates, default severity and a
//! bilingual title and formula. Docs (`docs/rules.md`) and `check --list-rules` come from here.

use super::Severity;
use crate::i18n::Lang;
use crate::model::Template;

/// Which reports a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Both templates.
    All,
    /// 2019 format only (catalogue "19").
    F2019,
    /// 2021 format only (catalogue "21"; hybrid reports count as 2021).
    F2021,
}

impl Applies {
    pub fn as_str(self) -> &'static str {
        match self {
            Applies::All => "all",
            Applies::F2019 => "19",
            Applies::F2021 => "21",
        }
    }
}

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    /// Id: a fixed name that configurations, marks and exports refer to.
    pub id: &'static str,
    /// 1 = one report, 2 = two consecutive years.
    pub scope: u8,
    pub applies: Applies,
    /// Default severity (for the 2019 format when `severity_2021` is set).
    pub severity: Severity,
    /// Default severity for the 2021 format when it differs (SEC-EMPTY-6: I / W).
    pub severity_2021: Option<Severity>,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub formula_zh: &'static str,
    pub formula_en: &'static str,
}

impl RuleDef {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }

    pub fn formula(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.formula_zh,
            Lang::En => self.formula_en,
        }
    }

    /// Default severity for a report of this template.
    pub fn default_severity(&self, template: Template) -> Severity {
        match (template, self.severity_2021) {
            (Template::F2021 | Template::Hybrid, Some(s)) => s,
            _ => self.severity,
        }
    }

    /// Whether the rule applies to a report of this template.
    pub fn applies_to(&self, template: Template) -> bool {
        match self.applies {
            Applies::All => true,
            Applies::F2019 => template == Template::F2019,
            Applies::F2021 => matches!(template, Template::F2021 | Template::Hybrid),
        }
    }
}

use Severity::{Error as E, Info as I, Warning as W};

#[allow(clippy::too_many_arguments)]
const fn r(
    id: &'static str,
    scope: u8,
    applies: Applies,
    severity: Severity,
    title_zh: &'static str,
    title_en: &'static str,
    formula_zh: &'static str,
    formula_en: &'static str,
) -> RuleDef {
    RuleDef {
        id,
        scope,
        applies,
        severity,
        severity_2021: None,
        title_zh,
        title_en,
        formula_zh,
        formula_en,
    }
}

use Applies::{All, F2019 as A19, F2021 as A21};

/// Every rule, in catalogue order.
pub const RULES: &[RuleDef] = &[
    r("TPL-VERSION", 1, All, E, "模板版本与年度相符", "template matches the year",
      "年度≤2020 ⇒ 2019版格式；年度≥2021 ⇒ 2021版格式",
      "year ≤ 2020 ⇒ 2019 format; year ≥ 2021 ⇒ 2021 format"),
    r("TPL-HYBRID", 1, All, E, "未混用新旧模板", "no mix of the two templates",
      "不得同时出现2019版与2021版的特征栏目",
      "no mix of 2019-format and 2021-format signature labels"),
    r("SEC-MISSING", 1, All, E, "六个部分齐全", "all six parts present",
      "一、总体情况 … 六、其他需要报告的事项 均须出现",
      "parts 一 … 六 (general situation … other matters) are all present"),
    r("SEC-ORDER", 1, All, W, "各部分顺序", "parts in order",
      "各部分按 一…六 的顺序排列", "parts appear in the order 一 … 六"),
    r("SEC-NUMBERING", 1, All, W, "部分编号规范", "part numbering",
      "标题编号 = 一…六 + “、”", "heading prefix = Chinese numeral 一 … 六 followed by 、"),
    r("SEC-TITLE-VARIANT", 1, All, I, "标题与统一格式不同", "heading differs from the standard",
      "标题文字 = 统一格式标题", "heading text = the standard heading"),
    r("SEC-EMPTY-5", 1, All, W, "第五部分有实质内容", "part 五 has content",
      "五、存在的主要问题及改进情况 不为空、不为“无”或泛泛而谈",
      "part 五 (problems and improvements) is not empty, not “无”, not generic"),
    RuleDef {
        severity_2021: Some(W),
        ..r("SEC-EMPTY-6", 1, All, I, "第六部分不为空", "part 六 not empty",
            "六、其他需要报告的事项 不为空（2019版提示，2021版警告）",
            "part 六 (other matters) is not empty (info for the 2019 format, warning for 2021)")
    },
    r("SEC-GOV-50-4", 1, All, W, "政府年报含考核、评议、追究情况", "government report covers 考核/评议/追究",
      "人民政府年报须提及工作考核、社会评议和责任追究结果（条例第五十条第四项）",
      "reports of people's governments mention 工作考核, 社会评议 and 责任追究 (条例 art. 50 (4))"),
    r("TBL-MISSING", 1, All, E, "表格齐全", "tables present",
      "表二、表三、表四 均存在且可解析", "tables 2, 3 and 4 are present and parsed"),
    r("TBL-EXTRA-ROWS", 1, All, W, "无模板外行列", "no rows or columns outside the template",
      "表格不含统一格式以外的行或列", "no rows or columns outside the template"),
    r("TBL-DUP-ROW", 1, All, W, "表格行不重复", "no repeated table rows",
      "同一行不重复出现；重复的行单独检查，合计使用第一次出现的行",
      "a row is printed once; a repeated row is checked on its own and the sums use the first copy"),
    r("T3-LABELS", 1, All, E, "表三行列齐全", "table 3 rows and columns complete",
      "表三所有行、列均存在并可识别", "every row and column of table 3 is present and recognised"),
    r("T3-BAL", 1, All, E, "表三收支平衡", "table 3 balance",
      "一 + 二 = （七）总计 + 四（每列）", "R1 + R2 = R3_7 + R4 (new + carried in = total handled + carried over), per column"),
    r("T3-ROW", 1, All, E, "表三行合计", "table 3 row total",
      "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他（每行）",
      "C7 total = C1 + … + C6, per data row"),
    r("T3-RES", 1, All, E, "表三办理结果合计", "table 3 results add up",
      "（七）总计 = （一）+（二）+Σ（三）+Σ（四）+Σ（五）+（六）（每列；2021版（六）为三个子项之和）",
      "R3_7 = R3_1 + R3_2 + ΣR3_3_* + ΣR3_4_* + ΣR3_5_* + R3_6 (2021: ΣR3_6_1..3), per column"),
    r("T3-SUBTOTAL", 1, All, E, "表三小计", "table 3 subtotals",
      "小计行 = 其子项之和（仅当报告自行加了小计行）",
      "subtotal row = sum of its sub-rows (only when the report adds subtotal rows)"),
    r("T3-INT", 1, All, E, "表三为非负整数", "table 3 non-negative integers",
      "表三每个单元格为非负整数", "every table 3 cell is an integer ≥ 0"),
    r("T3-BOUND", 1, All, E, "办结不超过受理", "handled ≤ received",
      "（七）总计 ≤ 一 + 二（每列）", "R3_7 ≤ R1 + R2, per column"),
    r("T3-OTHER-FEE", 1, A21, I, "逾期未缴费须说明信息处理费", "unpaid fee notices vs fee statement",
      "（六）2. 逾期未缴费 > 0 ⇒ 第六部分提及信息处理费",
      "R3_6_2 total > 0 ⇒ part 六 mentions 信息处理费"),
    r("T4-SUM", 1, All, E, "表四合计", "table 4 totals",
      "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结（复议、直接起诉、复议后起诉）",
      "total = upheld + corrected + other + pending, for review, direct suits and suits after review"),
    r("T4-INT", 1, All, E, "表四为非负整数", "table 4 non-negative integers",
      "表四15个单元格为非负整数", "the 15 table 4 cells are integers ≥ 0"),
    r("T4-AFTER", 1, All, I, "复议后起诉而本年无复议", "suits after review without reviews",
      "复议后起诉 > 0 而 行政复议 = 0", "lit_after_review.total > 0 while review.total = 0"),
    r("T2-19-A1-PUB", 1, A19, W, "新公开不超过公开总数", "newly published ≤ total published",
      "本年新公开数量 ≤ 对外公开总数量", "published ≤ public_total (规章, 规范性文件)"),
    r("T2-19-A1-MADE", 1, A19, I, "新公开不超过新制作", "newly published ≤ newly made",
      "本年新公开数量 ≤ 本年新制作数量", "published ≤ made"),
    r("T2-19-ITEMS-NONNEG", 1, A19, E, "事项数不为负", "item count not negative",
      "上一年项目数量 + 本年增/减 ≥ 0（第五、六、八项）", "prev_items + delta ≥ 0 (a5, a6, a8)"),
    r("T2-19-DECISIONS-NOITEMS", 1, A19, W, "有决定而无事项", "decisions without items",
      "处理决定数量 > 0 ⇒ 上一年项目数量 + 本年增/减 > 0", "decisions > 0 ⇒ prev_items + delta > 0"),
    r("T2-19-A9-UNIT", 1, A19, W, "采购总金额有单位", "procurement amount has a unit",
      "采购总金额注明单位（元/万元）", "采购总金额 carries a unit (元 / 万元)"),
    r("T2-19-A9-PLAUS", 1, A19, I, "采购项目与金额一致", "procurement count vs amount",
      "采购项目数量 = 0 ⇔ 采购总金额 = 0", "count = 0 ⇔ amount = 0"),
    r("T2-21-INT", 1, A21, E, "表二为非负数", "table 2 non-negative",
      "第一、五、六项为非负整数；第八项 ≥ 0", "a1, a5, a6 integers ≥ 0; a8 ≥ 0"),
    r("T2-21-ISSUED-LE-INFORCE", 1, A21, W, "制发不超过现行有效", "issued ≤ in force",
      "本年制发件数 ≤ 现行有效件数", "issued ≤ in_force"),
    r("T2-21-A8-UNIT", 1, A21, W, "收费金额以万元计", "fee amount in 万元",
      "本年收费金额单位为万元", "a8 is in 万元"),
    r("T2-RULE-REG", 1, All, W, "无规章制定权而填报规章", "规章 without rulemaking power",
      "规章 > 0 仅限有规章制定权的机关", "规章 values > 0 only for agencies with rulemaking power"),
    r("TXT-APP-NEW", 1, All, W, "正文收到申请数与表三一致", "prose applications received = table 3",
      "正文“收到/受理申请 N 件” = 一、本年新收（总计）（或 一 + 二）",
      "prose “received N applications” = R1 total (or R1 + R2)"),
    r("TXT-APP-CARRYIN", 1, All, W, "正文上年结转数与表三一致", "prose carried in = table 3",
      "正文“上年结转 N 件” = 二、上年结转（总计）", "prose “carried over from last year N” = R2 total"),
    r("TXT-APP-DONE", 1, All, W, "正文办结数与表三一致", "prose handled = table 3",
      "正文“办结/答复 N 件” = （七）总计（总计）", "prose “handled/answered N” = R3_7 total"),
    r("TXT-APP-CARRYOUT", 1, All, W, "正文结转下年度数与表三一致", "prose carried over = table 3",
      "正文“结转下年度 N 件” = 四、结转下年度继续办理（总计）", "prose “carried to next year N” = R4 total"),
    r("TXT-APP-RESULT", 1, All, W, "正文办理结果数与表三一致", "prose results = table 3",
      "正文“予以公开/部分公开/不予公开/无法提供/不予处理/其他处理 N 件” = 表三对应行（总计）",
      "prose result counts (予以公开 … 其他处理) = the matching table 3 rows (total)"),
    r("TXT-APP-CATEGORY", 1, All, I, "正文办理结果类别用词", "prose result category word",
      "正文某类办理结果的件数与该类不符而恰与表三另一类（或其中一行）相符",
      "a prose result figure that does not fit the group it names but fits another group (or one of its rows) of table 3"),
    r("TXT-PCT", 1, All, I, "正文百分比", "prose percentages",
      "正文“占 X%” = N ÷ 基数（±0.1个百分点）", "quoted % = computed share ± 0.1 pt"),
    r("TXT-REVIEW", 1, All, W, "正文行政复议数与表四一致", "prose reviews = table 4",
      "正文“行政复议 N 件” = 表四 行政复议 总计", "prose “administrative review N” = T4.review.total"),
    r("TXT-LITIG", 1, All, W, "正文行政诉讼数与表四一致", "prose lawsuits = table 4",
      "正文“行政诉讼 N 件” = 未经复议直接起诉 总计 + 复议后起诉 总计",
      "prose “lawsuits N” = lit_direct.total + lit_after_review.total"),
    r("TXT-OUTCOME", 1, All, I, "“均获维持”与表四一致", "“all upheld” vs table 4",
      "“均获维持/零败诉” ⇒ 结果纠正 = 其他结果 = 尚未审结 = 0",
      "“均获维持” ⇒ corrected = other = pending = 0"),
    r("TXT-PARTS", 1, All, W, "正文分项之和等于总数", "prose parts add up",
      "“共 T，其中 a、b …” ⇒ a + b + … = T", "“T in all, of which a, b …” ⇒ a + b + … = T"),
    r("TXT-T2", 1, All, I, "正文规章、规范性文件数与表二一致", "prose 规章/规范性文件 = table 2",
      "正文规章、规范性文件件数 = 表二第（一）项", "prose counts of 规章 / 规范性文件 = T2 a1"),
    r("TXT-FEE-21", 1, A21, W, "说明信息处理费收取情况", "fee statement present",
      "报告说明信息处理费收取情况（含“未收取”）", "the report states the 信息处理费 collected (or none)"),
    r("TXT-YEAR", 1, All, W, "年份与报告年度相符", "years match the report year",
      "标题年份、一和五部分开头的年份 = 报告年度；无“202020年”之类笔误", "title year and the year opening parts 一 and 五 = report year; no malformed years such as 202020年"),
    r("FMT-BLANK", 1, All, W, "数字单元格不留空", "no blank number cells",
      "数字单元格不得为空、“—”、“/”、“无”（应填0）", "number cells are not blank, “—”, “/” or “无” (write 0)"),
    r("FMT-NUMBER", 1, All, W, "数字单元格为一个数字", "number cells hold one number",
      "数字单元格为一个数字（不含空格分开的数字、两个数字或文字）",
      "a number cell holds one number (no digits split by a space, no two numbers, no text)"),
    r("FMT-UNITS", 1, All, W, "单位正确", "correct units",
      "计数单元格的单位为件/条/个/项", "count cells carry no unit other than 件/条/个/项"),
    r("META-TITLE", 1, All, W, "有标题", "title present",
      "标题形如“<机关><年度>年政府信息公开工作年度报告”", "a title “<agency><year>年政府信息公开工作年度报告” is present"),
    r("META-AGENCY", 1, All, E, "可识别发布机关", "agency identifiable",
      "标题或落款中可识别发布机关", "the issuing agency is identifiable from title or signature"),
    r("META-DATE", 1, All, W, "有发布日期", "date present",
      "有发布日期或落款日期", "a publication or signing date is present"),
    r("META-DEADLINE", 1, All, W, "按时发布", "published on time",
      "发布日期 ≤ 期限（部门1月31日，县级以上政府3月31日，乡镇按配置）",
      "date ≤ deadline (departments 01-31, county-and-above governments 03-31, townships as configured)"),
    r("META-PERIOD", 1, All, W, "统计期限为全年", "statistics period is the year",
      "所述统计期限 = 当年1月1日至12月31日", "the stated period = 1 Jan – 31 Dec of the report year"),
    r("META-LENGTH", 1, All, I, "总体情况篇幅", "length of part 一",
      "总体情况 ≤ 约1000字（地方要求）", "part 一 ≤ about 1000 characters (local norm)"),
    r("X-IDENTITY", 2, All, E, "同一机关、相邻年度", "same agency, consecutive years",
      "机关相同且 年度 = 上年度 + 1", "same agency and Y = (Y−1) + 1"),
    r("X-TPL-SEQ", 2, All, W, "模板更替与年度相符", "template sequence",
      "上年≤2020且本年≥2021 ⇒ 换用新模板；否则模板相同",
      "Y−1 ≤ 2020 and Y ≥ 2021 ⇒ template switch; otherwise the same template"),
    r("X-CARRY", 2, All, E, "上年结转衔接", "carry-over continuity",
      "本年 二、上年结转 = 上年 四、结转下年度（每列）", "Y.R2[c] = (Y−1).R4[c], per column"),
    r("X-ITEMS-19", 2, A19, W, "事项数衔接", "item count continuity",
      "2020年 上一年项目数量 = 2019年 上一年项目数量 + 本年增/减",
      "2020.prev_items = 2019.prev_items + 2019.delta"),
    r("X-PUBTOTAL-19", 2, A19, I, "对外公开总数衔接", "public total continuity",
      "上年 对外公开总数量 ≤ 本年 对外公开总数量 ≤ 上年 对外公开总数量 + 本年新公开数量",
      "(Y−1).public_total ≤ Y.public_total ≤ (Y−1).public_total + Y.published"),
    r("X-INFORCE-21", 2, A21, W, "现行有效件数衔接", "in-force continuity",
      "本年 现行有效 = 上年 现行有效 + 本年制发 − 本年废止",
      "Y.in_force = (Y−1).in_force + Y.issued − Y.repealed"),
    r("X-BRIDGE-20-21", 2, A21, I, "2020对外公开总数与2021现行有效", "2020 public total vs 2021 in force",
      "2021年 现行有效件数 与 2020年 对外公开总数量 对照（定义不同）",
      "2021.in_force versus 2020.public_total (different definitions)"),
    r("X-DUP", 2, All, W, "与上年雷同", "repeats last year",
      "一、五、六部分与上年报告的句子重复率 ≤ 50%", "sentence repetition of parts 一, 五, 六 against last year ≤ 50%"),
    r("X-PROBLEMS-REPEAT", 2, All, I, "问题与上年重复", "problems repeat last year",
      "第五部分不照抄上年", "part 五 is not a copy of last year's"),
    r("X-SWING", 2, All, I, "同比大幅变动", "large year-on-year change",
      "申请数、复议诉讼数、处理决定数变动不超过 ±200%（基数 ≥ 20）",
      "R1 total, T4 totals, a5/a6 decisions change by no more than ±200% (base ≥ 20)"),
];

/// Look a rule up by id.
pub fn rule(id: &str) -> Option<&'static RuleDef> {
    RULES.iter().find(|r| r.id == id)
}

fn sev_letter(s: Severity) -> &'static str {
    match s {
        Severity::Error => "E",
        Severity::Warning => "W",
        Severity::Info => "I",
    }
}

/// The catalogue as a Markdown table; `docs/rules.md` embeds it (a test keeps them in sync).
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| id | scope | template | severity | 规则 | rule | formula（公式） |\n|---|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        let sev = match r.severity_2021 {
            Some(s21) => format!(
                "{} (2019) / {} (2021)",
                sev_letter(r.severity),
                sev_letter(s21)
            ),
            None => sev_letter(r.severity).to_string(),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {}<br>{} |\n",
            r.id,
            r.scope,
            r.applies.as_str(),
            sev,
            r.title_zh,
            r.title_en,
            r.formula_zh.replace('|', "\\|"),
            r.formula_en.replace('|', "\\|"),
        ));
    }
    s
}
