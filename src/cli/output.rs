//! Standard output of every command, through one writer: a closed pipe (`… | head`) ends
//! the program quietly with status 0, any other write error (`> /dev/full`, a vanished
//! terminal) with a message and status 2 — never a panic, as `println!` would give.

use std::io::Write;

/// Write `text` to standard output and flush it; on failure end the process (see the module
/// comment). Whatever was committed before (store events, files) stays committed.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        fail(&e);
    }
}

/// Standard output for output written piece by piece as it is produced (one large document
/// is never held whole): `write` gets a buffered writer; a failed write ends the process as
/// [`print`] does, after whatever was written before it.
pub fn stream(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Err(e) = write(&mut out).and_then(|_| out.flush()) {
        fail(&e);
    }
}

/// End the process for a failed write to standard output.
pub fn fail(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    // stderr may be gone too: never panic while reporting.
    let _ = writeln!(
        std::io::stderr(),
        "report-review: cannot write to standard output: {e}"
    );
    std::process::exit(2);
}

/// `println!` through [`print`].
macro_rules! outln {
    () => {
        $crate::cli::output::print("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;
