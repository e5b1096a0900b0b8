//! The two official templates as data (described in docs/templates.md), and the label normalisation
//! that lets real-world spellings match them.
//!
//! Keys (docs/templates.md): `T2.<sub>.<row>.<col>`, `T3.<row>.<col>`, `T4.<group>.<col>`.

use crate::model::Template;
use unicode_normalization::UnicodeNormalization;

/// A labelled row or column of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub key: &'static str,
    pub label: &'static str,
}

const fn l(key: &'static str, label: &'static str) -> Label {
    Label { key, label }
}

/// One sub-table of table 2 (第二十条第（N）项).
#[derive(Debug, Clone, Copy)]
pub struct SubTable {
    /// `a1`, `a5`, `a6`, `a8`, `a9`.
    pub id: &'static str,
    pub caption: &'static str,
    /// Row keys are the row names themselves (`规章`, `行政处罚`), as in docs/templates.md.
    pub rows: &'static [&'static str],
    pub cols: &'static [Label],
}

pub const T2_2019: &[SubTable] = &[
    SubTable {
        id: "a1",
        caption: "第二十条第（一）项",
        rows: &["规章", "规范性文件"],
        cols: &[
            l("made", "本年新制作数量"),
            l("published", "本年新公开数量"),
            l("public_total", "对外公开总数量"),
        ],
    },
    SubTable {
        id: "a5",
        caption: "第二十条第（五）项",
        rows: &["行政许可", "其他对外管理服务事项"],
        cols: &[
            l("prev_items", "上一年项目数量"),
            l("delta", "本年增/减"),
            l("decisions", "处理决定数量"),
        ],
    },
    SubTable {
        id: "a6",
        caption: "第二十条第（六）项",
        rows: &["行政处罚", "行政强制"],
        cols: &[
            l("prev_items", "上一年项目数量"),
            l("delta", "本年增/减"),
            l("decisions", "处理决定数量"),
        ],
    },
    SubTable {
        id: "a8",
        caption: "第二十条第（八）项",
        rows: &["行政事业性收费"],
        cols: &[l("prev_items", "上一年项目数量"), l("delta", "本年增/减")],
    },
    SubTable {
        id: "a9",
        caption: "第二十条第（九）项",
        rows: &["政府集中采购"],
        cols: &[l("count", "采购项目数量"), l("amount", "采购总金额")],
    },
];

pub const T2_2021: &[SubTable] = &[
    SubTable {
        id: "a1",
        caption: "第二十条第（一）项",
        rows: &["规章", "行政规范性文件"],
        cols: &[
            l("issued", "本年制发件数"),
            l("repealed", "本年废止件数"),
            l("in_force", "现行有效件数"),
        ],
    },
    SubTable {
        id: "a5",
        caption: "第二十条第（五）项",
        rows: &["行政许可"],
        cols: &[l("decisions", "本年处理决定数量")],
    },
    SubTable {
        id: "a6",
        caption: "第二十条第（六）项",
        rows: &["行政处罚", "行政强制"],
        cols: &[l("decisions", "本年处理决定数量")],
    },
    SubTable {
        id: "a8",
        caption: "第二十条第（八）项",
        rows: &["行政事业性收费"],
        cols: &[l("amount_wan", "本年收费金额（单位：万元）")],
    },
];

/// Table 3 value columns (docs/templates.md).
pub const T3_COLS: &[Label] = &[
    l("C1", "自然人"),
    l("C2", "商业企业"),
    l("C3", "科研机构"),
    l("C4", "社会公益组织"),
    l("C5", "法律服务机构"),
    l("C6", "其他"),
    l("C7", "总计"),
];

/// Short names of the table 3 columns, for narrow column headers (same keys as
/// [`T3_COLS`]).
pub const T3_COLS_SHORT: &[Label] = &[
    l("C1", "自然人"),
    l("C2", "企业"),
    l("C3", "科研"),
    l("C4", "公益"),
    l("C5", "法律"),
    l("C6", "其他"),
    l("C7", "总计"),
];

