//! Who made a mark: the OS login user (always recorded, never replaceable) plus an optional
//! display name the reviewer chose (`--name`, `REPORT_REVIEW_NAME`, or set in the TUI).

use serde::{Deserialize, Serialize};

/// The reviewer behind a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    os_user: String,
    display_name: Option<String>,
}

/// Environment variable read for a display name when none is given on the command line.
pub const NAME_ENV: &str = "REPORT_REVIEW_NAME";

impl Identity {
    /// The login user of this process (getpwuid of the real uid; `uid:N` when the password
    /// database has no entry — `$USER` is never trusted), with the display name from
    /// `REPORT_REVIEW_NAME` if set.
    pub fn current() -> Identity {
        let name = std::env::var(NAME_ENV).ok();
        Identity {
            os_user: os_login_user(),
            display_name: name.as_deref().and_then(clean_display_name),
        }
    }

    /// Add (or replace) the display name. The OS user stays as it is.
    pub fn with_display_name(mut self, name: Option<&str>) -> Identity {
        if let Some(n) = name.and_then(clean_display_name) {
            self.display_name = Some(n);
        }
        self
    }

    /// An identity with a given OS user: for tests and for reading events back only.
    #[doc(hidden)]
    pub fn from_parts(os_user: &str, display_name: Option<&str>) -> Identity {
        Identity {
            os_user: os_user.to_string(),
            display_name: display_name.and_then(clean_display_name),
        }
    }

    pub fn os_user(&self) -> &str {
        &self.os_user
    }

    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// `张三 (zhangsan)` or `zhangsan`.
    pub fn label(&self) -> String {
        who_label(&self.os_user, self.display_name.as_deref())
    }
}

/// `张三 (zhangsan)` when a display name differs from the login, else the login.
pub fn who_label(os_user: &str, display_name: Option<&str>) -> String {
    match display_name {
        Some(n) if !n.is_empty() && n != os_user => format!("{n} ({os_user})"),
        _ => os_user.to_string(),
    }
}

/// [`who_label`] in at most `width` columns, never losing the login: when the whole label
/// does not fit, the login comes first and the display name is cut (`nobody (zhangsan (…)`),
/// so a long name cannot push the real login out of a column.
pub fn who_fitting(os_user: &str, display_name: Option<&str>, width: usize) -> String {
    use crate::textwidth;
    let full = who_label(os_user, display_name);
    if textwidth::width(&full) <= width {
        return full;
    }
    let login_w = textwidth::width(os_user);
    match display_name {
        Some(n) if !n.is_empty() && n != os_user && width >= login_w + 5 => {
            format!("{os_user} ({})", textwidth::cut(n, width - login_w - 3))
        }
        _ => textwidth::cut(os_user, width),
    }
}

/// Trim; drop control, bidi and invisible characters (a name cannot reorder or disguise the
/// text around it); at most 64 characters; `None` when nothing is left.
fn clean_display_name(name: &str) -> Option<String> {
    let cleaned: String = crate::textwidth::clean(name)
        .chars()
        .filter(|c| !crate::textwidth::is_invisible(*c))
        .take(64)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty()).then(|| cleaned.to_string())
}

/// The login name of the real user id: from the password database, else `uid:N`. The
/// environment (`$USER`, `$LOGNAME`) is never used on Unix: anyone can set it, and an
/// NSS/LDAP outage or a container user without an entry must not become `root`.
pub fn os_login_user() -> String {
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        login_for(passwd_name(), uid)
    }
    #[cfg(not(unix))]
    {
        std::env::var("USERNAME")
            .ok()
            .and_then(|v| clean_display_name(&v))
            .unwrap_or_else(|| "unknown".into())
    }
}

/// The login for a uid whose password-database name is `passwd` (if any).
fn login_for(passwd: Option<String>, uid: u32) -> String {
    passwd.unwrap_or_else(|| format!("uid:{uid}"))
}

#[cfg(unix)]
fn passwd_name() -> Option<String> {
    // SAFETY: getuid has no preconditions; getpwuid_r writes only into the buffers we pass and
    // sets `result` to either null or `&pwd`, whose string pointers point into `buf`.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name)
            .to_string_lossy()
            .into_owned();
        (!name.is_empty()).then_some(name)
    }
}

#[cfg(not(unix))]
fn passwd_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_passwd_entry_the_login_is_the_uid_whatever_the_environment_says() {
        // `$USER` is `root` here or not: it is never consulted.
        assert_eq!(login_for(None, 54321), "uid:54321");
        assert_eq!(login_for(Some("nobody".into()), 65534), "nobody");
    }

    #[test]
    fn a_long_display_name_never_hides_the_login() {
        let shown = who_fitting("nobody", Some("zhangsan (zhangsan)"), 20);
        assert!(shown.starts_with("nobody ("), "{shown}");
        assert!(crate::textwidth::width(&shown) <= 20, "{shown}");
        assert_eq!(who_fitting("u", Some("张三"), 20), "张三 (u)");
        let bidi = Identity::from_parts("u", Some("\u{202e}nimda\u{200f}\u{2066}"));
        assert_eq!(bidi.display_name(), Some("nimda"));
    }

    #[test]
    fn login_user_is_never_empty() {
        assert!(!os_login_user().is_empty());
    }

    #[test]
    fn display_name_cannot_replace_the_login() {
        let id = Identity::current().with_display_name(Some("  张三\u{1b}[31m "));
        assert_eq!(id.os_user(), os_login_user());
        // The escape sequence goes whole, not just its ESC.
        assert_eq!(id.display_name(), Some("张三"));
        assert!(id.label().ends_with(&format!("({})", os_login_user())));
        let blank = Identity::from_parts("u", None).with_display_name(Some("   "));
        assert_eq!(blank.display_name(), None);
        assert_eq!(blank.label(), "u");
    }
}
