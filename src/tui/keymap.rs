//! Keys → actions. Defaults below; the user's `keys.toml` (in
//! `dirs::config_dir()/report-review/`) replaces the keys of any action it names:
//!
//! ```toml
//! [keys]
//! next_report = ["J", "]"]
//! quit = "ctrl-q"
//! ```
//!
//! Problems (unknown action, unreadable key, a key given to two actions) are reported at
//! start with the file and the key; the program still starts.

use super::action::Action;
use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A key with its modifiers, normalised (an upper-case letter carries its shift itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            c => c,
        };
        Chord { code, mods }
    }

    pub fn from_event(ev: &KeyEvent) -> Chord {
        Chord::new(ev.code, ev.modifiers)
    }

    /// Parse `j`, `J`, `down`, `enter`, `ctrl-c`, `alt-x`, `shift-tab`, `f1`, `space`.
    pub fn parse(s: &str) -> Option<Chord> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1
                && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+"))
            {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if rest.chars().count() > 1
                && (lower.starts_with("alt-") || lower.starts_with("alt+"))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else if rest.chars().count() > 1
                && (lower.starts_with("shift-") || lower.starts_with("shift+"))
            {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return None,
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "space" => KeyCode::Char(' '),
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
                }
                _ => return None,
            },
        };
        Some(Chord::new(code, mods))
    }

    pub fn display(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            s.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => s.push_str("space"),
            KeyCode::Char(c) => s.push(c),
            KeyCode::Up => s.push('↑'),
            KeyCode::Down => s.push('↓'),
            KeyCode::Left => s.push('←'),
            KeyCode::Right => s.push('→'),
            KeyCode::Enter => s.push_str("Enter"),
            KeyCode::Esc => s.push_str("Esc"),
            KeyCode::Tab => s.push_str("Tab"),
            KeyCode::BackTab => s.push_str("shift-Tab"),
            KeyCode::Backspace => s.push_str("Backspace"),
            KeyCode::Home => s.push_str("Home"),
            KeyCode::End => s.push_str("End"),
            KeyCode::PageUp => s.push_str("PgUp"),
            KeyCode::PageDown => s.push_str("PgDn"),
            KeyCode::Delete => s.push_str("Del"),
            KeyCode::Insert => s.push_str("Ins"),
            KeyCode::F(n) => s.push_str(&format!("F{n}")),
            _ => s.push('?'),
        }
        s
    }
}

/// The default bindings, in the order the help overlay lists them.
pub const DEFAULTS: &[(&str, &[&str])] = &[
    ("move_down", &["j", "down"]),
    ("move_up", &["k", "up"]),
    ("move_left", &["h", "left"]),
    ("move_right", &["l", "right"]),
    ("page_down", &["pagedown", "ctrl-d"]),
    ("page_up", &["pageup", "ctrl-u"]),
    ("top", &["g", "home"]),
    ("bottom", &["G", "end"]),
    ("open", &["enter"]),
    ("back", &["esc"]),
    ("leave", &["q"]),
    ("quit", &["ctrl-c"]),
    ("filter_start", &["/"]),
    ("next_tab", &["tab"]),
    ("prev_tab", &["shift-tab"]),
    ("next_finding", &["n"]),
    ("prev_finding", &["N"]),
    ("next_report", &["]"]),
    ("prev_report", &["["]),
    ("next_failing", &["}"]),
    ("prev_failing", &["{"]),
    ("next_warning", &[")"]),
    ("prev_warning", &["("]),
    ("cycle_sort", &["s"]),
    ("reverse_sort", &["S"]),
    ("cycle_status_filter", &["f"]),
    ("cycle_rule_filter", &["r"]),
    ("cycle_year_filter", &["y"]),
    ("clear_filters", &["x"]),
    ("copy", &["c"]),
    ("help", &["?", "f1"]),
    ("toggle_mark", &["m"]),
    ("edit_note", &["e"]),
    ("open_followups", &["F"]),
    ("show_history", &["H"]),
    ("cycle_reviewer_filter", &["u"]),
    ("open_compare", &["p"]),
    ("toggle_zeros", &["z"]),
    ("next_diff", &["d"]),
    ("prev_diff", &["D"]),
    ("choose_pairing", &["P"]),
    ("goto_cell", &[":"]),
    ("goto_report", &["o"]),
    ("toggle_select", &["space"]),
    ("visual_select", &["V"]),
    ("select_rule", &["*"]),
    ("open_rules", &["R"]),
    ("toggle_reviewed", &["v"]),
    ("toggle_unreviewed_filter", &["w"]),
    ("export", &["E"]),
];

