//! A reproducible batch generator for scale tests and benchmarks.
//!
//! From a seed it makes N reports derived from the real samples: distinct agencies, four
//! consecutive years each (2020 in the 2019 format, 2021–2023 in the 2021 format), numbers
//! varied but consistent (tables balance, carry-over continues, documents in force continue),
//! prose that states the table's figures, and a known fraction with one injected error each.
//! The manifest names the rule and location every injected error must trigger, so the
//! generator doubles as a correctness test at scale.

use crate::model::{Date, Report, Section, TextLine, Value};
use serde::{Deserialize, Serialize};

/// The samples the generated reports are derived from (2019 and 2021 formats).
const BASE_2019: &str = include_str!("../sample_reports/平潭综合实验区_2020.json");
const BASE_2021: &str = include_str!("../sample_reports/平潭综合实验区_2022.json");

/// Years generated for every agency.
pub const YEARS: [i32; 4] = [2020, 2021, 2022, 2023];

/// One injected error and where `check` must report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Injected {
    pub rule: String,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// File name relative to the output directory.
    pub file: String,
    /// `agency_key/year`.
    pub report: String,
    /// Empty for a clean report.
    pub injected: Vec<Injected>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub seed: u64,
    pub count: usize,
    pub reports: Vec<ManifestEntry>,
}

