//! Writing: the rendered site goes into a fresh folder beside the output folder,
//! which is swapped in only once every file is written. A failed or killed build
//! leaves the previous output as it was; a successful one leaves nothing stale.
//! An output folder reached through symbolic links is written where the links
//! lead ([`real_path`]): the links stay, and what they point at is replaced.

pub mod minify;

pub use crate::render::SiteFiles;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn sibling(out: &Path, tag: &str) -> io::Result<PathBuf> {
    let name = out.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the output folder has no name")
    })?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(
        ".{}.{tag}-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Removes staging folders that killed builds left beside `out`.
fn remove_leftovers(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefixes = [
        format!(".{}.staging-", name.to_string_lossy()),
        format!(".{}.old-", name.to_string_lossy()),
    ];
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            let Some(pid) = prefixes.iter().find_map(|p| n.strip_prefix(p.as_str())) else {
                continue;
            };
            if !is_running_build(pid) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// True when `pid` (from a staging folder's name) is another process that is still
/// running: its build is writing, so its folder is not a leftover.
fn is_running_build(pid: &str) -> bool {
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    pid != std::process::id()
        && cfg!(target_os = "linux")
        && Path::new(&format!("/proc/{pid}")).exists()
}

/// The real place of `path`: absolute, with every symbolic link in it and its
/// parents resolved; the part that does not exist yet is appended as written.
pub fn real_path(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let absolute = normalize(&absolute);
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return missing.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Resolves `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `site` to `out`, replacing what was there only when all is written.
pub fn write(site: &SiteFiles, out: &Path) -> io::Result<()> {
    // Through symbolic links to the folder they lead to: the links are left alone,
    // and nothing below ever follows one.
    let out = &real_path(out);
    if out.exists() && !out.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` exists and is not a folder", out.display()),
        ));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    remove_leftovers(out);
    let staging = sibling(out, "staging")?;
    let result = write_tree(site, &staging).and_then(|()| swap_in(&staging, out));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Folders first, then every file in parallel: a build writes one folder per page, and
/// creating and filling them one after another leaves a core idle.
fn write_tree(site: &SiteFiles, dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    std::fs::create_dir_all(dir)?;
    let folders: BTreeSet<&Path> = site
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    // `create_dir_all` tolerates a parent made by another thread meanwhile.
    folders
        .par_iter()
        .try_for_each(|f| std::fs::create_dir_all(dir.join(f)))?;
    let files: Vec<(&String, &Arc<[u8]>)> = site.files.iter().collect();
    files.par_iter().try_for_each(|(path, bytes)| {
        let file = dir.join(path);
        std::fs::write(&file, bytes).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write `{}`: {e}", file.display()))
        })
    })
}

/// Removes a folder tree, deleting its files in parallel (unlinking 10,000 files one
/// by one takes longer than rendering them); falls back to `remove_dir_all`.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let Ok(entry) = entry else {
            return std::fs::remove_dir_all(dir);
        };
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    if files.par_iter().try_for_each(std::fs::remove_file).is_err() {
        return std::fs::remove_dir_all(dir);
    }
    // Contents first: every folder comes after the folders inside it.
    for f in &folders {
        std::fs::remove_dir(f)?;
    }
    Ok(())
}

/// Puts `staging` where `out` is. On Linux the two folders are exchanged in one
/// atomic step; elsewhere the old folder is moved aside first.
fn swap_in(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous output.
            return remove_tree(staging);
        }
    }
    let old = sibling(out, "old")?;
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    remove_tree(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_is_written_where_it_leads_and_the_link_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("www");
        std::fs::create_dir_all(target.join("stale")).unwrap();
        std::fs::write(target.join("stale/old.html"), "old").unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut site = SiteFiles::default();
        site.insert("index.html", b"new".to_vec());
        for _ in 0..2 {
            write(&site, &link).unwrap();
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"new");
            assert!(!target.join("stale").exists());
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "only the link and its target: {names:?}");
    }

    #[test]
    fn replaces_everything_and_leaves_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stale")).unwrap();
        std::fs::write(out.join("stale/old.html"), "old").unwrap();
        let mut site = SiteFiles::default();
        site.insert("index.html", b"new".to_vec());
        site.insert("a/b/index.html", b"deep".to_vec());
        write(&site, &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "deep"
        );
        assert!(!out.join("stale").exists());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn removes_leftovers_of_killed_builds_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // No process has this id (Linux caps ids far lower); process 1 always runs.
        let dead = dir.path().join(".public.staging-999999999");
        let live = dir.path().join(".public.staging-1");
        for d in [&dead, &live] {
            std::fs::create_dir_all(d.join("x")).unwrap();
        }
        let mut site = SiteFiles::default();
        site.insert("index.html", b"new".to_vec());
        write(&site, &out).unwrap();
        assert!(!dead.exists());
        assert_eq!(live.exists(), cfg!(target_os = "linux"));
    }
}
