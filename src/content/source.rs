//! Where content files come from: the copy embedded in the binary, which a `--root` folder overrides
//! file by file, and users' `--content-dir` folders, read beside it.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use include_dir::Dir;

use crate::embedded;

/// The four kinds of content file, each in its own folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Lexicon,
    Plans,
    Rubrics,
    Questions,
}

impl Section {
    /// The section's folder under a root laid out like the source tree.
    fn under_root(self) -> &'static str {
        match self {
            Section::Lexicon => "content/lexicon",
            Section::Plans => "content/plans",
            Section::Rubrics => "rubrics",
            Section::Questions => "content/questions",
        }
    }

    /// The section's folder under a user's content folder.
    fn under_user_dir(self) -> &'static str {
        match self {
            Section::Lexicon => "lexicon",
            Section::Plans => "plans",
            Section::Rubrics => "rubrics",
            Section::Questions => "questions",
        }
    }

    /// The embedded folder and the section's path inside it.
    fn embedded(self) -> (&'static Dir<'static>, &'static str) {
        match self {
            Section::Lexicon => (&embedded::CONTENT, "lexicon"),
            Section::Plans => (&embedded::CONTENT, "plans"),
            Section::Rubrics => (&embedded::RUBRICS, ""),
            Section::Questions => (&embedded::CONTENT, "questions"),
        }
    }
}

/// A set of content files.
#[derive(Debug, Clone)]
pub enum ContentRoot {
    /// The built-in content; a folder laid out like the source tree (`content/`, `rubrics/`) overrides
    /// its files by name and adds new ones.
    Builtin { overrides: Option<PathBuf> },
    /// A user's folder: `DIR/questions`, `DIR/plans`, `DIR/lexicon`, `DIR/rubrics`, each optional.
    User(PathBuf),
}

/// One file to load: the path named in messages and its text, or why it could not be read.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Result<String, String>,
}

/// A folder that exists but could not be listed.
#[derive(Debug)]
pub struct FolderError {
    pub path: PathBuf,
    pub problem: String,
}

impl ContentRoot {
    /// The embedded content alone.
    pub fn embedded() -> ContentRoot {
        ContentRoot::Builtin { overrides: None }
    }

    /// The embedded content, overridden by the files under `root` (`root/content/...`, `root/rubrics`).
    pub fn builtin(root: &Path) -> ContentRoot {
        ContentRoot::Builtin {
            overrides: Some(root.to_path_buf()),
        }
    }

    /// The embedded content, overridden by `root` when one is given.
    pub fn with_overrides(root: Option<&Path>) -> ContentRoot {
        ContentRoot::Builtin {
            overrides: root.map(Path::to_path_buf),
        }
    }

    /// A user's own folder, added beside the built-in content.
    pub fn user(dir: &Path) -> ContentRoot {
        ContentRoot::User(dir.to_path_buf())
    }

    /// The folder on disk behind this root, if any.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            ContentRoot::Builtin { overrides } => overrides.as_deref(),
            ContentRoot::User(dir) => Some(dir),
        }
    }

    /// The section's `.toml` files, sorted by name. A missing folder holds no files.
    pub fn files(&self, section: Section) -> Result<Vec<SourceFile>, FolderError> {
        match self {
            ContentRoot::Builtin { overrides } => {
                let mut by_name: BTreeMap<String, SourceFile> = embedded_files(section)
                    .into_iter()
                    .map(|f| (file_name(&f.path), f))
                    .collect();
                if let Some(root) = overrides {
                    for f in folder_files(&root.join(section.under_root()))? {
                        by_name.insert(file_name(&f.path), f);
                    }
                }
                Ok(by_name.into_values().collect())
            }
            ContentRoot::User(dir) => folder_files(&dir.join(section.under_user_dir())),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

fn embedded_files(section: Section) -> Vec<SourceFile> {
    let (dir, sub) = section.embedded();
    let dir = if sub.is_empty() {
        Some(dir)
    } else {
        dir.get_dir(sub)
    };
    let Some(dir) = dir else {
        return Vec::new();
    };
    let mut files: Vec<SourceFile> = dir
        .files()
        .filter(|f| is_toml(f.path()))
        .map(|f| SourceFile {
            path: Path::new(section.under_root()).join(file_name(f.path())),
            text: f
                .contents_utf8()
                .map(str::to_string)
                .ok_or_else(|| "not UTF-8 text".to_string()),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn folder_files(dir: &Path) -> Result<Vec<SourceFile>, FolderError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(FolderError {
                path: dir.to_path_buf(),
                problem: format!("cannot read folder: {e}"),
            });
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_toml(p))
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| SourceFile {
            text: std::fs::read_to_string(&path).map_err(|e| format!("cannot read: {e}")),
            path,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(root: &ContentRoot, section: Section) -> Vec<String> {
        root.files(section)
            .unwrap()
            .iter()
            .map(|f| f.path.display().to_string())
            .collect()
    }

    #[test]
    fn the_embedded_content_has_every_section() {
        let root = ContentRoot::embedded();
        for section in [
            Section::Lexicon,
            Section::Plans,
            Section::Rubrics,
            Section::Questions,
        ] {
            let files = root.files(section).unwrap();
            assert!(!files.is_empty(), "{section:?}");
            assert!(files.iter().all(|f| f.text.is_ok()));
        }
        assert!(
            names(&root, Section::Questions)
                .contains(&"content/questions/multi-tenant-rag.toml".into())
        );
    }

    #[test]
    fn an_override_folder_replaces_a_file_by_name_and_adds_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let plans = dir.path().join("content/plans");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::write(plans.join("coding.toml"), "kind = \"coding\"").unwrap();
        std::fs::write(plans.join("new.toml"), "kind = \"new\"").unwrap();
        std::fs::write(plans.join("notes.txt"), "ignored").unwrap();
        let root = ContentRoot::builtin(dir.path());
        let files = root.files(Section::Plans).unwrap();
        let embedded = ContentRoot::embedded().files(Section::Plans).unwrap();
        assert_eq!(files.len(), embedded.len() + 1);
        let coding = files
            .iter()
            .find(|f| f.path.ends_with("coding.toml"))
            .unwrap();
        assert_eq!(coding.path, plans.join("coding.toml"));
        assert_eq!(coding.text.as_deref().unwrap(), "kind = \"coding\"");
        assert!(files.iter().any(|f| f.path == plans.join("new.toml")));
        // A section the override folder lacks comes from the embedded copy alone.
        assert_eq!(
            names(&root, Section::Rubrics),
            names(&ContentRoot::embedded(), Section::Rubrics)
        );
    }

    #[test]
    fn a_user_folder_holds_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("questions")).unwrap();
        std::fs::write(dir.path().join("questions/a.toml"), "id = \"a\"").unwrap();
        let root = ContentRoot::user(dir.path());
        assert_eq!(root.files(Section::Questions).unwrap().len(), 1);
        assert!(root.files(Section::Plans).unwrap().is_empty());
    }
}
