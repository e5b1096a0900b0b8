//! Message language: Chinese when the locale is `zh_*`, English otherwise (`--lang` overrides).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// From LC_ALL, LC_MESSAGES, LANG in that order (the first one set decides).
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return Lang::from_locale(&v);
                }
            }
        }
        Lang::En
    }

    /// A `--lang` value: `zh` or `en` (or locale-style `zh_CN`, `en-US`); anything else is
    /// refused, never silently taken as English.
    pub fn parse(s: &str) -> Option<Lang> {
        let l = s.trim().to_ascii_lowercase();
        if l == "zh" || l.starts_with("zh_") || l.starts_with("zh-") {
            Some(Lang::Zh)
        } else if l == "en" || l.starts_with("en_") || l.starts_with("en-") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of `--lang` if given (refused with a message naming it when it is
    /// neither zh nor en), else of the locale.
    pub fn from_arg(arg: Option<&str>) -> Result<Lang, String> {
        match arg {
            None => Ok(Lang::from_env()),
            Some(s) => Lang::parse(s).ok_or_else(|| format!("--lang must be zh or en, not `{s}`")),
        }
    }

    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}