/// Table 3 rows shared by both templates, in order, up to （五）.
const T3_HEAD: &[Label] = &[
    l("R1", "一、本年新收政府信息公开申请数量"),
    l("R2", "二、上年结转政府信息公开申请数量"),
    l("R3_1", "（一）予以公开"),
    l(
        "R3_2",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    l("R3_3_1", "1.属于国家秘密"),
    l("R3_3_2", "2.其他法律行政法规禁止公开"),
    l("R3_3_3", "3.危及“三安全一稳定”"),
    l("R3_3_4", "4.保护第三方合法权益"),
    l("R3_3_5", "5.属于三类内部事务信息"),
    l("R3_3_6", "6.属于四类过程性信息"),
    l("R3_3_7", "7.属于行政执法案卷"),
    l("R3_3_8", "8.属于行政查询事项"),
    l("R3_4_1", "1.本机关不掌握相关政府信息"),
    l("R3_4_2", "2.没有现成信息需要另行制作"),
    l("R3_4_3", "3.补正后申请内容仍不明确"),
    l("R3_5_1", "1.信访举报投诉类申请"),
    l("R3_5_2", "2.重复申请"),
    l("R3_5_3", "3.要求提供公开出版物"),
    l("R3_5_4", "4.无正当理由大量反复申请"),
    l("R3_5_5", "5.要求行政机关确认或重新出具已获取信息"),
];

const T3_2019_OTHER: &[Label] = &[l("R3_6", "（六）其他处理")];

const T3_2021_OTHER: &[Label] = &[
    l(
        "R3_6_1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    l(
        "R3_6_2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    l("R3_6_3", "3.其他"),
];

const T3_TAIL: &[Label] = &[l("R3_7", "（七）总计"), l("R4", "四、结转下年度继续办理")];

/// Group labels of table 3 (merged cells without numbers of their own).
pub const T3_GROUPS: &[Label] = &[
    l("R3", "三、本年度办理结果"),
    l("R3_3", "（三）不予公开"),
    l("R3_4", "（四）无法提供"),
    l("R3_5", "（五）不予处理"),
    l("R3_6", "（六）其他处理"),
];

/// The data rows of table 3 for a template, in printed order (23 for 2019, 25 for 2021).
pub fn t3_rows(template: Template) -> Vec<Label> {
    let other = match template {
        Template::F2021 => T3_2021_OTHER,
        Template::F2019 | Template::Hybrid => T3_2019_OTHER,
    };
    T3_HEAD
        .iter()
        .chain(other)
        .chain(T3_TAIL)
        .copied()
        .collect()
}

/// A short, unambiguous label for a table 3 row key, for narrow displays:
/// `R3_3_1` → `（三）1.属于国家秘密`, `R3_2` → `（二）部分公开`, `R1` → `一、本年新收申请`.
pub fn t3_short_label(key: &str) -> Option<String> {
    let short = match key {
        "R1" => "一、本年新收申请",
        "R2" => "二、上年结转申请",
        "R3_2" => "（二）部分公开",
        "R4" => "四、结转下年度继续办理",
        _ => "",
    };
    if !short.is_empty() {
        return Some(short.to_string());
    }
    let label = t3_all_rows().into_iter().find(|l| l.key == key)?.label;
    let group = T3_GROUPS
        .iter()
        .filter(|g| g.key != "R3" && key.starts_with(g.key) && key.len() > g.key.len())
        .map(|g| {
            g.label
                .chars()
                .take_while(|c| *c != '）')
                .collect::<String>()
                + "）"
        })
        .next();
    Some(match group {
        Some(g) => format!("{g}{label}"),
        None => label.to_string(),
    })
}

/// Every table 3 data row known to either template, in printed order.
pub fn t3_all_rows() -> Vec<Label> {
    T3_HEAD
        .iter()
        .chain(T3_2019_OTHER)
        .chain(T3_2021_OTHER)
        .chain(T3_TAIL)
        .copied()
        .collect()
}

/// Table 4 groups and leaf columns (docs/templates.md).
pub const T4_GROUPS: &[Label] = &[
    l("review", "行政复议"),
    l("lit_direct", "行政诉讼·未经复议直接起诉"),
    l("lit_after_review", "行政诉讼·复议后起诉"),
];

pub const T4_COLS: &[Label] = &[
    l("upheld", "结果维持"),
    l("corrected", "结果纠正"),
    l("other", "其他结果"),
    l("pending", "尚未审结"),
    l("total", "总计"),
];

/// Short names of the table 4 columns (same keys as [`T4_COLS`]).
pub const T4_COLS_SHORT: &[Label] = &[
    l("upheld", "维持"),
    l("corrected", "纠正"),
    l("other", "其他"),
    l("pending", "未审结"),
    l("total", "总计"),
];

/// The six required section headings (docs/templates.md).
pub const SECTIONS: &[Label] = &[
    l("S1", "总体情况"),
    l("S2", "主动公开政府信息情况"),
    l("S3", "收到和处理政府信息公开申请情况"),
    l("S4", "政府信息公开行政复议、行政诉讼情况"),
    l("S5", "存在的主要问题及改进情况"),
    l("S6", "其他需要报告的事项"),
];

/// Words that identify a heading as one of the six parts, tolerating the variants of §1.3.
pub fn section_id_for_heading(heading: &str) -> Option<&'static str> {
    let h = normalize_label(heading);
    let has = |w: &str| h.contains(w);
    if has("总体情况") || has("工作基本情况") || has("基本情况") && h.chars().count() <= 12
    {
        Some("S1")
    } else if has("主动公开") {
        Some("S2")
    } else if has("收到和处理") || has("依申请") || has("申请情况") {
        Some("S3")
    } else if has("复议") || has("诉讼") {
        Some("S4")
    } else if has("存在的主要问题") || has("存在问题") || has("主要问题") || has("改进情况")
    {
        Some("S5")
    } else if has("其他需要报告") || has("其他事项") {
        Some("S6")
    } else {
        None
    }
}

/// Canonical heading of a section id.
pub fn section_heading(id: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|s| s.key == id).map(|s| s.label)
}

