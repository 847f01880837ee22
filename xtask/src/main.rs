//! `cargo xtask`: maintenance commands of the pilot-status repository.
fn main() {
    eprintln!("usage: cargo xtask <command>");
}