/// SplitMix64: small, fast, and the same sequence on every platform for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Small counts, mostly zero, as in real reports.
    fn count(&mut self, scale: u64) -> f64 {
        if self.below(3) == 0 {
            0.0
        } else {
            self.below(scale + 1) as f64
        }
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

const CITIES: &[&str] = &[
    "淮安市",
    "余姚市",
    "宁波市",
    "福州市",
    "泉州市",
    "苏州市",
    "无锡市",
    "温州市",
    "嘉兴市",
    "湖州市",
    "绍兴市",
    "金华市",
    "台州市",
    "南平市",
    "三明市",
    "漳州市",
    "龙岩市",
    "宁德市",
    "扬州市",
    "镇江市",
];

const SYLLABLES: &[char] = &[
    '安', '平', '新', '和', '兴', '华', '东', '西', '南', '北', '中', '青', '石', '桥', '河', '湖',
    '山', '林', '泉', '田', '阳', '明', '光', '德', '仁', '义', '礼', '智', '信', '福', '寿', '康',
    '宁', '丰', '庆', '长', '永', '广', '昌', '盛', '隆', '泰', '瑞', '祥', '云', '龙', '凤', '梅',
    '兰', '竹', '菊', '松', '柏', '桃', '李', '杨', '柳', '金', '银', '玉', '宝', '珠', '江', '海',
    '洋', '溪', '港', '湾', '岛', '峰', '岭', '坪', '坝', '塘', '堰', '集', '店', '铺', '庄', '村',
    '屯', '营', '关', '口', '门', '头', '尾', '上', '下', '前', '后', '左', '右', '大', '小',
];

const KINDS: &[&str] = &[
    "镇",
    "乡",
    "街道",
    "人民政府",
    "教育局",
    "卫生健康委员会",
    "财政局",
];

/// A distinct agency name for index `i` (unique for i < 20 × 100 × 100 × 7).
pub fn agency_name(i: usize) -> String {
    let n = SYLLABLES.len();
    let city = CITIES[i % CITIES.len()];
    let j = i / CITIES.len();
    let a = SYLLABLES[j % n];
    let b = SYLLABLES[(j / n) % n];
    let kind = KINDS[(j / (n * n)) % KINDS.len()];
    format!("{city}{a}{b}{kind}")
}

const WORK_SENTENCES: &[&str] = &[
    "全面推进决策、执行、管理、服务、结果公开。",
    "持续加强政府网站和政务新媒体建设。",
    "不断完善政府信息公开工作机制。",
    "围绕重点领域做好信息公开工作。",
    "认真做好政策解读和回应关切。",
    "扎实推进基层政务公开标准化规范化。",
    "严格落实公开前保密审查制度。",
    "及时更新主动公开目录和公开指南。",
    "规范办理政府信息公开申请。",
    "加强政务公开专区建设。",
    "组织开展政务公开业务培训。",
    "健全政务舆情回应机制。",
    "推进行政规范性文件集中公开。",
    "做好人大代表建议和政协提案办理结果公开。",
    "开展政府开放日活动。",
    "优化政务服务事项办事指南。",
];

const PROBLEM_SENTENCES: &[&str] = &[
    "政府信息公开的内容还不够丰富。",
    "政策解读的形式还比较单一。",
    "依申请公开办理的规范化水平有待提高。",
    "政务新媒体的更新频率不够稳定。",
    "基层政务公开标准化建设仍需加强。",
    "公开平台的栏目设置还需优化。",
    "工作人员的业务能力有待提升。",
    "重点领域信息公开的深度不够。",
    "政民互动的回应时效有待提高。",
    "公开目录的动态更新不够及时。",
    "下一步将加强业务培训。",
    "下一步将完善公开指南和目录。",
    "下一步将丰富政策解读形式。",
    "下一步将强化平台日常监管。",
    "下一步将健全依申请公开工作机制。",
    "下一步将推进重点领域信息公开。",
    "下一步将加强政务新媒体管理。",
    "下一步将优化公开栏目设置。",
    "下一步将提高回应关切的时效。",
    "下一步将落实公开属性源头认定。",
    "下一步将加大督查考核力度。",
    "下一步将推动基层政务公开标准化。",
    "下一步将做好政策文件集中公开。",
    "下一步将加强保密审查。",
];

/// Consistent table values for one agency-year, carried to the next year.
#[derive(Debug, Clone, Default)]
struct Carry {
    /// 结转下年度 per column C1..C7.
    carry_out: [f64; 7],
    /// 现行有效件数 for 规章 and 行政规范性文件.
    in_force: [f64; 2],
}

/// Generate `count` reports (rounded up to whole agencies of four years).
pub fn generate(seed: u64, count: usize, error_per_mille: u64) -> Vec<(ManifestEntry, Report)> {
    let base19: Report = serde_json::from_str(BASE_2019).expect("embedded sample");
    let base21: Report = serde_json::from_str(BASE_2021).expect("embedded sample");
    let mut rng = Rng::new(seed);
    let agencies = count.div_ceil(YEARS.len());
    let mut out = Vec::with_capacity(count);
    'agencies: for a in 0..agencies {
        let name = agency_name(a);
        let mut carry = Carry {
            carry_out: [0.0; 7],
            // Only provinces and cities make 规章; generated agencies do not (T2-RULE-REG).
            in_force: [0.0, rng.below(200) as f64],
        };
        for (i, year) in YEARS.into_iter().enumerate() {
            if out.len() == count {
                break 'agencies;
            }
            let base = if year <= 2020 { &base19 } else { &base21 };
            let mut report = base.clone();
            fill(&mut report, &name, year, &mut rng, &mut carry, i == 0);
            let mut injected = Vec::new();
            if rng.chance(error_per_mille) {
                injected.push(inject(&mut report, &mut rng, i > 0));
            }
            let file = format!("reports/{:03}/{}_{}.json", a / 1000, name, year);
            let entry = ManifestEntry {
                file,
                report: report.key(),
                injected,
            };
            out.push((entry, report));
        }
    }
    out
}

fn set(report: &mut Report, key: &str, n: f64) {
    let table = match &key[..2] {
        "T2" => report.table2.as_mut(),
        "T3" => report.table3.as_mut(),
        _ => report.table4.as_mut(),
    };
    let Some(table) = table else { return };
    for row in &mut table.rows {
        for cell in &mut row.cells {
            if cell.key == key {
                let line = cell.value.line;
                cell.value = Value {
                    number: Some(n),
                    unit: None,
                    raw: fmt(n).into(),
                    blank: false,
                    line,
                    note: None,
                };
                return;
            }
        }
    }
}

fn get(report: &Report, key: &str) -> f64 {
    report.cell(key).and_then(|v| v.amount()).unwrap_or(0.0)
}