/// Normalise a printed label for matching: NFKC (full-width brackets and digits to
/// half-width), drop whitespace, unify quotes and list markers, and fold the known
/// spelling variants (新收到→新收, 转结→结转, 合计→总计).
pub fn normalize_label(s: &str) -> String {
    let folded: String = s
        .nfkc()
        .filter(|c| !c.is_whitespace() && !is_quote(*c))
        .map(|c| match c {
            '、' | '．' => '.',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect();
    folded
        .replace("新收到", "新收")
        .replace("转结", "结转")
        .replace("合计", "总计")
}

/// `normalize_label` of a template label, computed once per label: matching a table compares
/// every printed label with every template label, so this is on the import's hot path.
pub fn normalized(label: &'static str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static CACHE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        let t2 = T2_2019.iter().chain(T2_2021);
        let labels = t3_all_rows()
            .into_iter()
            .chain(T3_GROUPS.iter().copied())
            .chain(t2.clone().flat_map(|s| s.cols.iter().copied()))
            .map(|l| l.label)
            .chain(t2.flat_map(|s| s.rows.iter().copied()))
            .chain(SIGNALS_2019.iter().copied())
            .chain(SIGNALS_2021.iter().copied());
        labels
            .map(|l| (l, &*Box::leak(normalize_label(l).into_boxed_str())))
            .collect()
    });
    match cache.get(label) {
        Some(n) => n,
        // Not a template label: normalise and keep it (labels are static, so this is bounded).
        None => Box::leak(normalize_label(label).into_boxed_str()),
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
    )
}

