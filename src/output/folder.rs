//! Whole-folder atomicity: a command writes its outputs into a staging
//! folder beside `--out` and swaps it in at the end, so a reader of `--out`
//! sees the previous complete set of outputs or the new complete set,
//! never a mix of two runs, and a run that is killed or fails leaves the
//! previous outputs as they were.
//!
//! For `--out DIR` (in PARENT), the command uses three names in PARENT:
//! - `.DIR.clearsim-lock`: an advisory lock (`flock`) held while the command
//!   runs; a second writer of DIR is refused instead of mixing its files in.
//!   The file is removed when the command ends.
//! - `.DIR.clearsim-staging/`: where the outputs are written.
//! - `.DIR.clearsim-previous/`: the replaced folder, for an instant, where
//!   the system cannot exchange two folders in one step.
//!
//! A killed run can leave these behind; the next command writing DIR
//! (holding the lock, so no other is at work) puts the previous folder back
//! if DIR is missing and removes the rest. Nothing in them is the only copy
//! of anything: what the swap keeps from the old folder (your own files,
//! another command's subfolder such as `compare/`) is hard-linked or copied
//! into the staging folder, never moved out of the folder a reader sees.
//!
//! Symbolic links inside DIR are never followed: the staging folder is
//! created fresh, and a link kept from the old folder is recreated as a
//! link. `--out` itself may be a link to a folder; the real folder is used.
//!
//! What the folder knows: paths and names. What it does not: which command
//! runs, or what the files mean (beyond which names clearsim writes).

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A reason to refuse `--out` that is the user's to fix (a file in the
/// way, another clearsim writing there): bad input, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// What a command replaces in an existing folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replaces {
    /// Every output clearsim writes (a new run's files replace the previous
    /// run's, which are dropped even if the new run does not write them);
    /// anything else in the folder is kept.
    Outputs,
    /// Only the charts and the report (`clearsim plot DIR`); the rest of the
    /// folder is kept.
    Charts,
}

/// The names clearsim writes at the top of an output folder, besides the
/// demo's `demo_<mode>.svg` and `.png` (see [`is_clearsim_output`]).
const OUTPUT_NAMES: [&str; 17] = [
    "summary.csv",
    "replications.csv",
    "timeseries.csv",
    "distribution.csv",
    "comparison.csv",
    "sweep.csv",
    "frontier.csv",
    "plan.csv",
    "ladder.csv",
    "manifest.json",
    "report.html",
    "plots",
    "shard.json",
    "partial.csv",
    "partial_profiles.csv",
    "demo.html",
    "trace.csv",
];

/// Whether clearsim writes an entry of this name in an output folder.
pub fn is_clearsim_output(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    OUTPUT_NAMES.contains(&name)
        || (name.starts_with("demo_") && (name.ends_with(".svg") || name.ends_with(".png")))
}

/// The suffixes of the transient names a command uses beside its folder.
const LOCK: &str = "clearsim-lock";
const STAGING: &str = "clearsim-staging";
const PREVIOUS: &str = "clearsim-previous";

/// Whether an entry is one of clearsim's transient names (a lock, a staging
/// or previous folder of a folder nested in this one): never carried over.
fn is_transient(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') && [LOCK, STAGING, PREVIOUS].iter().any(|s| name.ends_with(s))
}

/// An output folder being written: write into [`OutputFolder::staging`],
/// then [`OutputFolder::commit`]. Dropped without a commit (an error), it
/// removes the staging folder and leaves `--out` as it was.
#[derive(Debug)]
pub struct OutputFolder {
    target: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    replaces: Replaces,
    lock: Option<Lock>,
    /// Folders created to hold `target` (outermost last), removed again if
    /// the command fails before its commit.
    created: Vec<PathBuf>,
}

