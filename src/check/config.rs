//! The rule configuration an auditor can read and edit (TOML, see `docs/rules.md`):
//! switch rules off, change severities, set publication deadlines per agency type and
//! override the type (and rulemaking power) of single agencies.

use super::registry::{self, RuleDef};
use super::Severity;
use crate::model::Template;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Kind of agency, for deadlines (条例 第四十九条) and 条例第五十条第四项.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgencyType {
    /// 县级以上人民政府部门 (…局/委/办).
    Department,
    /// 县级以上地方人民政府 (…人民政府/管委会/综合实验区).
    Government,
    /// 乡镇、街道 (…镇/乡/街道).
    Township,
    /// Not recognisable from the name.
    Unknown,
}

impl AgencyType {
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyType::Department => "department",
            AgencyType::Government => "government",
            AgencyType::Township => "township",
            AgencyType::Unknown => "unknown",
        }
    }

    /// Guess from the ending of the agency name.
    pub fn from_name(name: &str) -> AgencyType {
        let n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        let ends = |ws: &[&str]| ws.iter().any(|w| n.ends_with(w));
        if ends(&["街道办事处", "街道", "镇", "乡", "镇人民政府", "乡人民政府"])
        {
            AgencyType::Township
        } else if ends(&["人民政府", "管委会", "管理委员会", "综合实验区", "政府"])
        {
            AgencyType::Government
        } else if ends(&[
            "局",
            "委",
            "办",
            "办公室",
            "办公厅",
            "厅",
            "委员会",
            "中心",
            "署",
            "院",
            "所",
            "队",
        ]) {
            AgencyType::Department
        } else {
            AgencyType::Unknown
        }
    }
}

/// A month-day deadline in the year after the report year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub fn parse(s: &str) -> Option<MonthDay> {
        let (m, d) = s.trim().split_once('-')?;
        let month: u32 = m.trim().parse().ok()?;
        let day: u32 = d.trim().parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(MonthDay { month, day })
    }

    pub fn text(&self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }
}

/// Override for one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Override for one agency (matched by normalised agency key, or a suffix of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencySetting {
    pub agency_type: Option<AgencyType>,
    pub deadline: Option<Option<MonthDay>>,
    pub rulemaking: Option<bool>,
}

/// Rule switches and severities, read from a TOML file (see `docs/rules.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub rules: BTreeMap<String, RuleSetting>,
    /// Deadline per agency type; `None` = no deadline (not checked).
    pub deadlines: BTreeMap<AgencyType, Option<MonthDay>>,
    pub agencies: BTreeMap<String, AgencySetting>,
    /// X-DUP threshold (share of repeated text), default 0.5.
    pub dup_threshold: f64,
    /// META-LENGTH limit in characters, default 1000.
    pub length_limit: usize,
}

impl PartialOrd for AgencyType {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for AgencyType {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

impl Default for Config {
    fn default() -> Self {
        let mut deadlines = BTreeMap::new();
        deadlines.insert(AgencyType::Department, Some(MonthDay { month: 1, day: 31 }));
        deadlines.insert(AgencyType::Government, Some(MonthDay { month: 3, day: 31 }));
        deadlines.insert(AgencyType::Township, None);
        deadlines.insert(AgencyType::Unknown, None);
        Config {
            rules: BTreeMap::new(),
            deadlines,
            agencies: BTreeMap::new(),
            dup_threshold: 0.5,
            length_limit: 1000,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, RawRule>,
    #[serde(default)]
    deadlines: BTreeMap<String, String>,
    #[serde(default)]
    agencies: BTreeMap<String, RawAgency>,
    #[serde(default)]
    thresholds: Option<RawThresholds>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    enabled: Option<bool>,
    severity: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    #[serde(rename = "type")]
    agency_type: Option<String>,
    deadline: Option<String>,
    rulemaking: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    dup: Option<f64>,
    length: Option<usize>,
}

fn parse_severity(s: &str) -> Option<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "error" | "e" => Some(Severity::Error),
        "warning" | "warn" | "w" => Some(Severity::Warning),
        "info" | "i" => Some(Severity::Info),
        _ => None,
    }
}

fn parse_type(s: &str) -> Option<AgencyType> {
    match s.trim().to_ascii_lowercase().as_str() {
        "department" => Some(AgencyType::Department),
        "government" => Some(AgencyType::Government),
        "township" => Some(AgencyType::Township),
        "unknown" => Some(AgencyType::Unknown),
        _ => None,
    }
}

/// `"none"` or empty → no deadline; `"MM-DD"` → that day of the following year.
fn parse_deadline(s: &str) -> Result<Option<MonthDay>, String> {
    let t = s.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    MonthDay::parse(t)
        .map(Some)
        .ok_or_else(|| format!("deadline `{s}` is not MM-DD or \"none\""))
}

impl Config {
    /// Parse the TOML text; unknown rule ids, severities and keys are errors (a typo must
    /// not silently leave a rule on).
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut config = Config::default();
        for (id, rule) in raw.rules {
            if registry::rule(&id).is_none() {
                return Err(format!("unknown rule id `{id}` in [rules]"));
            }
            let severity = match &rule.severity {
                Some(s) => Some(parse_severity(s).ok_or_else(|| {
                    format!("rule `{id}`: severity `{s}` is not error, warning or info")
                })?),
                None => None,
            };
            config.rules.insert(
                id,
                RuleSetting {
                    enabled: rule.enabled,
                    severity,
                },
            );
        }
        for (kind, value) in raw.deadlines {
            let t = parse_type(&kind)
                .ok_or_else(|| format!("[deadlines]: unknown agency type `{kind}`"))?;
            config.deadlines.insert(t, parse_deadline(&value)?);
        }
        for (name, a) in raw.agencies {
            let agency_type = match &a.agency_type {
                Some(s) => Some(
                    parse_type(s).ok_or_else(|| format!("agency `{name}`: unknown type `{s}`"))?,
                ),
                None => None,
            };
            let deadline = match &a.deadline {
                Some(s) => Some(parse_deadline(s)?),
                None => None,
            };
            config.agencies.insert(
                name,
                AgencySetting {
                    agency_type,
                    deadline,
                    rulemaking: a.rulemaking,
                },
            );
        }
        if let Some(t) = raw.thresholds {
            if let Some(d) = t.dup {
                if !(0.0..=1.0).contains(&d) {
                    return Err(format!("thresholds.dup = {d} is not between 0 and 1"));
                }
                config.dup_threshold = d;
            }
            if let Some(l) = t.length {
                config.length_limit = l;
            }
        }
        Ok(config)
    }