fn action_named(name: &str) -> Option<Action> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

#[derive(Debug, Clone)]
pub struct Keymap {
    map: HashMap<Chord, Action>,
    /// Actions in help order with their keys.
    pub bindings: Vec<(Action, Vec<Chord>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::load_str(None, "", Lang::En).0
    }
}

impl Keymap {
    /// The key reference as a Markdown table (docs/tui.md and README.md carry it; tests keep
    /// them in step).
    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| 键 Keys | 作用 | Action |\n|---|---|---|\n");
        for (action, chords) in &self.bindings {
            let (zh, en) = action.describe();
            let keys: Vec<String> = chords
                .iter()
                .map(|c| format!("`{}`", c.display().replace('|', "\\|")))
                .collect();
            out.push_str(&format!("| {} | {zh} | {en} |\n", keys.join(" ")));
        }
        out
    }

    /// The user's keymap file: `dirs::config_dir()/report-review/keys.toml`.
    pub fn user_file() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join("report-review").join("keys.toml"))
    }

    /// Defaults patched by the file, if it exists; problems come back as messages in `lang`.
    pub fn load(path: Option<&Path>, lang: Lang) -> (Keymap, Vec<String>) {
        match path {
            Some(p) if p.exists() => match std::fs::read_to_string(p) {
                Ok(text) => Keymap::load_str(Some(p), &text, lang),
                Err(e) => {
                    let (k, _) = Keymap::load_str(None, "", lang);
                    let why = match lang {
                        Lang::Zh => format!("{}：无法读取：{e}", p.display()),
                        Lang::En => format!("{}: cannot read: {e}", p.display()),
                    };
                    (k, vec![why])
                }
            },
            _ => Keymap::load_str(None, "", lang),
        }
    }

    /// Defaults patched by the TOML text of `file`.
    pub fn load_str(file: Option<&Path>, text: &str, lang: Lang) -> (Keymap, Vec<String>) {
        let zh = lang == Lang::Zh;
        let fname = file
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "keys.toml".to_string());
        let mut problems = Vec::new();
        let mut bindings: Vec<(Action, Vec<Chord>)> = DEFAULTS
            .iter()
            .map(|(name, keys)| {
                let action = action_named(name).expect("default action names are valid");
                let chords = keys
                    .iter()
                    .map(|k| Chord::parse(k).expect("default keys parse"))
                    .collect();
                (action, chords)
            })
            .collect();
        let mut user: Vec<(Action, Vec<(String, Chord)>)> = Vec::new();
        if !text.trim().is_empty() {
            match text.parse::<toml::Table>() {
                Err(e) => problems.push(if zh {
                    format!("{fname}：不是有效的 TOML：{}", e.message())
                } else {
                    format!("{fname}: not valid TOML: {}", e.message())
                }),
                Ok(table) => {
                    let keys = match table.get("keys") {
                        Some(toml::Value::Table(t)) => Some(t.clone()),
                        Some(_) => {
                            problems.push(if zh {
                                format!("{fname}：[keys] 必须是一个表")
                            } else {
                                format!("{fname}: [keys] must be a table")
                            });
                            None
                        }
                        None => {
                            problems.push(if zh {
                                format!("{fname}：没有 [keys] 表")
                            } else {
                                format!("{fname}: no [keys] table")
                            });
                            None
                        }
                    };
                    for (name, value) in keys.into_iter().flatten() {
                        let Some(action) = action_named(&name).filter(|a| {
                            DEFAULTS
                                .iter()
                                .any(|(n, _)| action_named(n).as_ref() == Some(a))
                        }) else {
                            problems.push(if zh {
                                format!("{fname}：未知操作 `{name}`")
                            } else {
                                format!("{fname}: unknown action `{name}`")
                            });
                            continue;
                        };
                        let list: Vec<String> = match value {
                            toml::Value::String(s) => vec![s],
                            toml::Value::Array(a) => a
                                .into_iter()
                                .filter_map(|v| match v {
                                    toml::Value::String(s) => Some(s),
                                    other => {
                                        problems.push(if zh {
                                            format!("{fname}：{name}：按键 `{other}` 不是字符串")
                                        } else {
                                            format!(
                                                "{fname}: {name}: key `{other}` is not a string"
                                            )
                                        });
                                        None
                                    }
                                })
                                .collect(),
                            other => {
                                problems.push(if zh {
                                    format!("{fname}：{name}：应为一个按键或按键列表，而不是 `{other}`")
                                } else {
                                    format!(
                                    "{fname}: {name}: expected a key or a list of keys, got `{other}`"
                                )
                                });
                                continue;
                            }
                        };
                        let mut chords = Vec::new();
                        for k in list {
                            match Chord::parse(&k) {
                                Some(c) => chords.push((k, c)),
                                None => problems.push(if zh {
                                    format!("{fname}：{name}：无法识别按键 `{k}`")
                                } else {
                                    format!("{fname}: {name}: cannot read key `{k}`")
                                }),
                            }
                        }
                        user.push((action, chords));
                    }
                }
            }
        }
        // User entries replace the defaults of the actions they name.
        for (action, _) in &user {
            if let Some(b) = bindings.iter_mut().find(|(a, _)| a == action) {
                b.1.clear();
            }
        }
        let mut map: HashMap<Chord, Action> = HashMap::new();
        let mut owner_is_user: HashMap<Chord, bool> = HashMap::new();
        for (action, chords) in &user {
            for (text, chord) in chords {
                if let Some(prev) = map.get(chord) {
                    if prev != action {
                        let (a, b) = (name_of(prev), name_of(action));
                        problems.push(if zh {
                            format!("{fname}：按键 `{text}` 同时分配给 {a} 和 {b}；保留 {a}")
                        } else {
                            format!(
                                "{fname}: key `{text}` is given to both {a} and {b}; keeping {a}"
                            )
                        });
                    }
                    continue;
                }
                map.insert(*chord, action.clone());
                owner_is_user.insert(*chord, true);
                if let Some(b) = bindings.iter_mut().find(|(a, _)| a == action) {
                    b.1.push(*chord);
                }
            }
        }
        for (action, chords) in bindings.iter_mut() {
            if user.iter().any(|(a, _)| a == action) {
                continue;
            }
            chords.retain(|chord| match map.get(chord) {
                Some(other) if other != action => {
                    if owner_is_user.get(chord) == Some(&true) {
                        let (k, o, a) = (chord.display(), name_of(other), name_of(action));
                        problems.push(if zh {
                            format!("{fname}：按键 `{k}` 分配给 {o}，原是 {a} 的默认键；{a} 不再有此键")
                        } else {
                            format!("{fname}: key `{k}` given to {o} was the default for {a}; {a} loses it")
                        });
                    }
                    false
                }
                _ => {
                    map.insert(*chord, action.clone());
                    true
                }
            });
        }
        for (action, chords) in &bindings {
            if chords.is_empty() && !matches!(action, Action::ToggleMark) {
                problems.push(if zh {
                    format!("{fname}：{} 没有剩下的按键", name_of(action))
                } else {
                    format!("{fname}: {} has no key left", name_of(action))
                });
            }
        }
        (Keymap { map, bindings }, problems)
    }

    pub fn get(&self, chord: &Chord) -> Option<&Action> {
        self.map.get(chord)
    }

    /// Keys of an action, as shown to the user (`j/↓`).
    pub fn keys_for(&self, action: &Action) -> String {
        self.bindings
            .iter()
            .find(|(a, _)| a == action)
            .map(|(_, c)| c.iter().map(|c| c.display()).collect::<Vec<_>>().join("/"))
            .unwrap_or_default()
    }

    /// The first key of an action (for the footer hints).
    pub fn first_key(&self, action: &Action) -> String {
        self.bindings
            .iter()
            .find(|(a, _)| a == action)
            .and_then(|(_, c)| c.first())
            .map(|c| c.display())
            .unwrap_or_else(|| "—".to_string())
    }
}