impl OutputFolder {
    /// Checks `target`, takes its lock, tidies up after a killed run and
    /// creates the staging folder: everything that could stop the outputs
    /// being written, done before anything is simulated.
    pub fn open(target: &Path, replaces: Replaces) -> anyhow::Result<Self> {
        let target = resolve(target)?;
        let (parent, name) = split(&target)?;
        let created = create_parents(&parent)?;
        let lock = match Lock::take(&beside(&parent, &name, LOCK), &target) {
            Ok(lock) => lock,
            Err(e) => {
                remove_created(&created);
                return Err(e);
            }
        };
        // From here on the folder is ours: on an error, dropping it tidies up.
        let folder = Self {
            staging: beside(&parent, &name, STAGING),
            previous: beside(&parent, &name, PREVIOUS),
            lock: Some(lock),
            replaces,
            created,
            target,
        };
        let absolute = fs::canonicalize(&parent)
            .with_context(|| format!("cannot find the folder {}", parent.display()))?
            .join(&name);
        refuse_nested_writers(&absolute)?;
        folder.recover()?;
        fs::create_dir(&folder.staging)
            .with_context(|| format!("cannot write outputs into {}", folder.target.display()))?;
        Ok(folder)
    }

    /// Where the command writes its outputs.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Where the outputs end up (and what messages and the report name).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts back what a killed run may have left half-swapped, then removes
    /// its staging and previous folders. Called with the lock held.
    fn recover(&self) -> anyhow::Result<()> {
        if !exists(&self.target) && self.previous.is_dir() {
            fs::rename(&self.previous, &self.target).with_context(|| {
                format!(
                    "cannot put the previous outputs {} back in place",
                    self.previous.display()
                )
            })?;
        }
        remove_entry(&self.previous)?;
        remove_entry(&self.staging)
    }

    /// Swaps the staging folder in: `target` becomes the new outputs plus
    /// what the old folder held that this command does not replace.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if !exists(&self.target) {
            rename(&self.staging, &self.target)?;
        } else if contains_working_directory(&self.target) {
            // Swapping the folder would leave the shell that ran us in the
            // old, deleted one: replace entry by entry instead.
            self.replace_in_place()?;
        } else {
            self.carry_over()?;
            self.swap()?;
            remove_entry(&self.previous)?;
        }
        self.created.clear();
        Ok(())
    }

    /// Links (or copies) into the staging folder every entry of the old
    /// folder that this command does not replace and did not write.
    fn carry_over(&self) -> anyhow::Result<()> {
        for entry in read_dir(&self.target)? {
            let name = entry.file_name();
            if self.drops(&name) || exists(&self.staging.join(&name)) {
                continue;
            }
            carry(&entry.path(), &self.staging.join(&name))?;
        }
        Ok(())
    }

    /// Whether the old folder's entry `name` goes with the swap.
    fn drops(&self, name: &OsStr) -> bool {
        is_transient(name)
            || match self.replaces {
                Replaces::Outputs => is_clearsim_output(name),
                Replaces::Charts => name == "plots" || name == "report.html",
            }
    }

    /// Exchanges the staging folder and `target` in one step where the
    /// system can (Linux), else with two renames through the previous
    /// folder (a reader may then find no folder for an instant, never a
    /// mix). Either way the old folder ends at `previous`.
    fn swap(&self) -> anyhow::Result<()> {
        if exchange(&self.staging, &self.target).is_ok() {
            return rename(&self.staging, &self.previous);
        }
        rename(&self.target, &self.previous)?;
        rename(&self.staging, &self.target)
    }

    /// Moves each new entry into `target` (each one atomically), then drops
    /// the old outputs the command did not rewrite.
    fn replace_in_place(&self) -> anyhow::Result<()> {
        let written: Vec<OsString> = read_dir(&self.staging)?
            .iter()
            .map(|e| e.file_name())
            .collect();
        for entry in read_dir(&self.target)? {
            let name = entry.file_name();
            if self.drops(&name) && !is_transient(&name) && !written.contains(&name) {
                remove_entry(&entry.path())?;
            }
        }
        // The manifest last: a reader that finds the new one finds the rest.
        let mut order = written;
        order.sort_by_key(|n| n == "manifest.json");
        for name in order {
            let (from, to) = (self.staging.join(&name), self.target.join(&name));
            if to.is_dir() && !to.is_symlink() {
                // A folder (plots/) cannot be renamed over a non-empty one.
                if exchange(&from, &to).is_ok() {
                    remove_entry(&from)?;
                    continue;
                }
                remove_entry(&to)?;
            }
            rename(&from, &to)?;
        }
        remove_entry(&self.staging)
    }
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        // Committed: the staging folder is gone already. Failed: nothing
        // of this run is kept. Errors cannot be reported from here; the
        // next command writing the folder removes what is left.
        let _ = remove_entry(&self.staging);
        drop(self.lock.take());
        remove_created(&self.created);
    }
}

