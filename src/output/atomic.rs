//! Atomic file writes.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so `path` is either the old file or the complete new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".clearsim-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    // Temporary files are created private (0600); results are for sharing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot move the finished file to {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"first, longer content").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    /// A new file is moved into place: a reader holding the old one (here,
    /// a second hard link to it) keeps the old bytes whole. Writing in
    /// place would change them under the reader.
    #[cfg(unix)]
    #[test]
    fn a_new_version_is_moved_in_not_written_over_the_old() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.csv");
        let reader = dir.path().join("held_by_a_reader");
        write_atomic(&p, b"old run").unwrap();
        std::fs::hard_link(&p, &reader).unwrap();
        write_atomic(&p, b"new run").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new run");
        assert_eq!(std::fs::read(&reader).unwrap(), b"old run");
        // Results are for sharing: readable by all, writable by the owner.
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    /// A write that cannot be moved into place fails, leaves what was
    /// there as it was and leaves no temporary file behind.
    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("plots");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("kept.svg"), b"kept").unwrap();
        // A file cannot replace a non-empty directory: the rename fails.
        assert!(write_atomic(&target, b"x").is_err());
        assert_eq!(std::fs::read(target.join("kept.svg")).unwrap(), b"kept");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["plots"], "a temporary file was left behind");
    }

    /// The temporary file is made in the target's own folder (a rename
    /// across file systems would fail): a missing folder fails there, at
    /// the temporary file, not later at the move.
    #[test]
    fn the_temporary_file_is_made_in_the_targets_folder() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let e = write_atomic(&missing.join("a.csv"), b"x").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("cannot create a temporary file in {}", missing.display())
        );
    }
}
