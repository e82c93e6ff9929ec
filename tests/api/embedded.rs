//! One self-contained binary: the built-in bank is embedded, so the server runs from any folder, and
//! `--root` only overrides or adds files.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::content::{GOOD_QUESTION, write};
use crate::helpers::*;

/// The question files in the source tree: what the embedded bank must hold.
fn source_question_ids() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/questions");
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// Kills the server when the test ends, passing or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_started_in_an_empty_folder_serves_the_whole_bank() {
    let cwd = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["--addr", "127.0.0.1:0", "--llm", "offline"])
        .current_dir(cwd.path())
        .env_remove("MOCK_INTERVIEWER_ROOT")
        .env_remove("MOCK_INTERVIEWER_CONTENT_DIR")
        .env_remove("MOCK_INTERVIEWER_DB")
        .env("RUST_LOG", "mock_interviewer=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let addr = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                let at = line.find("addr=")? + "addr=".len();
                line[at..].split_whitespace().next().map(str::to_string)
            })
    })
    .await
    .unwrap()
    .expect("the server logs the address it listens on");

    let list: serde_json::Value = reqwest::get(format!("http://{addr}/api/questions"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&list), source_question_ids());
    assert!(ids(&list).len() >= 29);
    // The default database is created under the folder it was started in, not the source tree.
    assert!(cwd.path().join("data/mock-interviewer.db").exists());
}

#[tokio::test]
async fn a_root_folder_overrides_a_built_in_question_by_name_and_adds_its_own() {
    let root = tempfile::tempdir().unwrap();
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/questions/rag-customer-support.toml"),
    )
    .unwrap();
    let (title_line, _) = built_in
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("title ="))
        .unwrap();
    let overridden: Vec<String> = built_in
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == title_line {
                "title = \"Overridden from --root\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    write(
        root.path(),
        "content/questions/rag-customer-support.toml",
        &overridden.join("\n"),
    );
    write(
        root.path(),
        "content/questions/my-question.toml",
        GOOD_QUESTION,
    );
    let path = root.path().to_path_buf();
    let app = spawn_app_with(move |a| a.root = Some(path)).await;

    let (_, q) = app.get("/api/questions/rag-customer-support").await;
    assert_eq!(q["title"], "Overridden from --root");
    let (status, _) = app.get("/api/questions/my-question").await;
    assert_eq!(status, 200);
    let (_, all) = app.get("/api/questions").await;
    assert_eq!(ids(&all).len(), source_question_ids().len() + 1);
}