/// An advisory lock on a file beside the output folder, held for the whole
/// command and removed when it ends.
#[derive(Debug)]
struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock for `target`, or refuses if another process holds it.
    fn take(path: &Path, target: &Path) -> anyhow::Result<Self> {
        // A holder removes the file when it ends: if it did so between our
        // open and our lock, we locked a file nobody else will see; retry.
        for _ in 0..100 {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .with_context(|| format!("cannot write outputs into {}", target.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let holder = fs::read_to_string(path).unwrap_or_default();
                    return Err(Refusal(format!(
                        "another clearsim{} is writing {}; wait for it to end, or give \
                         another --out (its lock: {})",
                        holder_note(&holder),
                        target.display(),
                        path.display()
                    ))
                    .into());
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
            if same_file(&file, path) {
                file.set_len(0)?;
                let _ = write!(file, "{}", std::process::id());
                return Ok(Self {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
        anyhow::bail!("cannot lock {}: it keeps being replaced", path.display())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no one can lock this file after us
        // and believe it is the current one (see `same_file`).
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// ` (process N)` from a lock file's content, when it holds a number.
fn holder_note(content: &str) -> String {
    content
        .trim()
        .parse::<u32>()
        .map_or_else(|_| String::new(), |pid| format!(" (process {pid})"))
}

/// Whether the open `file` is still the one at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Output folders are small; in a huge tree (an `--out` of one's home) the
/// search for other writers inside looks at no more than this many entries.
const ENTRIES_SEARCHED: usize = 100_000;

/// Refuses to replace a folder while another clearsim writes a folder
/// inside it (e.g. `compare/` in a run's folder), or to write inside a
/// folder another clearsim is replacing: either would lose that one's work.
fn refuse_nested_writers(target: &Path) -> anyhow::Result<()> {
    for outer in target.ancestors().skip(1) {
        let Ok((parent, name)) = split(outer) else {
            break;
        };
        if held_by_another(&beside(&parent, &name, LOCK)) {
            return Err(Refusal(format!(
                "another clearsim is writing {}, which holds {}; wait for it to end, or \
                 give another --out",
                outer.display(),
                target.display()
            ))
            .into());
        }
    }
    if let Some(lock) = held_lock_inside(target, ENTRIES_SEARCHED) {
        return Err(Refusal(format!(
            "another clearsim is writing inside {} (its lock: {}); wait for it to \
             end, or give another --out",
            target.display(),
            lock.display()
        ))
        .into());
    }
    Ok(())
}

/// Whether another open file holds the lock at `lock`.
fn held_by_another(lock: &Path) -> bool {
    File::open(lock).is_ok_and(|f| match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(_)) => false,
    })
}

/// A held clearsim lock among the first `budget` entries read, depth
/// first, in the tree under `target`.
fn held_lock_inside(target: &Path, mut budget: usize) -> Option<PathBuf> {
    let mut stack = vec![target.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten().take(budget) {
            budget -= 1;
            let (path, name) = (entry.path(), entry.file_name());
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file()
                && name.to_string_lossy().ends_with(LOCK)
                && held_by_another(&path)
            {
                return Some(path);
            }
        }
    }
    None
}

/// `--out` as the folder to write: a link to a folder is followed (the
/// user named it), anything else in the way is refused.
fn resolve(target: &Path) -> anyhow::Result<PathBuf> {
    let refuse = |what: String| -> anyhow::Result<PathBuf> { Err(Refusal(what).into()) };
    match fs::symlink_metadata(target) {
        Err(_) => {}
        Ok(m) if m.is_symlink() => {
            return match fs::canonicalize(target) {
                Ok(real) if real.is_dir() => Ok(real),
                Ok(real) => refuse(format!(
                    "{} links to {}, which is not a folder; give a folder for the outputs",
                    target.display(),
                    real.display()
                )),
                Err(e) => refuse(format!(
                    "{} is a link that leads nowhere ({e}); give a folder for the outputs",
                    target.display()
                )),
            };
        }
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return refuse(format!(
                "{} is a file; give a folder for the outputs (it is created if missing)",
                target.display()
            ));
        }
    }
    // The nearest folder above that exists must be a folder.
    if let Some(existing) = target
        .ancestors()
        .skip(1)
        .find(|a| !a.as_os_str().is_empty() && a.exists())
        .filter(|a| !a.is_dir())
    {
        return refuse(format!(
            "{} is a file, so {} cannot be a folder",
            existing.display(),
            target.display()
        ));
    }
    Ok(target.to_path_buf())
}

/// The folder holding `target`, and `target`'s name in it. `target` must
/// name a folder by its last component (`.`, `..` and `/` are resolved).
fn split(target: &Path) -> anyhow::Result<(PathBuf, OsString)> {
    let named = match target.file_name() {
        Some(_) if !target.ends_with(".") => target.to_path_buf(),
        _ => fs::canonicalize(target)
            .with_context(|| format!("cannot find the folder {}", target.display()))?,
    };
    let name = named
        .file_name()
        .ok_or_else(|| Refusal(format!("{} cannot be an output folder", target.display())))?
        .to_os_string();
    let parent = named
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok((parent, name))
}

/// `PARENT/.NAME.SUFFIX`.
fn beside(parent: &Path, name: &OsStr, suffix: &str) -> PathBuf {
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(".");
    hidden.push(suffix);
    parent.join(hidden)
}

/// Creates the missing folders of `dir`, returning them innermost first.
fn create_parents(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !exists(a))
        .map(Path::to_path_buf)
        .collect();
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    Ok(missing)
}

/// Removes the folders [`create_parents`] made, if still empty.
fn remove_created(dirs: &[PathBuf]) {
    for dir in dirs {
        let _ = fs::remove_dir(dir);
    }
}

/// Whether anything (even a dangling link) has this name.
fn exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

fn read_dir(dir: &Path) -> anyhow::Result<Vec<fs::DirEntry>> {
    fs::read_dir(dir)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot read the folder {}", dir.display()))
}

fn rename(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::rename(from, to)
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))
}

/// Removes a file, a link (not what it points to) or a whole folder;
/// nothing there is fine.
fn remove_entry(p: &Path) -> anyhow::Result<()> {
    let result = match fs::symlink_metadata(p) {
        Err(_) => return Ok(()),
        Ok(m) if m.is_dir() => fs::remove_dir_all(p),
        Ok(_) => fs::remove_file(p),
    };
    result.with_context(|| format!("cannot remove {}", p.display()))
}

/// Whether the process's working directory is `dir` or inside it.
fn contains_working_directory(dir: &Path) -> bool {
    match (std::env::current_dir(), fs::canonicalize(dir)) {
        (Ok(cwd), Ok(dir)) => cwd.starts_with(dir),
        _ => false,
    }
}

/// Recreates `from` at `to` without following links: files hard-linked
/// (copied where the file system has no hard links), folders recreated
/// entry by entry, links recreated as links.
fn carry(from: &Path, to: &Path) -> anyhow::Result<()> {
    let meta =
        fs::symlink_metadata(from).with_context(|| format!("cannot read {}", from.display()))?;
    let done = if meta.is_symlink() {
        copy_link(from, to)
    } else if meta.is_dir() {
        fs::create_dir(to)
            .map_err(anyhow::Error::from)
            .and_then(|()| {
                for entry in read_dir(from)? {
                    carry(&entry.path(), &to.join(entry.file_name()))?;
                }
                Ok(())
            })
    } else {
        fs::hard_link(from, to)
            .or_else(|_| fs::copy(from, to).map(drop))
            .map_err(anyhow::Error::from)
    };
    done.with_context(|| format!("cannot keep {} in the new outputs", from.display()))
}

#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> anyhow::Result<()> {
    Ok(std::os::unix::fs::symlink(fs::read_link(from)?, to)?)
}