fn fmt(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.2}")
    }
}

const RESULT_ROWS_2019: &[&str] = &[
    "R3_1", "R3_2", "R3_3_1", "R3_3_2", "R3_3_3", "R3_3_4", "R3_3_5", "R3_3_6", "R3_3_7", "R3_3_8",
    "R3_4_1", "R3_4_2", "R3_4_3", "R3_5_1", "R3_5_2", "R3_5_3", "R3_5_4", "R3_5_5", "R3_6",
];

fn result_rows(report: &Report) -> Vec<String> {
    report
        .table3
        .iter()
        .flat_map(|t| t.rows.iter())
        .map(|r| r.key.clone())
        .filter(|k| k.starts_with("R3_") && k != "R3_7")
        .collect()
}

fn fill(
    report: &mut Report,
    name: &str,
    year: i32,
    rng: &mut Rng,
    carry: &mut Carry,
    first_year: bool,
) {
    report.agency = name.to_string();
    report.agency_key = name.to_string();
    report.issuer = Some(name.to_string());
    report.year = Some(year);
    report.title = Some(format!("{name}{year}年政府信息公开工作年度报告"));
    report.source.file_name = format!("{name}_{year}.json");
    report.source.sha256 = format!("{:064x}", rng.next_u64());
    report.published = Some(Date {
        year: year + 1,
        month: 1,
        day: 10 + rng.below(15) as u32,
        source: "发布日期".into(),
        raw: format!("发布日期：{}-01-20", year + 1),
        line: 2,
    });
    report.notes.clear();

    // Table 3: results per column, then totals, carry-in from last year, carry-out.
    let rows = result_rows(report);
    debug_assert!(rows.len() >= RESULT_ROWS_2019.len());
    let scale = [30, 3, 1, 2, 2, 3];
    let mut done = [0.0; 7];
    for row in &rows {
        let mut total = 0.0;
        for (c, s) in scale.iter().enumerate() {
            let n = rng.count(*s);
            set(report, &format!("T3.{row}.C{}", c + 1), n);
            total += n;
            done[c] += n;
        }
        set(report, &format!("T3.{row}.C7"), total);
        done[6] += total;
    }
    let carry_in = if first_year {
        [0.0; 7]
    } else {
        carry.carry_out
    };
    let mut carry_out = [0.0; 7];
    for slot in carry_out.iter_mut().take(6) {
        *slot = rng.count(2);
    }
    carry_out[6] = carry_out[..6].iter().sum();
    for c in 0..7 {
        let new = done[c] + carry_out[c] - carry_in[c];
        // Keep 新收 non-negative: move any excess into the results of the same column.
        let (new, extra) = if new < 0.0 { (0.0, -new) } else { (new, 0.0) };
        if extra > 0.0 {
            let key = format!("T3.R3_1.C{}", c + 1);
            let v = get(report, &key) + extra;
            set(report, &key, v);
            done[c] += extra;
        }
        set(report, &format!("T3.R1.C{}", c + 1), new);
        set(report, &format!("T3.R2.C{}", c + 1), carry_in[c]);
        set(report, &format!("T3.R4.C{}", c + 1), carry_out[c]);
    }
    // Column 7 must stay the sum of columns 1–6 after any adjustment.
    for row in rows.iter().map(String::as_str).chain(["R1", "R2", "R4"]) {
        let total: f64 = (1..=6)
            .map(|c| get(report, &format!("T3.{row}.C{c}")))
            .sum();
        set(report, &format!("T3.{row}.C7"), total);
    }
    for c in 1..=7 {
        let total: f64 = rows
            .iter()
            .map(|r| get(report, &format!("T3.{r}.C{c}")))
            .sum();
        set(report, &format!("T3.R3_7.C{c}"), total);
    }
    carry.carry_out = carry_out;

    // Table 4: each group sums to its total.
    for group in ["review", "lit_direct", "lit_after_review"] {
        let mut total = 0.0;
        for col in ["upheld", "corrected", "other", "pending"] {
            let n = rng.count(3);
            set(report, &format!("T4.{group}.{col}"), n);
            total += n;
        }
        set(report, &format!("T4.{group}.total"), total);
    }

    // Table 2.
    if year <= 2020 {
        for row in ["规章", "规范性文件"] {
            let made = if row == "规章" {
                0.0
            } else {
                rng.below(30) as f64
            };
            set(report, &format!("T2.a1.{row}.made"), made);
            set(report, &format!("T2.a1.{row}.published"), made);
            let idx = usize::from(row != "规章");
            set(
                report,
                &format!("T2.a1.{row}.public_total"),
                carry.in_force[idx] + made,
            );
        }
    } else {
        for (idx, row) in ["规章", "行政规范性文件"].iter().enumerate() {
            let issued = if idx == 0 { 0.0 } else { rng.below(20) as f64 };
            let repealed = rng.below(issued as u64 + 1).min(carry.in_force[idx] as u64) as f64;
            let in_force = carry.in_force[idx] + issued - repealed;
            set(report, &format!("T2.a1.{row}.issued"), issued);
            set(report, &format!("T2.a1.{row}.repealed"), repealed);
            set(report, &format!("T2.a1.{row}.in_force"), in_force);
            carry.in_force[idx] = in_force;
        }
    }
    if year <= 2020 {
        for (i, row) in ["规章", "规范性文件"].iter().enumerate() {
            carry.in_force[i] = get(report, &format!("T2.a1.{row}.public_total"));
        }
    }

    write_prose(report, year, rng);
}