/// The snake_case name of an action (as written in keys.toml).
pub fn name_of(action: &Action) -> String {
    match serde_json::to_value(action) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{action:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_no_conflicts() {
        let (k, problems) = Keymap::load_str(None, "", Lang::En);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(k.get(&Chord::parse("j").unwrap()), Some(&Action::MoveDown));
        assert_eq!(
            k.get(&Chord::parse("N").unwrap()),
            Some(&Action::PrevFinding)
        );
        assert_eq!(
            k.get(&Chord::new(KeyCode::Char('N'), KeyModifiers::SHIFT)),
            Some(&Action::PrevFinding)
        );
        assert_eq!(
            k.get(&Chord::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(&Action::PrevTab)
        );
    }

    #[test]
    fn overrides_and_conflicts_are_reported_with_file_and_key() {
        let text = "[keys]\nnext_report = [\"J\", \"]\"]\nquit = \"ctrl-q\"\nmove_down = \"n\"\nfrobnicate = \"z\"\nhelp = \"ctrl-\"\n";
        let (k, problems) = Keymap::load_str(Some(Path::new("/home/a/keys.toml")), text, Lang::En);
        assert_eq!(
            k.get(&Chord::parse("J").unwrap()),
            Some(&Action::NextReport)
        );
        assert_eq!(k.get(&Chord::parse("ctrl-q").unwrap()), Some(&Action::Quit));
        assert_eq!(k.get(&Chord::parse("ctrl-c").unwrap()), None);
        assert_eq!(k.get(&Chord::parse("n").unwrap()), Some(&Action::MoveDown));
        let all = problems.join("\n");
        assert!(
            all.contains("/home/a/keys.toml: unknown action `frobnicate`"),
            "{all}"
        );
        assert!(
            all.contains("/home/a/keys.toml: help: cannot read key `ctrl-`"),
            "{all}"
        );
        assert!(
            all.contains("key `n` given to move_down was the default for next_finding"),
            "{all}"
        );
    }

    #[test]
    fn the_chinese_screen_is_told_of_keymap_problems_in_chinese() {
        let text = "[keys]\nmove_down = \"n\"\nfrobnicate = \"z\"\nhelp = \"ctrl-\"\n";
        let (_, problems) = Keymap::load_str(Some(Path::new("/home/a/keys.toml")), text, Lang::Zh);
        let all = problems.join("\n");
        assert!(
            all.contains("/home/a/keys.toml：未知操作 `frobnicate`"),
            "{all}"
        );
        assert!(all.contains("help：无法识别按键 `ctrl-`"), "{all}");
        assert!(
            all.contains("按键 `n` 分配给 move_down，原是 next_finding 的默认键"),
            "{all}"
        );
    }

    #[test]
    fn two_user_bindings_of_one_key_conflict() {
        let text = "[keys]\nnext_report = \"z\"\nprev_report = \"z\"\n";
        let (_, problems) = Keymap::load_str(None, text, Lang::En);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("key `z` is given to both")),
            "{problems:?}"
        );
    }
}
