//! Where a mark or a finding points, in the report's own words rather than its key:
//! `T3.R3_7.C1` → `表三 （七）总计 · 自然人`, `T2.a1.规章.public` → `表二（一） 规章 · 本年新公开数量`,
//! `T4.review.total` → `表四 行政复议 · 总计`, `S6` → `六、其他需要报告的事项`. Table and section
//! words are the templates' (docs/templates.md) in Chinese whatever the language: they are what
//! the printed report says. Only the words for metadata and the whole report follow `lang`.

use super::{ItemRef, Target};
use crate::i18n::Lang;
use crate::model::key::{Location, TableId};
use crate::template::{self, T3_COLS, T4_COLS, T4_GROUPS};

/// The item's place: the whole report, a cell, a section, or a finding's location.
pub fn item_words(item: &ItemRef, lang: Lang) -> String {
    match &item.target {
        Target::Report => pick(lang, "整份报告", "whole report").to_string(),
        Target::Cell { key } => location_words(key, lang),
        Target::Section { id } => location_words(id, lang),
        Target::Finding { location, .. } => location_words(location, lang),
    }
}

/// A finding location or cell key in words; anything not understood is shown as written.
pub fn location_words(loc: &str, lang: Lang) -> String {
    match Location::parse(loc) {
        Location::Cell(c) => match c.table {
            TableId::T2 => crate::compare::t2_label(&c.to_string()),
            TableId::T3 => format!("表三 {} · {}", t3_row(c.row), label_of(T3_COLS, c.col)),
            TableId::T4 => format!(
                "表四 {} · {}",
                label_of(T4_GROUPS, c.row),
                label_of(T4_COLS, c.col)
            ),
        },
        Location::Table { table, row } => {
            let name = table_name(table);
            match (table, row) {
                (TableId::T3, Some(r)) => format!("{name} {}", t3_row(r)),
                (TableId::T4, Some(r)) => format!("{name} {}", label_of(T4_GROUPS, r)),
                (_, Some(r)) => format!("{name} {r}"),
                (_, None) => name.to_string(),
            }
        }
        Location::Section { id, line } => {
            let head = section_words(id);
            match line {
                Some(l) => format!("{head} {}", line_words(l, lang)),
                None => head,
            }
        }
        Location::Meta(name) => {
            // `META.period:L12`: the field, then its line.
            let (field, line) = match name.split_once(":L") {
                Some((f, l)) => (f, l.parse::<usize>().ok()),
                None => (name, None),
            };
            let words = match field {
                "date" => pick(lang, "发布日期", "publication date"),
                "template" => pick(lang, "所用模板", "template"),
                "agency" => pick(lang, "机关名称", "agency name"),
                "year" => pick(lang, "报告年度", "report year"),
                "title" => pick(lang, "标题", "title"),
                "period" => pick(lang, "统计期间", "reporting period"),
                "pair" => pick(lang, "上年报告", "previous year's report"),
                _ => return loc.to_string(),
            };
            match line {
                Some(l) => format!("{words} {}", line_words(l, lang)),
                None => words.to_string(),
            }
        }
        Location::Text(_) | Location::Other(_) => loc.to_string(),
    }
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn line_words(line: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {line} 行"),
        Lang::En => format!("line {line}"),
    }
}

fn table_name(t: TableId) -> &'static str {
    match t {
        TableId::T2 => "表二",
        TableId::T3 => "表三",
        TableId::T4 => "表四",
    }
}

fn t3_row(row: &str) -> String {
    template::t3_short_label(row).unwrap_or_else(|| row.to_string())
}

fn label_of(labels: &[template::Label], key: &str) -> String {
    labels
        .iter()
        .find(|l| l.key == key)
        .map_or_else(|| key.to_string(), |l| l.label.to_string())
}

/// `S6` → `六、其他需要报告的事项`.
fn section_words(id: &str) -> String {
    const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    let n = id
        .strip_prefix('S')
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=6).contains(n));
    match (n, template::section_heading(id)) {
        (Some(n), Some(h)) => format!("{}、{h}", NUMERALS[n - 1]),
        _ => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_sections_and_metadata_in_words() {
        let zh = Lang::Zh;
        assert_eq!(location_words("T3.R3_7.C1", zh), "表三 （七）总计 · 自然人");
        assert_eq!(location_words("T3.R3_7.C7", zh), "表三 （七）总计 · 总计");
        assert_eq!(
            location_words("T3.R3_3_1.C2", zh),
            "表三 （三）1.属于国家秘密 · 商业企业"
        );
        assert_eq!(
            location_words("T4.lit_after_review.total", zh),
            "表四 行政诉讼·复议后起诉 · 总计"
        );
        assert_eq!(location_words("S6", zh), "六、其他需要报告的事项");
        assert_eq!(location_words("S1:L5", zh), "一、总体情况 第 5 行");
        assert_eq!(location_words("S1:L5", Lang::En), "一、总体情况 line 5");
        assert_eq!(location_words("META.date", zh), "发布日期");
        assert_eq!(location_words("META.date", Lang::En), "publication date");
        assert_eq!(location_words("T3.R3_7", zh), "表三 （七）总计");
        // Not understood: as written.
        assert_eq!(location_words("TXT.app_total", zh), "TXT.app_total");
        assert_eq!(location_words("S9", zh), "S9");
        let r = "平潭综合实验区/2020";
        assert_eq!(item_words(&ItemRef::report(r), zh), "整份报告");
        assert_eq!(
            item_words(&ItemRef::finding(r, "T3-RES", "T3.R3_7.C1#2"), zh),
            "表三 （七）总计 · 自然人"
        );
    }
}
