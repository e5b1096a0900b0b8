//! Copy to the local clipboard with OSC 52: the terminal emulator on the auditor's own
//! machine receives the text, so it works over SSH. Inside tmux the sequence is sent both
//! plain (tmux `set -g set-clipboard on` takes it) and wrapped in a DCS passthrough
//! (tmux `set -g allow-passthrough on` hands it to the outer terminal).

use base64::Engine;

/// Largest text sent: some terminals drop longer OSC 52 payloads.
pub const MAX_BYTES: usize = 64 * 1024;

/// The escape sequence that puts `text` on the clipboard. Text longer than `MAX_BYTES` is
/// cut at a character boundary.
pub fn sequence(text: &str, tmux: bool) -> String {
    let mut end = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(&text.as_bytes()[..end]);
    let osc = format!("\x1b]52;c;{b64}\x07");
    if tmux {
        // Inside tmux: the plain sequence (taken by tmux itself with `set-clipboard on`)
        // and the same sequence in a DCS passthrough for the outer terminal
        // (`allow-passthrough on`); every ESC inside the passthrough is doubled.
        format!("{osc}\x1bPtmux;{}\x1b\\", osc.replace('\x1b', "\x1b\x1b"))
    } else {
        osc
    }
}

/// True when running inside tmux.
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_tmux() {
        assert_eq!(sequence("总计", false), "\x1b]52;c;5oC76K6h\x07");
        assert_eq!(
            sequence("总计", true),
            "\x1b]52;c;5oC76K6h\x07\x1bPtmux;\x1b\x1b]52;c;5oC76K6h\x07\x1b\\"
        );
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary() {
        let s = "三".repeat(MAX_BYTES);
        let seq = sequence(&s, false);
        assert!(seq.len() < MAX_BYTES * 2);
    }
}
