//! Every real report in tests/data/real imports, with the numbers as published.
//!
//! The expected values below are transcribed from the published reports (the text dumps in
//! tests/data/real and their hand-checked facts in its README.md), not from our own output.

use report_review::import::import_file;
use report_review::model::{Report, Template};
use report_review::template::t3_rows;

mod common;

use common::{assert_t4, num};

fn load(name: &str) -> Report {
    let path = common::real_report(name);
    import_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Table 3, all rows in template order, 7 columns each.
fn assert_t3(r: &Report, expected: &[[f64; 7]]) {
    let rows = t3_rows(r.template);
    assert_eq!(rows.len(), expected.len(), "row count");
    let t3 = r.table3.as_ref().unwrap();
    assert_eq!(t3.rows.len(), rows.len(), "parsed row count");
    for (row, values) in rows.iter().zip(expected) {
        for (c, v) in values.iter().enumerate() {
            let key = format!("T3.{}.C{}", row.key, c + 1);
            assert_eq!(num(r, &key), *v, "{} {key}", r.source.file_name);
        }
    }
}

fn assert_t2(r: &Report, expected: &[(&str, f64)]) {
    for (key, v) in expected {
        assert_eq!(num(r, key), *v, "{key}");
    }
    let cells: usize = r
        .table2
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .map(|r| r.cells.len())
        .sum();
    assert_eq!(cells, expected.len(), "every table 2 value asserted");
}

const Z: [f64; 7] = [0.0; 7];

#[test]
fn sanqishizhen_2020_every_cell() {
    let r = load("sanqishizhen_2020.txt");
    assert_eq!(r.agency, "三七市镇");
    assert_eq!(r.issuer.as_deref(), Some("余姚市三七市镇"));
    assert_eq!(r.agency_key, "余姚市三七市镇");
    assert_eq!(r.year, Some(2020));
    assert_eq!(r.template, Template::F2019);
    assert_eq!(r.published, None, "no date printed");
    // All table 3 and 4 cells are 0 (INDEX.md).
    assert_t3(&r, &[Z; 23]);
    assert_t4(&r, [0.0; 15]);
    assert_t2(
        &r,
        &[
            ("T2.a1.规章.made", 0.0),
            ("T2.a1.规章.published", 0.0),
            ("T2.a1.规章.public_total", 0.0),
            ("T2.a1.规范性文件.made", 0.0),
            ("T2.a1.规范性文件.published", 0.0),
            ("T2.a1.规范性文件.public_total", 0.0),
            ("T2.a5.行政许可.prev_items", 0.0),
            ("T2.a5.行政许可.delta", 0.0),
            ("T2.a5.行政许可.decisions", 0.0),
            ("T2.a5.其他对外管理服务事项.prev_items", 0.0),
            ("T2.a5.其他对外管理服务事项.delta", 0.0),
            ("T2.a5.其他对外管理服务事项.decisions", 0.0),
            ("T2.a6.行政处罚.prev_items", 0.0),
            ("T2.a6.行政处罚.delta", 6.0),
            ("T2.a6.行政处罚.decisions", 6.0),
            ("T2.a6.行政强制.prev_items", 0.0),
            ("T2.a6.行政强制.delta", 5.0),
            ("T2.a6.行政强制.decisions", 5.0),
            ("T2.a8.行政事业性收费.prev_items", 0.0),
            ("T2.a8.行政事业性收费.delta", 0.0),
            ("T2.a9.政府集中采购.count", 38.0),
            // printed 22.64万元; 采购总金额 is kept in 元
            ("T2.a9.政府集中采购.amount", 226400.0),
        ],
    );
    let amount = r.cell("T2.a9.政府集中采购.amount").unwrap();
    assert_eq!(amount.unit.as_deref(), Some("万元"));
    assert_eq!(amount.raw, "22.64万元");
}

#[test]
fn sanqishizhen_2020_sections_as_printed() {
    let r = load("sanqishizhen_2020.txt");
    let printed: Vec<(&str, &str, &str)> = r
        .sections
        .iter()
        .map(|s| {
            (
                s.id.as_deref().unwrap(),
                s.number.as_str(),
                s.heading.as_str(),
            )
        })
        .collect();
    assert_eq!(
        printed,
        [
            ("S1", "一、", "总体情况"),
            ("S2", "二、", "主动公开政府信息情况"),
            ("S3", "三、", "收到和处理政府信息公开申请情况"),
            ("S4", "4、", "政府信息公开行政复议、行政诉讼情况"),
            ("S5", "五、", "存在的主要问题及改进情况"),
        ],
        "section 四 printed as `4、`, no section 六"
    );
    // Prose 524 = 126 + 398 is in 总体情况.
    assert!(r.section("S1").unwrap().text().contains("政府信息524条"));
}

#[test]
fn pingtan_2020_every_cell() {
    let r = load("pingtan_2020.txt");
    assert_eq!(r.agency_key, "平潭综合实验区");
    assert_eq!(r.year, Some(2020));
    assert_eq!(r.template, Template::F2019);
    let row = |v: [f64; 7]| v;
    assert_t3(
        &r,
        &[
            row([20.0, 0.0, 0.0, 0.0, 0.0, 1.0, 21.0]), // R1
            Z,                                          // R2
            row([6.0, 0.0, 0.0, 0.0, 0.0, 1.0, 7.0]),   // R3_1
            row([6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0]),   // R3_2
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,                                        // R3_3_1..8
            row([4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0]), // R3_4_1
            Z,
            row([3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0]), // R3_4_3
            Z,
            row([3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0]), // R3_5_2
            Z,
            Z,
            Z,
            row([4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0]), // R3_6
            row([20.0, 0.0, 0.0, 0.0, 0.0, 1.0, 21.0]), // R3_7 as printed (the error)
            Z,                                        // R4
        ],
    );
    assert_t4(&r, [0.0; 15]);
    assert_t2(
        &r,
        &[
            ("T2.a1.规章.made", 0.0),
            ("T2.a1.规章.published", 0.0),
            ("T2.a1.规章.public_total", 7.0),
            ("T2.a1.规范性文件.made", 77.0),
            ("T2.a1.规范性文件.published", 77.0),
            ("T2.a1.规范性文件.public_total", 166.0),
            ("T2.a5.行政许可.prev_items", 396.0),
            ("T2.a5.行政许可.delta", 442.0),
            ("T2.a5.行政许可.decisions", 278.0),
            ("T2.a5.其他对外管理服务事项.prev_items", 10.0),
            ("T2.a5.其他对外管理服务事项.delta", 7.0),
            ("T2.a5.其他对外管理服务事项.decisions", 105.0),
            ("T2.a6.行政处罚.prev_items", 2648.0),
            ("T2.a6.行政处罚.delta", -18.0),
            ("T2.a6.行政处罚.decisions", 538.0),
            ("T2.a6.行政强制.prev_items", 126.0),
            ("T2.a6.行政强制.delta", 26.0),
            ("T2.a6.行政强制.decisions", 29.0),
            ("T2.a8.行政事业性收费.prev_items", 35.0),
            ("T2.a8.行政事业性收费.delta", -15.0),
            ("T2.a9.政府集中采购.count", 395.0),
            ("T2.a9.政府集中采购.amount", 73802895.90),
        ],
    );
    assert_eq!(
        r.cell("T2.a9.政府集中采购.amount").unwrap().unit.as_deref(),
        Some("元")
    );
}

#[test]
fn pingtan_2021_every_cell() {
    let r = load("pingtan_2021.txt");
    assert_eq!(r.agency_key, "平潭综合实验区");
    assert_eq!(r.year, Some(2021));
    assert_eq!(r.template, Template::F2021);
    // Site navigation junk before the body carries the page date.
    let date = r.published.as_ref().expect("page date");
    assert_eq!(date.ymd(), (2022, 2, 8));
    assert_eq!(r.sections[0].number, "一、");
    let row = |v: [f64; 7]| v;
    assert_t3(
        &r,
        &[
            row([64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0]),
            Z,
            row([27.0, 0.0, 0.0, 2.0, 0.0, 1.0, 30.0]),
            row([5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0]),
            Z,
            Z,
            Z,
            Z,
            row([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]), // R3_3_5
            Z,
            row([6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0]), // R3_3_7
            row([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]), // R3_3_8
            row([22.0, 0.0, 0.0, 0.0, 0.0, 3.0, 25.0]), // R3_4_1
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,
            Z,
            row([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]), // R3_6_3
            row([63.0, 0.0, 0.0, 2.0, 0.0, 4.0, 69.0]), // R3_7
            row([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]), // R4
        ],
    );
    assert_t4(
        &r,
        [
            1.0, 0.0, 2.0, 0.0, 3.0, 12.0, 0.0, 0.0, 0.0, 12.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        ],
    );
    assert_t2(
        &r,
        &[
            ("T2.a1.规章.issued", 0.0),
            ("T2.a1.规章.repealed", 0.0),
            ("T2.a1.规章.in_force", 0.0),
            ("T2.a1.行政规范性文件.issued", 69.0),
            ("T2.a1.行政规范性文件.repealed", 3.0),
            ("T2.a1.行政规范性文件.in_force", 665.0),
            ("T2.a5.行政许可.decisions", 2293.0),
            ("T2.a6.行政处罚.decisions", 1282.0),
            ("T2.a6.行政强制.decisions", 42.0),
            ("T2.a8.行政事业性收费.amount_wan", 24252.311082),
        ],
    );
}

#[test]
fn huaian_shi_2024_every_cell() {
    let r = load("huaian_shi_2024.txt");
    assert_eq!(r.agency_key, "淮安市人民政府");
    assert_eq!(r.year, Some(2024));
    assert_eq!(r.template, Template::F2021);
    let row = |v: [f64; 7]| v;
    assert_t3(
        &r,
        &[
            row([3001.0, 53.0, 0.0, 0.0, 61.0, 4.0, 3119.0]),
            row([34.0, 0.0, 0.0, 0.0, 0.0, 0.0, 34.0]),
            row([1288.0, 21.0, 0.0, 0.0, 50.0, 3.0, 1362.0]),
            row([447.0, 7.0, 0.0, 0.0, 0.0, 0.0, 454.0]),
            row([2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
            row([30.0, 1.0, 0.0, 0.0, 0.0, 0.0, 31.0]),
            row([5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0]),
            row([6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0]),
            row([7.0, 1.0, 0.0, 0.0, 0.0, 0.0, 8.0]),
            row([12.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12.0]),
            row([9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 9.0]),
            row([105.0, 0.0, 0.0, 0.0, 0.0, 0.0, 105.0]),
            row([746.0, 12.0, 0.0, 0.0, 10.0, 1.0, 769.0]),
            row([11.0, 0.0, 0.0, 0.0, 0.0, 0.0, 11.0]),
            row([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
            row([56.0, 6.0, 0.0, 0.0, 0.0, 0.0, 62.0]),
            row([25.0, 0.0, 0.0, 0.0, 0.0, 0.0, 25.0]),
            Z,
            Z,
            row([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
            row([67.0, 3.0, 0.0, 0.0, 1.0, 0.0, 71.0]),
            row([6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0]),
            row([108.0, 2.0, 0.0, 0.0, 0.0, 0.0, 110.0]),
            row([2932.0, 53.0, 0.0, 0.0, 61.0, 4.0, 3050.0]),
            row([103.0, 0.0, 0.0, 0.0, 0.0, 0.0, 103.0]),
        ],
    );
    assert_t4(
        &r,
        [
            72.0, 64.0, 178.0, 37.0, 351.0, 13.0, 4.0, 8.0, 1.0, 26.0, 12.0, 1.0, 1.0, 6.0, 20.0,
        ],
    );
    assert_t2(
        &r,
        &[
            ("T2.a1.规章.issued", 1.0),
            ("T2.a1.规章.repealed", 0.0),
            ("T2.a1.规章.in_force", 11.0),
            ("T2.a1.行政规范性文件.issued", 8.0),
            ("T2.a1.行政规范性文件.repealed", 26.0),
            ("T2.a1.行政规范性文件.in_force", 66.0),
            ("T2.a5.行政许可.decisions", 447228.0),
            ("T2.a6.行政处罚.decisions", 3985758.0),
            ("T2.a6.行政强制.decisions", 88283.0),
            ("T2.a8.行政事业性收费.amount_wan", 96171.6),
        ],
    );
}

#[test]
fn every_sample_report_imports_with_agency_year_template() {
    let expected = [
        (
            "sanqishizhen_2020.txt",
            "余姚市三七市镇",
            2020,
            Template::F2019,
        ),
        ("pingtan_2019.txt", "平潭综合实验区", 2019, Template::F2019),
        ("pingtan_2020.txt", "平潭综合实验区", 2020, Template::F2019),
        ("pingtan_2021.txt", "平潭综合实验区", 2021, Template::F2021),
        ("pingtan_2022.txt", "平潭综合实验区", 2022, Template::F2021),
        (
            "huaian_shi_2024.txt",
            "淮安市人民政府",
            2024,
            Template::F2021,
        ),
        // 2021 table 2 with a single 2019-style （六）其他处理 row.
        (
            "huaian_hongzequ_2023.txt",
            "淮安市洪泽区人民政府",
            2023,
            Template::Hybrid,
        ),
        (
            "huaian_hongzequ_2024.txt",
            "淮安市洪泽区人民政府",
            2024,
            Template::Hybrid,
        ),
    ];
    for (file, key, year, template) in expected {
        let r = load(file);
        assert_eq!(r.agency_key, key, "{file}");
        assert_eq!(r.year, Some(year), "{file}");
        assert_eq!(r.template, template, "{file}");
        assert_eq!(r.source.file_name, file);
        assert_eq!(r.source.sha256.len(), 64);
    }
}

#[test]
fn pingtan_2019_repeated_group_label_and_yuan_amount() {
    let r = load("pingtan_2019.txt");
    // 三、本年度办理结果 is printed again before （四）; the rows still map in order.
    assert_eq!(r.table3.as_ref().unwrap().rows.len(), 23);
    assert!(r
        .table3
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .all(|row| row.recognised));
    let amount = r.cell("T2.a9.政府集中采购.amount").unwrap();
    assert_eq!(amount.raw, "75394432.52元");
    assert_eq!(amount.number, Some(75394432.52));
    assert_eq!(amount.unit.as_deref(), Some("元"));
    // Table 3 balances: 23 received, 23 handled (INDEX.md).
    assert_eq!(num(&r, "T3.R1.C7"), 23.0);
    assert_eq!(num(&r, "T3.R3_7.C7"), 23.0);
}

#[test]
fn hongzequ_label_typo_is_matched_and_noted() {
    let r = load("huaian_hongzequ_2023.txt");
    let row = r.table3.as_ref().unwrap().row("R3_3_2").unwrap();
    assert!(row.label.contains("2.其他法律行政止公开"), "{}", row.label);
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("其他法律行政止公开")));
    // Table 4 as printed: 行政复议 维持 10 + 纠正 1 but 总计 0; 复议后起诉 维持 5, 总计 0.
    assert_eq!(num(&r, "T4.review.upheld"), 10.0);
    assert_eq!(num(&r, "T4.review.corrected"), 1.0);
    assert_eq!(num(&r, "T4.review.total"), 0.0);
    assert_eq!(num(&r, "T4.lit_after_review.upheld"), 5.0);
    assert_eq!(num(&r, "T4.lit_after_review.total"), 0.0);
}

#[test]
fn a_value_leads_back_to_its_source_line() {
    let text = common::real_text("pingtan_2020.txt");
    let lines: Vec<&str> = text.lines().collect();
    let r = load("pingtan_2020.txt");
    for key in [
        "T3.R3_7.C1",
        "T3.R3_6.C7",
        "T4.review.total",
        "T2.a6.行政处罚.delta",
        "T2.a9.政府集中采购.amount",
    ] {
        let v = r.cell(key).unwrap();
        assert_eq!(
            lines[v.line - 1],
            format!("\t{}", v.raw),
            "{key} at line {}",
            v.line
        );
    }
    // 总计 row of table 3 (自然人) printed as 20 on its line.
    let total = r.cell("T3.R3_7.C1").unwrap();
    assert_eq!(lines[total.line - 1], "\t20");
    let label_line = r.table3.as_ref().unwrap().row("R3_7").unwrap().line;
    assert_eq!(lines[label_line - 1], "\t（七）总计");
}
