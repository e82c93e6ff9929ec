//! Rebuilds the crate when the embedded folders change: `include_dir!` does not tell cargo which files it
//! read, so without this an edited or added question would not reach the binary.

fn main() {
    for dir in ["content", "rubrics", "prompts", "web"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