/// Section 一 states the table's figures; 五 and 六 vary from year to year.
fn write_prose(report: &mut Report, year: i32, rng: &mut Rng) {
    let r1 = get(report, "T3.R1.C7");
    let r2 = get(report, "T3.R2.C7");
    let done = get(report, "T3.R3_7.C7");
    let r4 = get(report, "T3.R4.C7");
    let review = get(report, "T4.review.total");
    let lit = get(report, "T4.lit_direct.total") + get(report, "T4.lit_after_review.total");
    let work = pick(rng, WORK_SENTENCES, 4);
    let s1 = format!(
        "{year}年，{work}本机关共收到政府信息公开申请{r1}件，上年结转{r2}件，办结{done}件，结转下年度继续办理{r4}件。\
         因政府信息公开被申请行政复议{review}件，被提起行政诉讼{lit}件。",
        r1 = fmt(r1),
        r2 = fmt(r2),
        done = fmt(done),
        r4 = fmt(r4),
        review = fmt(review),
        lit = fmt(lit),
    );
    let s5 = format!("{year}年，{}", pick(rng, PROBLEM_SENTENCES, 4));
    let s6 = if year <= 2020 {
        format!("{year}年无其他需要报告的事项。")
    } else {
        format!(
            "{year}年，本机关未收取政府信息公开信息处理费。{}",
            pick(rng, WORK_SENTENCES, 2)
        )
    };
    for section in &mut report.sections {
        let text = match section.id.as_deref() {
            Some("S1") => &s1,
            Some("S5") => &s5,
            Some("S6") => &s6,
            _ => continue,
        };
        let line = section.line + 1;
        section.lines = vec![TextLine {
            line,
            text: text.clone(),
        }];
    }
    report.preamble = vec![TextLine {
        line: 1,
        text: report.title.clone().unwrap_or_default(),
    }];
}

/// `n` distinct sentences from a pool, joined.
fn pick(rng: &mut Rng, pool: &[&str], n: usize) -> String {
    let mut picks: Vec<&str> = Vec::new();
    while picks.len() < n.min(pool.len()) {
        let s = pool[rng.below(pool.len() as u64) as usize];
        if !picks.contains(&s) {
            picks.push(s);
        }
    }
    picks.concat()
}

