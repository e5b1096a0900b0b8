//! Why a file could not be read, in the auditor's language. The reasons are made in English
//! where the files are read (`read`, `crate::import`), one line each, `head: detail`; the
//! screen shows them in Chinese through [`in_lang`]: the head and the details the readers
//! produce are translated, and what a JSON parser says keeps only its position in Chinese
//! words (`第 1 行第 1 列`), the parser's own phrase after it.

use crate::i18n::Lang;

/// Whole reasons and heads (before `: `), English → Chinese.
const HEADS: &[(&str, &str)] = &[
    ("not valid JSON", "不是有效的 JSON"),
    ("not a report", "不是年度报告"),
    ("cannot read file", "无法读取文件"),
    ("cannot read", "无法读取"),
    ("empty file", "空文件"),
    ("binary file, not a report", "二进制文件，不是年度报告"),
    (
        "not a report-review JSON file (no schema_version)",
        "不是本程序的 JSON 文件（没有 schema_version）",
    ),
    ("PDF has no text", "PDF 没有文字"),
    (
        "no numbered sections and no statistics tables found",
        "没有找到编号的部分，也没有统计表",
    ),
    (
        "zip without word/document.xml, not a Word document",
        "压缩包中没有 word/document.xml，不是 Word 文档",
    ),
];

/// What serde_json says, most common first.
const JSON_PHRASES: &[(&str, &str)] = &[
    ("expected value", "此处应为一个值"),
    ("EOF while parsing a value", "文件在值中途结束"),
    ("EOF while parsing an object", "文件在对象中途结束"),
    ("EOF while parsing a list", "文件在列表中途结束"),
    ("EOF while parsing a string", "文件在字符串中途结束"),
    ("trailing characters", "末尾有多余的字符"),
    ("key must be a string", "键必须是字符串"),
    ("expected `,` or `}`", "应为 `,` 或 `}`"),
    ("expected `,` or `]`", "应为 `,` 或 `]`"),
    ("expected `:`", "应为 `:`"),
    (
        "control character (\\u0000-\\u001F) found while parsing a string",
        "字符串中有控制字符",
    ),
    ("invalid unicode code point", "无效的 Unicode 码位"),
];

fn head_zh(s: &str) -> Option<&'static str> {
    HEADS.iter().find(|(en, _)| *en == s).map(|(_, zh)| *zh)
}

/// `expected value at line 1 column 1` → `第 1 行第 1 列：此处应为一个值`.
fn detail_zh(detail: &str) -> String {
    if let Some(zh) = head_zh(detail) {
        return zh.to_string();
    }
    let (phrase, place) = match detail.rsplit_once(" at line ") {
        Some((p, rest)) => match rest.split_once(" column ") {
            Some((l, c))
                if l.bytes().all(|b| b.is_ascii_digit())
                    && c.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (p, Some(format!("第 {l} 行第 {c} 列")))
            }
            _ => (detail, None),
        },
        None => (detail, None),
    };
    let phrase = if let Some(field) = phrase
        .strip_prefix("missing field `")
        .and_then(|f| f.strip_suffix('`'))
    {
        format!("缺少字段 `{field}`")
    } else if let Some(field) = phrase
        .strip_prefix("duplicate field `")
        .and_then(|f| f.strip_suffix('`'))
    {
        format!("字段 `{field}` 出现了两次")
    } else {
        JSON_PHRASES
            .iter()
            .find(|(en, _)| *en == phrase)
            .map_or_else(|| phrase.to_string(), |(_, zh)| zh.to_string())
    };
    match place {
        Some(p) => format!("{p}：{phrase}"),
        None => phrase,
    }
}

/// The reason a file could not be read, in `lang`.
pub fn in_lang(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    if let Some(zh) = head_zh(reason) {
        return zh.to_string();
    }
    if let Some(mb) = reason
        .strip_prefix("file too large (")
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("文件过大（{mb}）");
    }
    if let Some(kind) = reason
        .strip_prefix("not a regular file (")
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("不是普通文件（{kind}）");
    }
    if let Some(rest) = reason.strip_prefix("schema_version ") {
        if let Some((v, tail)) = rest.split_once(" is newer than this program supports (") {
            if let Some((s, _)) = tail.split_once(')') {
                return format!("schema_version {v} 比本程序支持的（{s}）新；请升级 report-review");
            }
        }
    }
    match reason.split_once(": ") {
        Some((head, detail)) => match head_zh(head) {
            Some(h) => format!("{h}：{}", detail_zh(detail)),
            None => reason.to_string(),
        },
        None => reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_chinese_and_stay_in_english() {
        let zh = |s| in_lang(Lang::Zh, s);
        assert_eq!(
            zh("not valid JSON: expected value at line 1 column 1"),
            "不是有效的 JSON：第 1 行第 1 列：此处应为一个值"
        );
        assert_eq!(
            zh("not a report: no numbered sections and no statistics tables found"),
            "不是年度报告：没有找到编号的部分，也没有统计表"
        );
        assert_eq!(
            zh("not a report: missing field `agency` at line 3 column 2"),
            "不是年度报告：第 3 行第 2 列：缺少字段 `agency`"
        );
        assert_eq!(zh("empty file"), "空文件");
        assert_eq!(
            zh("file too large (31 MB > 10 MB)"),
            "文件过大（31 MB > 10 MB）"
        );
        assert_eq!(
            zh("schema_version 9 is newer than this program supports (1); upgrade report-review"),
            "schema_version 9 比本程序支持的（1）新；请升级 report-review"
        );
        // A reason it does not know stays as it is, whole.
        assert_eq!(zh("something else: odd"), "something else: odd");
        let en = "not valid JSON: expected value at line 1 column 1";
        assert_eq!(in_lang(Lang::En, en), en);
    }
}
