//! The agency as people type it. The screen shows the agency as printed in the title
//! (三七市镇), stores key marks by the normalised key (余姚市三七市镇/2020); a command takes
//! either, and a name the key merely ends with (a region prefix left off), and says which
//! reports it could mean when it is not one agency.

use crate::model::key::ReportKey;
use crate::model::Report;

/// Why a typed name names no report, or more than one agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Nothing in the batch goes by that name.
    NotFound { wanted: String },
    /// Several agencies go by it: their report keys, with the printed name when it differs.
    Ambiguous {
        wanted: String,
        candidates: Vec<String>,
    },
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::NotFound { wanted } => write!(f, "no report {wanted} in this batch"),
            NameError::Ambiguous { wanted, candidates } => write!(
                f,
                "`{wanted}` names more than one agency in this batch: {}; give one of them",
                candidates.join(", ")
            ),
        }
    }
}

/// The report keys (`agency/year`) that `wanted` names among `reports`: `AGENCY/YEAR` or
/// `AGENCY` (every year), the agency given as its normalised key, as printed, or as the end
/// of its key (三七市镇 for 余姚市三七市镇), in that order of preference. All the keys are
/// of one agency; several agencies are [`NameError::Ambiguous`].
pub fn resolve<'a>(
    wanted: &str,
    reports: impl IntoIterator<Item = &'a Report>,
) -> Result<Vec<String>, NameError> {
    let wanted = wanted.trim();
    // `AGENCY/YEAR` only when what follows the last `/` is a year.
    let (agency, year) = match wanted.rsplit_once('/') {
        Some((a, y)) if y.trim().parse::<i32>().is_ok() => (a.trim(), y.trim().parse().ok()),
        _ => (wanted, None),
    };
    let reports: Vec<&Report> = reports
        .into_iter()
        .filter(|r| year.is_none() || r.year == year)
        .collect();
    let tiers: [&dyn Fn(&Report) -> bool; 3] = [
        &|r| r.agency_key == agency,
        &|r| r.agency.trim() == agency,
        &|r| !agency.is_empty() && r.agency_key.ends_with(agency),
    ];
    for tier in tiers {
        let hits: Vec<&Report> = reports.iter().copied().filter(|r| tier(r)).collect();
        if hits.is_empty() {
            continue;
        }
        let mut agencies: Vec<&str> = hits.iter().map(|r| r.agency_key.as_str()).collect();
        agencies.sort_unstable();
        agencies.dedup();
        if agencies.len() > 1 {
            let mut candidates: Vec<String> = hits
                .iter()
                .map(|r| {
                    let key = ReportKey {
                        agency: &r.agency_key,
                        year: r.year,
                    }
                    .to_string();
                    if r.agency.trim() == r.agency_key {
                        key
                    } else {
                        format!("{key} ({})", r.agency.trim())
                    }
                })
                .collect();
            candidates.sort();
            candidates.dedup();
            return Err(NameError::Ambiguous {
                wanted: wanted.to_string(),
                candidates,
            });
        }
        let mut keys: Vec<String> = hits.iter().map(|r| r.key()).collect();
        keys.sort();
        keys.dedup();
        return Ok(keys);
    }
    Err(NameError::NotFound {
        wanted: wanted.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(agency: &str, key: &str, year: i32) -> Report {
        let mut r: Report = serde_json::from_value(serde_json::json!({
            "schema_version": 1,
            "source": {"file_name": "x.json", "sha256": "0", "format": "text", "encoding": "UTF-8"},
            "agency": agency,
            "agency_key": key,
            "year": year,
            "template": "2021",
            "sections": []
        }))
        .expect("a minimal report");
        r.agency = agency.into();
        r
    }

    #[test]
    fn printed_names_keys_and_suffixes_name_one_agency() {
        let rs = [
            report("三七市镇", "余姚市三七市镇", 2020),
            report("洪泽区人民政府", "淮安市洪泽区人民政府", 2023),
            report("淮安市洪泽区人民政府", "淮安市洪泽区人民政府", 2024),
            report("淮安市人民政府", "淮安市人民政府", 2024),
        ];
        let ok = |w: &str| resolve(w, rs.iter()).unwrap();
        assert_eq!(ok("三七市镇/2020"), vec!["余姚市三七市镇/2020"]);
        assert_eq!(ok("余姚市三七市镇/2020"), vec!["余姚市三七市镇/2020"]);
        assert_eq!(ok("三七市镇"), vec!["余姚市三七市镇/2020"]);
        // The printed name of 2023 is the agency of both years.
        assert_eq!(ok("洪泽区人民政府/2024"), vec!["淮安市洪泽区人民政府/2024"]);
        assert_eq!(
            ok("淮安市洪泽区人民政府"),
            vec!["淮安市洪泽区人民政府/2023", "淮安市洪泽区人民政府/2024"]
        );
        assert_eq!(
            resolve("三七市镇/2021", rs.iter()),
            Err(NameError::NotFound {
                wanted: "三七市镇/2021".into()
            })
        );
    }

    #[test]
    fn a_name_of_several_agencies_lists_them() {
        let rs = [
            report("三七市镇", "余姚市三七市镇", 2020),
            report("三七市镇", "慈溪市三七市镇", 2020),
        ];
        let e = resolve("三七市镇/2020", rs.iter()).unwrap_err();
        assert_eq!(
            e,
            NameError::Ambiguous {
                wanted: "三七市镇/2020".into(),
                candidates: vec![
                    "余姚市三七市镇/2020 (三七市镇)".into(),
                    "慈溪市三七市镇/2020 (三七市镇)".into()
                ],
            }
        );
        assert!(e.to_string().contains("give one of them"));
        // The full key is one agency.
        assert_eq!(
            resolve("慈溪市三七市镇/2020", rs.iter()).unwrap(),
            vec!["慈溪市三七市镇/2020"]
        );
    }
}