#[cfg(not(unix))]
fn copy_link(from: &Path, _to: &Path) -> anyhow::Result<()> {
    anyhow::bail!("{} is a link; links are not kept here", from.display())
}

/// Exchanges two folders in one step (Linux `renameat2`), or fails.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, text: &str) {
        fs::write(p, text).unwrap();
    }

    fn read(p: &Path) -> String {
        fs::read_to_string(p).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A folder holding a finished run's `summary.csv` and `manifest.json`.
    fn run_into(target: &Path, label: &str, replaces: Replaces) {
        let f = OutputFolder::open(target, replaces).unwrap();
        write(&f.staging().join("summary.csv"), label);
        write(&f.staging().join("manifest.json"), label);
        f.commit().unwrap();
    }

    #[test]
    fn a_new_folder_appears_whole_and_nothing_is_left_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("deep/er/out");
        run_into(&target, "one", Replaces::Outputs);
        assert_eq!(read(&target.join("summary.csv")), "one");
        assert_eq!(names(target.parent().unwrap()), ["out"]);
    }

    /// The previous run's outputs go, even those the new run does not
    /// write; the user's files and other commands' subfolders stay.
    #[test]
    fn a_rerun_replaces_outputs_and_keeps_everything_else() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        run_into(&target, "one", Replaces::Outputs);
        write(&target.join("comparison.csv"), "from an older compare");
        write(&target.join("notes.txt"), "mine");
        fs::create_dir_all(target.join("compare/plots")).unwrap();
        write(&target.join("compare/plots/x.svg"), "nested");
        run_into(&target, "two", Replaces::Outputs);
        assert_eq!(
            names(&target),
            ["compare", "manifest.json", "notes.txt", "summary.csv"]
        );
        assert_eq!(read(&target.join("summary.csv")), "two");
        assert_eq!(read(&target.join("notes.txt")), "mine");
        assert_eq!(read(&target.join("compare/plots/x.svg")), "nested");
        assert_eq!(names(tmp.path()), ["out"]);
    }

    /// `clearsim plot` replaces the charts and the report only.
    #[test]
    fn charts_replace_only_the_charts_and_the_report() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        run_into(&target, "data", Replaces::Outputs);
        fs::create_dir(target.join("plots")).unwrap();
        write(&target.join("plots/old.svg"), "old chart");
        let f = OutputFolder::open(&target, Replaces::Charts).unwrap();
        fs::create_dir(f.staging().join("plots")).unwrap();
        write(&f.staging().join("plots/new.svg"), "new chart");
        write(&f.staging().join("report.html"), "report");
        f.commit().unwrap();
        assert_eq!(
            names(&target),
            ["manifest.json", "plots", "report.html", "summary.csv"]
        );
        assert_eq!(names(&target.join("plots")), ["new.svg"]);
        assert_eq!(read(&target.join("summary.csv")), "data");
    }

    /// A failed command (dropped without a commit) changes nothing and
    /// leaves nothing beside the folder, not even the folders it made.
    #[test]
    fn a_failed_command_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        run_into(&target, "one", Replaces::Outputs);
        let f = OutputFolder::open(&target, Replaces::Outputs).unwrap();
        write(&f.staging().join("summary.csv"), "half a run");
        drop(f);
        assert_eq!(read(&target.join("summary.csv")), "one");
        assert_eq!(names(tmp.path()), ["out"]);
        let f = OutputFolder::open(&tmp.path().join("new/folders/out"), Replaces::Outputs);
        drop(f.unwrap());
        assert_eq!(names(tmp.path()), ["out"]);
    }

    /// A link in the old folder is neither followed (what it points to is
    /// untouched) nor written through; a kept link stays a link.
    #[cfg(unix)]
    #[test]
    fn links_inside_the_folder_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir(&outside).unwrap();
        write(&outside.join("precious.svg"), "not clearsim's");
        let target = tmp.path().join("out");
        run_into(&target, "one", Replaces::Outputs);
        std::os::unix::fs::symlink(&outside, target.join("plots")).unwrap();
        std::os::unix::fs::symlink(&outside, target.join("my_link")).unwrap();
        let f = OutputFolder::open(&target, Replaces::Outputs).unwrap();
        fs::create_dir(f.staging().join("plots")).unwrap();
        write(&f.staging().join("plots/chart.svg"), "chart");
        f.commit().unwrap();
        assert_eq!(names(&outside), ["precious.svg"]);
        assert!(!target.join("plots").is_symlink());
        assert!(target.join("my_link").is_symlink());
        assert_eq!(read(&outside.join("precious.svg")), "not clearsim's");
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let first = OutputFolder::open(&target, Replaces::Outputs).unwrap();
        let e = OutputFolder::open(&target, Replaces::Outputs).unwrap_err();
        let refusal = e.downcast_ref::<Refusal>().expect("a refusal");
        assert!(refusal.0.contains("another clearsim"), "{}", refusal.0);
        // Nor may anyone write inside it, or around it.
        let inner = OutputFolder::open(&target.join("compare"), Replaces::Outputs);
        assert!(inner.unwrap_err().downcast_ref::<Refusal>().is_some());
        drop(first);
        let inner = OutputFolder::open(&target.join("compare"), Replaces::Outputs).unwrap();
        let outer = OutputFolder::open(&target, Replaces::Outputs).unwrap_err();
        assert!(outer.downcast_ref::<Refusal>().is_some());
        drop(inner);
        OutputFolder::open(&target, Replaces::Outputs).unwrap();
    }

    /// What a killed command leaves is removed by the next one; if it was
    /// killed between the two renames of a swap, the previous folder is
    /// put back first.
    #[test]
    fn the_next_command_tidies_up_after_a_killed_one() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let staging = tmp.path().join(".out.clearsim-staging");
        let previous = tmp.path().join(".out.clearsim-previous");
        fs::create_dir(&staging).unwrap();
        write(&staging.join("summary.csv"), "half");
        fs::create_dir(&previous).unwrap();
        write(&previous.join("summary.csv"), "complete");
        write(&previous.join("notes.txt"), "mine");
        write(&tmp.path().join(".out.clearsim-lock"), "12345");
        let f = OutputFolder::open(&target, Replaces::Outputs).unwrap();
        assert_eq!(read(&target.join("summary.csv")), "complete");
        drop(f);
        assert_eq!(names(tmp.path()), ["out"]);
        assert_eq!(names(&target), ["notes.txt", "summary.csv"]);
    }

    #[test]
    fn a_file_or_a_dangling_link_in_the_way_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        write(&file, "x");
        for target in [file.clone(), file.join("below")] {
            let e = OutputFolder::open(&target, Replaces::Outputs).unwrap_err();
            assert!(e.downcast_ref::<Refusal>().is_some(), "{target:?}: {e}");
        }
        #[cfg(unix)]
        {
            let link = tmp.path().join("link");
            std::os::unix::fs::symlink(tmp.path().join("nowhere"), &link).unwrap();
            let e = OutputFolder::open(&link, Replaces::Outputs).unwrap_err();
            assert!(e.to_string().contains("leads nowhere"), "{e}");
        }
        assert_eq!(read(&file), "x");
    }

    /// `--out` may itself be a link to a folder: the folder is written.
    #[cfg(unix)]
    #[test]
    fn an_out_that_links_to_a_folder_writes_that_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        run_into(&link, "one", Replaces::Outputs);
        run_into(&link, "two", Replaces::Outputs);
        assert!(link.is_symlink());
        assert_eq!(read(&real.join("summary.csv")), "two");
    }

    #[test]
    fn clearsim_names_its_outputs_and_nothing_else() {
        for name in [
            "summary.csv",
            "plots",
            "demo_port_clearance.png",
            "shard.json",
        ] {
            assert!(is_clearsim_output(OsStr::new(name)), "{name}");
        }
        for name in ["notes.txt", "compare", "demo.txt", "summary.csv.bak"] {
            assert!(!is_clearsim_output(OsStr::new(name)), "{name}");
        }
        assert!(is_transient(OsStr::new(".compare.clearsim-lock")));
        assert!(!is_transient(OsStr::new("clearsim-lock")));
    }

    /// Only the demo's charts are clearsim's among images: another `.svg`
    /// or `.png` at the top of the folder is the user's.
    #[test]
    fn only_the_demos_images_are_clearsim_outputs() {
        assert!(is_clearsim_output(OsStr::new("demo_paperless.svg")));
        for name in ["chart.svg", "photo.png", "demo_notes.txt"] {
            assert!(!is_clearsim_output(OsStr::new(name)), "{name}");
        }
    }

    /// `clearsim plot` that draws no report this time still drops the old
    /// report (it replaces charts and report as a set); data stay.
    #[test]
    fn charts_drop_the_old_report_even_when_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        run_into(&target, "data", Replaces::Outputs);
        write(&target.join("report.html"), "old report");
        let f = OutputFolder::open(&target, Replaces::Charts).unwrap();
        fs::create_dir(f.staging().join("plots")).unwrap();
        f.commit().unwrap();
        assert_eq!(names(&target), ["manifest.json", "plots", "summary.csv"]);
    }

    /// Replacing entry by entry (the shell's working directory is inside
    /// the folder): the old outputs not rewritten go, rewritten ones are
    /// replaced (a folder by the new folder), the user's files, other
    /// commands' folders and transient names stay, and the staging
    /// folder is gone.
    #[test]
    fn in_place_replaces_outputs_and_keeps_everything_else() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        run_into(&target, "one", Replaces::Outputs);
        write(&target.join("replications.csv"), "old, not rewritten");
        write(&target.join("notes.txt"), "mine");
        write(&target.join(".inner.clearsim-lock"), "");
        fs::create_dir_all(target.join("compare")).unwrap();
        fs::create_dir_all(target.join("plots")).unwrap();
        write(&target.join("plots/old.svg"), "old chart");
        let f = OutputFolder::open(&target, Replaces::Outputs).unwrap();
        write(&f.staging().join("summary.csv"), "two");
        write(&f.staging().join("manifest.json"), "two");
        fs::create_dir(f.staging().join("plots")).unwrap();
        write(&f.staging().join("plots/new.svg"), "new chart");
        f.replace_in_place().unwrap();
        assert_eq!(
            names(&target),
            [
                ".inner.clearsim-lock",
                "compare",
                "manifest.json",
                "notes.txt",
                "plots",
                "summary.csv"
            ]
        );
        assert_eq!(names(&target.join("plots")), ["new.svg"]);
        assert_eq!(read(&target.join("summary.csv")), "two");
        assert_eq!(read(&target.join("manifest.json")), "two");
        assert!(!exists(f.staging()));
    }

    /// In place, the manifest is moved last: when another entry cannot be
    /// moved (here a new `plots/` folder onto a file of that name), the
    /// command fails with the old manifest still there, so a reader that
    /// finds the new manifest finds every other new file.
    #[test]
    fn in_place_the_manifest_moves_last() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        run_into(&target, "one", Replaces::Outputs);
        write(&target.join("plots"), "a file in the way");
        let f = OutputFolder::open(&target, Replaces::Outputs).unwrap();
        write(&f.staging().join("manifest.json"), "two");
        fs::create_dir(f.staging().join("plots")).unwrap();
        assert!(f.replace_in_place().is_err());
        assert_eq!(read(&target.join("manifest.json")), "one");
    }

    /// A lock file is ours only while the path still names the file we
    /// opened: another file, even in the same folder, is not it.
    #[test]
    fn same_file_is_the_same_inode_on_the_same_device() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        write(&a, "a");
        write(&b, "b");
        let file = File::open(&a).unwrap();
        assert!(same_file(&file, &a));
        assert!(!same_file(&file, &b));
        assert!(!same_file(&file, &tmp.path().join("missing")));
        // Replaced by another file under the same name: no longer ours.
        fs::rename(&b, &a).unwrap();
        assert!(!same_file(&file, &a));
    }

    /// The search for other writers inside `--out` spends one entry of its
    /// budget on each entry it reads, over the whole tree: a held lock at
    /// the third entry (a folder, in it a folder, in it the lock: one entry
    /// in each folder, so the order is fixed) is found with a budget of 3
    /// and not with 2. A budget not spent, or spent per folder, finds it with 2.
    #[test]
    fn the_search_for_writers_inside_stops_at_its_budget() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        fs::create_dir_all(target.join("a/b")).unwrap();
        let lock = target.join("a/b").join(format!(".c.{LOCK}"));
        write(&lock, "");
        let held = File::open(&lock).unwrap();
        held.try_lock().unwrap();
        assert_eq!(held_lock_inside(&target, 3), Some(lock.clone()));
        assert_eq!(held_lock_inside(&target, 2), None);
        assert_eq!(held_lock_inside(&target, ENTRIES_SEARCHED), Some(lock));
        drop(held);
        assert_eq!(held_lock_inside(&target, ENTRIES_SEARCHED), None);
    }

    /// Only clearsim's lock files make a folder busy: a user's file locked
    /// by another program inside the folder does not.
    #[test]
    fn a_locked_file_of_another_name_is_not_a_writer() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        fs::create_dir(&target).unwrap();
        write(&target.join("data.db"), "");
        let held = File::open(target.join("data.db")).unwrap();
        held.try_lock().unwrap();
        OutputFolder::open(&target, Replaces::Outputs).unwrap();
    }

    /// What is in the way of `--out` is named for what it is: a file, or a
    /// link to something that is not a folder.
    #[cfg(unix)]
    #[test]
    fn a_refusal_says_what_is_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        write(&file, "x");
        let e = OutputFolder::open(&file, Replaces::Outputs).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} is a file; give a folder for the outputs (it is created if missing)",
                file.display()
            )
        );
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let e = OutputFolder::open(&link, Replaces::Outputs).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} links to {}, which is not a folder; give a folder for the outputs",
                link.display(),
                fs::canonicalize(&file).unwrap().display()
            )
        );
        assert_eq!(read(&file), "x");
    }

    /// A failed command removes only the folders it created: an empty
    /// folder that was there before stays.
    #[test]
    fn a_failed_command_keeps_folders_that_were_there() {
        let tmp = tempfile::tempdir().unwrap();
        let parent = tmp.path().join("empty");
        fs::create_dir(&parent).unwrap();
        let f = OutputFolder::open(&parent.join("new/out"), Replaces::Outputs).unwrap();
        drop(f);
        assert_eq!(names(tmp.path()), ["empty"]);
        assert!(names(&parent).is_empty());
    }

    /// `remove_entry` removes a file, a link (not its folder) or a folder.
    #[cfg(unix)]
    #[test]
    fn remove_entry_removes_files_links_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let (file, dir, link) = (
            tmp.path().join("file"),
            tmp.path().join("dir"),
            tmp.path().join("link"),
        );
        write(&file, "x");
        fs::create_dir(&dir).unwrap();
        write(&dir.join("inner"), "y");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        remove_entry(&file).unwrap();
        remove_entry(&link).unwrap();
        assert_eq!(names(tmp.path()), ["dir"]);
        assert_eq!(names(&dir), ["inner"]);
        remove_entry(&dir).unwrap();
        remove_entry(&dir).unwrap();
        assert!(names(tmp.path()).is_empty());
    }

    /// The working directory is inside itself and inside each folder
    /// above it, and not inside a folder elsewhere.
    #[test]
    fn the_working_directory_is_found_in_its_folders() {
        let cwd = std::env::current_dir().unwrap();
        assert!(contains_working_directory(&cwd));
        assert!(contains_working_directory(cwd.parent().unwrap()));
        let tmp = tempfile::tempdir().unwrap();
        assert!(!contains_working_directory(tmp.path()));
    }

    /// The refusal names the holder's process when its lock file holds a
    /// process id, and says nothing of it otherwise.
    #[test]
    fn the_holder_is_named_by_its_process_id() {
        assert_eq!(holder_note("12345"), " (process 12345)");
        assert_eq!(holder_note(" 42\n"), " (process 42)");
        assert_eq!(holder_note(""), "");
        assert_eq!(holder_note("not a pid"), "");
    }
}
