//! The rules, by family. Each rule is a small function whose formula reads like domain.md.

pub mod cross;
pub mod prose;
pub mod structure;
pub mod tables;
pub mod text;
