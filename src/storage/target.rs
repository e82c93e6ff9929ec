//! Which database `--db` names: a file path or `sqlite:` URL (SQLite, the embedded default) or a
//! `postgres://` URL. Anything else with a scheme is refused at start-up, naming the supported ones.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// A SQLite file, created with its folder if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

impl DbTarget {
    /// Parses `--db`: `postgres://...`, `postgresql://...`, `sqlite:PATH`, `sqlite://PATH` or a path.
    pub fn parse(s: &str) -> Result<DbTarget, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("the database must not be empty".into());
        }
        let Some((scheme, rest)) = scheme_of(s) else {
            return Ok(DbTarget::Sqlite(PathBuf::from(s)));
        };
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(DbTarget::Postgres(s.to_string())),
            "sqlite" => {
                // `sqlite://PATH` and `sqlite:PATH` both name PATH; query options are not taken.
                let path = rest.strip_prefix("//").unwrap_or(rest);
                let path = path.split('?').next().unwrap_or_default();
                if path.is_empty() || path == ":memory:" {
                    return Err(format!(
                        "`{s}` names no file: give a path, as in sqlite:data/mock-interviewer.db"
                    ));
                }
                Ok(DbTarget::Sqlite(PathBuf::from(path)))
            }
            other => Err(format!(
                "unsupported database `{other}:`: use a file path or sqlite:PATH (SQLite), or \
                 postgres://USER@HOST:PORT/DATABASE (PostgreSQL)"
            )),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DbTarget::Postgres(_))
    }
}

/// The URL scheme of `s`, if it has one. A single letter before the colon is a Windows drive, not a
/// scheme; a path with a slash before its first colon is a path.
fn scheme_of(s: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = s.split_once(':')?;
    let first = scheme.chars().next()?;
    let is_scheme = scheme.len() > 1
        && first.is_ascii_alphabetic()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then_some((scheme, rest))
}

impl fmt::Display for DbTarget {
    /// The target as logs may show it: a PostgreSQL URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbTarget::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            DbTarget::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_sqlite_urls_keep_sqlite() {
        for (arg, path) in [
            ("data/mock-interviewer.db", "data/mock-interviewer.db"),
            ("/var/lib/mi/db.sqlite", "/var/lib/mi/db.sqlite"),
            ("sqlite:data/x.db", "data/x.db"),
            ("sqlite://data/x.db?mode=rwc", "data/x.db"),
            ("sqlite:///abs/x.db", "/abs/x.db"),
            ("C:\\mi\\x.db", "C:\\mi\\x.db"),
            ("./odd:name.db", "./odd:name.db"),
        ] {
            assert_eq!(
                DbTarget::parse(arg),
                Ok(DbTarget::Sqlite(PathBuf::from(path))),
                "{arg}"
            );
        }
    }

    #[test]
    fn postgres_urls_select_postgres() {
        for arg in [
            "postgres://postgres@127.0.0.1:5432/mi",
            "postgresql://u:p@db/mi?sslmode=require",
            "POSTGRES://127.0.0.1/test",
        ] {
            assert_eq!(
                DbTarget::parse(arg),
                Ok(DbTarget::Postgres(arg.to_string()))
            );
        }
    }

    #[test]
    fn other_schemes_are_refused_naming_the_supported_ones() {
        for arg in ["mysql://root@localhost/mi", "redis://127.0.0.1", "http://x"] {
            let e = DbTarget::parse(arg).unwrap_err();
            assert!(
                e.contains("sqlite:") && e.contains("postgres://"),
                "{arg}: {e}"
            );
        }
        assert!(DbTarget::parse("sqlite::memory:").is_err());
        assert!(DbTarget::parse("").is_err());
    }

    #[test]
    fn logs_never_show_a_password() {
        let t = DbTarget::parse("postgres://mi:s3cret@db:5432/mi").unwrap();
        assert_eq!(t.to_string(), "postgres://mi:***@db:5432/mi");
        let t = DbTarget::parse("postgres://mi@db/mi").unwrap();
        assert_eq!(t.to_string(), "postgres://mi@db/mi");
    }
}
