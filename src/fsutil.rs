//! Writing files safely: every file the program writes goes through [`write_atomic`].
//!
//! The bytes go to a temporary file in the target's own directory, are synced, and only then
//! take the target's name (a hard link for "create only", a rename for "replace"). So a
//! failed write (full disk, size limit, I/O error) leaves no empty or cut-off file and the old
//! file intact, and a reader never sees half a file. A target that is a symbolic link, a
//! directory, a device, a FIFO or a socket is refused with its reason, even when replacing:
//! nothing is written through a link into a file outside the directory named.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether an existing regular file at the target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the target exists (checked atomically: a file appearing meanwhile is kept).
    Never,
    /// Replace an existing regular file.
    Replace,
}

/// Why a file was not written. The message names the file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} exists (use --force to overwrite)", .0.display())]
    Exists(PathBuf),
    #[error("refusing to write {}: it is {what}", .path.display())]
    NotARegularFile { path: PathBuf, what: &'static str },
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What `meta` (from `symlink_metadata`, so links are not followed) describes, when it is
/// not a regular file.
fn irregular_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let ft = meta.file_type();
    if ft.is_symlink() {
        return Some("a symbolic link");
    }
    if ft.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    (!ft.is_file()).then_some("not a regular file")
}

/// Refuse a target that exists and is not a regular file; report whether it exists.
fn check_target(path: &Path) -> Result<bool, WriteError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => match irregular_kind(&meta) {
            Some(what) => Err(WriteError::NotARegularFile {
                path: path.to_path_buf(),
                what,
            }),
            None => Ok(true),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(WriteError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The directory a target lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A fresh temporary file beside `path`, created exclusively (never follows a planted link).
fn create_temp(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    // Keep the temporary name short enough for any file system (255 bytes).
    let short: String = name.chars().take(60).collect();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{short}.{}-{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Make a completed rename or link durable (best effort: not every file system syncs dirs).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Write `bytes` to `path` atomically (see the module comment). The target's directory must
/// exist; nothing outside it is created or changed.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let existed = check_target(path)?;
    if existed && overwrite == Overwrite::Never {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let (tmp, mut file) = create_temp(path).map_err(io)?;
    let placed = file
        .write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(io)
        .and_then(|_| {
            drop(file);
            place(&tmp, path, overwrite)
        });
    // Whatever happened, the temporary name does not stay behind.
    let _ = std::fs::remove_file(&tmp);
    placed?;
    sync_dir(parent_dir(path));
    Ok(())
}

/// Give the finished temporary file the target's name.
fn place(tmp: &Path, path: &Path, overwrite: Overwrite) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    match overwrite {
        // A hard link never replaces an existing name: two writers cannot clobber each other.
        Overwrite::Never => match std::fs::hard_link(tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                check_target(path)?;
                Err(WriteError::Exists(path.to_path_buf()))
            }
            // File systems without hard links: check, then rename (a small race, no debris).
            Err(_) => {
                if check_target(path)? {
                    return Err(WriteError::Exists(path.to_path_buf()));
                }
                std::fs::rename(tmp, path).map_err(io)
            }
        },
        Overwrite::Replace => {
            // Checked again just before the rename; rename(2) itself never follows a link,
            // so even a link planted in between is replaced, not written through.
            check_target(path)?;
            std::fs::rename(tmp, path).map_err(io)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn creates_refuses_existing_and_replaces_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"one", Overwrite::Never).unwrap();
        let e = write_atomic(&p, b"two", Overwrite::Never).unwrap_err();
        assert!(e.to_string().contains("exists"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"three", Overwrite::Replace).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        assert_eq!(leftovers(dir.path()), ["a.json"], "no temporary files left");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_dangling_links_and_directories_are_refused_even_when_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim.txt");
        std::fs::write(&victim, "VICTIM").unwrap();
        let link = dir.path().join("x.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let dangling = dir.path().join("y.json");
        let created = outside.path().join("created.json");
        std::os::unix::fs::symlink(&created, &dangling).unwrap();
        let sub = dir.path().join("z.json");
        std::fs::create_dir(&sub).unwrap();
        for mode in [Overwrite::Never, Overwrite::Replace] {
            let e = write_atomic(&link, b"{}", mode).unwrap_err();
            assert!(e.to_string().contains("symbolic link"), "{e}");
            let e = write_atomic(&dangling, b"{}", mode).unwrap_err();
            assert!(e.to_string().contains("symbolic link"), "{e}");
            let e = write_atomic(&sub, b"{}", mode).unwrap_err();
            assert!(e.to_string().contains("a directory"), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM");
        assert!(!created.exists(), "nothing created through a dangling link");
        assert_eq!(leftovers(dir.path()), ["x.json", "y.json", "z.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused() {
        // Only classified, never written: a bug here must not replace a real device.
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert_eq!(irregular_kind(&meta), Some("a device"));
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.csv");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = write_atomic(&fifo, b"x", Overwrite::Replace).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
    }

    #[test]
    fn a_missing_directory_is_an_error_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/a.json");
        let e = write_atomic(&p, b"x", Overwrite::Replace).unwrap_err();
        assert!(e.to_string().contains("cannot write"), "{e}");
        assert!(leftovers(dir.path()).is_empty());
    }
}
