//! How the review screen uses memory. The screen is one process that holds a whole batch for
//! a day's work while its loader reads, checks and drops every file. With the allocator's
//! defaults (mimalloc, `src/main.rs`), freed pages stay resident for a second before they are
//! given back, and new memory is backed by 2 MiB transparent huge pages, so a few survivors
//! of a report parsed and dropped keep a whole huge page resident. At 20,000 reports that was
//! 227 MB at the end of the load with the defaults, 160 MB with huge pages off and freed
//! pages given back after 10 ms (`docs/performance.md`). Giving them back at once saves a
//! few MB more, but costs enough system time to bring reopening 100,000 reports from the
//! cache close to its 2 s. `check` is short and bound by time, so it keeps the defaults
//! (huge pages make it about 5% faster).

use std::ffi::{c_int, c_long};

// Linked from `libmimalloc-sys`, which `mimalloc` builds: the allocator's option API
// (`mimalloc.h`). Named here so that the crate is linked wherever this module is.
use mimalloc as _;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// `mi_option_purge_delay` of the `mi_option_e` enum in the vendored mimalloc 3
/// (`mimalloc.h`; `libmimalloc-sys` has no constant for it). Its default, 1,000 ms, is
/// asserted by the test below, so a renumbering in a newer version fails the tests.
const PURGE_DELAY: c_int = 15;

/// How long freed pages are kept before they are given back, in the screen (ms).
const SCREEN_PURGE_DELAY_MS: c_long = 10;

/// Give freed memory back to the system soon, and do not use transparent huge pages, for the
/// rest of the process. Call it first thing in a long-running mode.
pub fn for_long_session() {
    // SAFETY: `prctl(PR_SET_THP_DISABLE)` sets a flag of this process and reads no memory;
    // a kernel without it returns an error, which changes nothing.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // SAFETY: setting an option is thread-safe in mimalloc and takes no pointers.
    unsafe { mi_option_set(PURGE_DELAY, SCREEN_PURGE_DELAY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        // Nothing in the unit tests calls `for_long_session`: this is the vendored default.
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, 1000);
    }
}