/// Break one thing in a report and say which rule must notice it.
fn inject(report: &mut Report, rng: &mut Rng, has_prev: bool) -> Injected {
    let kinds = if has_prev { 5 } else { 4 };
    let col = 1 + rng.below(6) as usize;
    match rng.below(kinds) {
        0 => {
            // （七）总计 no longer the sum of the results in one column (and its total).
            let key = format!("T3.R3_7.C{col}");
            let v = get(report, &key) + 1.0 + rng.below(5) as f64;
            set(report, &key, v);
            let total: f64 = (1..=6).map(|c| get(report, &format!("T3.R3_7.C{c}"))).sum();
            set(report, "T3.R3_7.C7", total);
            Injected {
                rule: "T3-RES".into(),
                location: key,
            }
        }
        1 => {
            // A row total that is not the sum of its columns.
            let key = "T3.R3_1.C7".to_string();
            let v = get(report, &key) + 1.0 + rng.below(3) as f64;
            set(report, &key, v);
            Injected {
                rule: "T3-ROW".into(),
                location: key,
            }
        }
        2 => {
            // Table 4: a group total that is not the sum of its outcomes.
            let group = ["review", "lit_direct", "lit_after_review"][rng.below(3) as usize];
            let key = format!("T4.{group}.total");
            let v = get(report, &key) + 1.0 + rng.below(4) as f64;
            set(report, &key, v);
            Injected {
                rule: "T4-SUM".into(),
                location: key,
            }
        }
        3 => {
            // Section 六 left out.
            report
                .sections
                .retain(|s: &Section| s.id.as_deref() != Some("S6"));
            Injected {
                rule: "SEC-MISSING".into(),
                location: "S6".into(),
            }
        }
        _ => {
            // 上年结转 that does not continue last year's 结转下年度 in one column; 新收 adjusted
            // so the table itself still balances.
            let k = 1.0 + rng.below(3) as f64;
            for c in [col, 7] {
                let r2 = format!("T3.R2.C{c}");
                let r1 = format!("T3.R1.C{c}");
                set(report, &r2, get(report, &r2) + k);
                let new = get(report, &r1) - k;
                if new < 0.0 {
                    // Not enough new applications to take from: raise the results instead.
                    set(report, &r1, 0.0);
                    let res = format!("T3.R3_1.C{c}");
                    set(report, &res, get(report, &res) - new);
                    let tot = format!("T3.R3_7.C{c}");
                    set(report, &tot, get(report, &tot) - new);
                } else {
                    set(report, &r1, new);
                }
            }
            Injected {
                rule: "X-CARRY".into(),
                location: format!("T3.R2.C{col}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_batch() {
        let a = generate(7, 12, 200);
        let b = generate(7, 12, 200);
        assert_eq!(a.len(), 12);
        assert_eq!(
            serde_json::to_string(&a.iter().map(|x| &x.1).collect::<Vec<_>>()).unwrap(),
            serde_json::to_string(&b.iter().map(|x| &x.1).collect::<Vec<_>>()).unwrap()
        );
        let c = generate(8, 12, 200);
        assert_ne!(a[0].1, c[0].1);
    }

    #[test]
    fn agency_names_are_distinct() {
        let names: std::collections::HashSet<String> = (0..50_000).map(agency_name).collect();
        assert_eq!(names.len(), 50_000);
    }

    #[test]
    fn clean_tables_balance_and_carry_over() {
        let batch = generate(1, 40, 0);
        for (_, r) in &batch {
            for c in 1..=7 {
                let lhs = get(r, &format!("T3.R1.C{c}")) + get(r, &format!("T3.R2.C{c}"));
                let rhs = get(r, &format!("T3.R3_7.C{c}")) + get(r, &format!("T3.R4.C{c}"));
                assert_eq!(lhs, rhs, "{} C{c}", r.key());
                assert!(get(r, &format!("T3.R1.C{c}")) >= 0.0);
            }
        }
        for pair in batch.windows(2) {
            let (a, b) = (&pair[0].1, &pair[1].1);
            if a.agency_key == b.agency_key {
                for c in 1..=7 {
                    assert_eq!(
                        get(a, &format!("T3.R4.C{c}")),
                        get(b, &format!("T3.R2.C{c}"))
                    );
                }
            }
        }
    }
}