    /// The configuration given with `--config FILE`, or the defaults without one.
    pub fn from_option(path: Option<&std::path::Path>) -> Result<Config, String> {
        path.map_or_else(|| Ok(Config::default()), Config::from_file)
    }

    pub fn from_file(path: &std::path::Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn enabled(&self, id: &str) -> bool {
        self.rules.get(id).and_then(|r| r.enabled).unwrap_or(true)
    }

    /// Severity of a rule for a report of this template, after overrides.
    pub fn severity(&self, def: &RuleDef, template: Template) -> Severity {
        self.rules
            .get(def.id)
            .and_then(|r| r.severity)
            .unwrap_or_else(|| def.default_severity(template))
    }

    /// The agency override for a report, by exact key or by suffix match either way.
    pub fn agency(&self, key: &str, name: &str) -> Option<&AgencySetting> {
        self.agencies
            .get(key)
            .or_else(|| self.agencies.get(name))
            .or_else(|| {
                self.agencies.iter().find_map(|(k, v)| {
                    (k.chars().count() >= 3 && (key.ends_with(k.as_str()) || k.ends_with(key)))
                        .then_some(v)
                })
            })
    }

    pub fn agency_type(&self, key: &str, name: &str) -> AgencyType {
        self.agency(key, name)
            .and_then(|a| a.agency_type)
            .unwrap_or_else(|| {
                let t = AgencyType::from_name(name);
                if t == AgencyType::Unknown {
                    AgencyType::from_name(key)
                } else {
                    t
                }
            })
    }

    pub fn deadline(&self, key: &str, name: &str) -> Option<MonthDay> {
        if let Some(d) = self.agency(key, name).and_then(|a| a.deadline) {
            return d;
        }
        let t = self.agency_type(key, name);
        self.deadlines.get(&t).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_types_from_names() {
        assert_eq!(
            AgencyType::from_name("余姚市三七市镇"),
            AgencyType::Township
        );
        assert_eq!(
            AgencyType::from_name("淮安市人民政府"),
            AgencyType::Government
        );
        assert_eq!(
            AgencyType::from_name("平潭综合实验区"),
            AgencyType::Government
        );
        assert_eq!(
            AgencyType::from_name("淮安市人民政府办公室"),
            AgencyType::Department
        );
        assert_eq!(AgencyType::from_name("某市财政局"), AgencyType::Department);
        assert_eq!(AgencyType::from_name("某某街道"), AgencyType::Township);
    }

    #[test]
    fn toml_overrides() {
        let c = Config::from_toml(
            r#"
[rules.T3-BAL]
enabled = false
[rules.META-DATE]
severity = "info"
[deadlines]
township = "02-20"
department = "none"
[agencies."余姚市三七市镇"]
type = "government"
deadline = "03-15"
"#,
        )
        .unwrap();
        assert!(!c.enabled("T3-BAL"));
        assert!(c.enabled("T3-ROW"));
        let def = registry::rule("META-DATE").unwrap();
        assert_eq!(c.severity(def, Template::F2019), Severity::Info);
        assert_eq!(
            c.deadline("某镇", "某镇"),
            Some(MonthDay { month: 2, day: 20 })
        );
        assert_eq!(c.deadline("某局", "某局"), None);
        assert_eq!(
            c.agency_type("余姚市三七市镇", "三七市镇"),
            AgencyType::Government
        );
        assert_eq!(
            c.deadline("余姚市三七市镇", "三七市镇"),
            Some(MonthDay { month: 3, day: 15 })
        );
    }

    #[test]
    fn bad_config_is_refused() {
        assert!(Config::from_toml("[rules.T3-BALANCE]\nenabled = false").is_err());
        assert!(Config::from_toml("[rules.T3-BAL]\nseverity = \"fatal\"").is_err());
        assert!(Config::from_toml("[deadlines]\ntownship = \"31-02\"").is_err());
        assert!(Config::from_toml("[rules.T3-BAL]\nenable = false").is_err());
    }
}