/// Split a normalised label into its list marker and body: `(三)不予公开` → (`(三)`, `不予公开`),
/// `2.重复申请` → (`2.`, `重复申请`), `三.本年度办理结果` → (`三.`, …).
pub fn split_marker(norm: &str) -> (&str, &str) {
    let bytes_end = |n: usize| norm.char_indices().nth(n).map(|(i, _)| i);
    let chars: Vec<char> = norm.chars().collect();
    if chars.first() == Some(&'(') {
        if let Some(close) = chars.iter().position(|c| *c == ')') {
            if close <= 4 && chars[1..close].iter().all(|c| is_numeral(*c)) {
                let at = bytes_end(close + 1).unwrap_or(norm.len());
                return norm.split_at(at);
            }
        }
    }
    let digits = chars.iter().take_while(|c| is_numeral(**c)).count();
    if digits > 0 && digits <= 3 && chars.get(digits) == Some(&'.') {
        let at = bytes_end(digits + 1).unwrap_or(norm.len());
        return norm.split_at(at);
    }
    ("", norm)
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
}

/// Character-level similarity (share of the template label's characters found in order)
/// used to accept typos such as `2.其他法律行政止公开`.
pub fn similarity(printed: &str, template: &str) -> f64 {
    let t: Vec<char> = template.chars().collect();
    if t.is_empty() {
        return 0.0;
    }
    // Longest common subsequence length over the template length.
    let p: Vec<char> = printed.chars().collect();
    let mut prev = vec![0usize; t.len() + 1];
    for pc in &p {
        let mut cur = vec![0usize; t.len() + 1];
        for (j, tc) in t.iter().enumerate() {
            cur[j + 1] = if pc == tc {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        prev = cur;
    }
    let lcs = prev[t.len()] as f64;
    lcs / (t.len().max(p.len()) as f64)
}

/// Signature labels that tell the 2019 format from the 2021 one (TPL-VERSION, TPL-HYBRID).
pub const SIGNALS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "第二十条第(九)项",
    "政府集中采购",
    "其他对外管理服务事项",
];

pub const SIGNALS_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年收费金额",
    "本年处理决定数量",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_normalise_to_the_template_label() {
        assert_eq!(
            normalize_label("一、本年新收到政府信息公开申请数量"),
            normalize_label("一、本年新收政府信息公开申请数量")
        );
        assert_eq!(
            normalize_label("四、转结下年度继续办理"),
            normalize_label("四、结转下年度继续办理")
        );
        assert_eq!(
            normalize_label("3.危及\"三安全一稳定\""),
            normalize_label("3．危及“三安全一稳定”")
        );
        assert_eq!(normalize_label("1、属于 国家秘密"), "1.属于国家秘密");
        assert_eq!(normalize_label("(三)不予公开"), "(三)不予公开");
        assert_eq!(normalize_label("（三）不予公开"), "(三)不予公开");
    }

    #[test]
    fn markers_split_from_bodies() {
        assert_eq!(split_marker("(三)不予公开"), ("(三)", "不予公开"));
        assert_eq!(split_marker("2.重复申请"), ("2.", "重复申请"));
        assert_eq!(split_marker("三.本年度办理结果"), ("三.", "本年度办理结果"));
        assert_eq!(split_marker("规章"), ("", "规章"));
    }

    #[test]
    fn typo_is_similar_but_not_equal() {
        let s = similarity("其他法律行政止公开", "其他法律行政法规禁止公开");
        assert!(s > 0.6 && s < 1.0, "{s}");
        assert!(similarity("重复申请", "属于国家秘密") < 0.3);
    }

    #[test]
    fn short_labels_carry_their_group() {
        assert_eq!(t3_short_label("R3_3_1").unwrap(), "（三）1.属于国家秘密");
        assert_eq!(t3_short_label("R3_6_3").unwrap(), "（六）3.其他");
        assert_eq!(t3_short_label("R3_6").unwrap(), "（六）其他处理");
        assert_eq!(t3_short_label("R3_7").unwrap(), "（七）总计");
        assert_eq!(t3_short_label("X1"), None);
    }

    #[test]
    fn row_counts_match_the_templates() {
        assert_eq!(t3_rows(Template::F2019).len(), 23);
        assert_eq!(t3_rows(Template::F2021).len(), 25);
        assert_eq!(T4_GROUPS.len() * T4_COLS.len(), 15);
    }
}
