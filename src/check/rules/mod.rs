//! The rules, by family. Each rule is a small function whose formula reads like its line in
//! docs/rules.md.

pub mod cross;
pub mod prose;
pub mod structure;
pub mod tables;
pub mod text;
