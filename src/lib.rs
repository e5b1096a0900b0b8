//! report-review: review batches of Chinese government information-disclosure annual
//! reports (政府信息公开工作年度报告).
//!
//! The core (`model`, `template`, `import`, `check`, `batch`, `review`) never touches the
//! terminal; `tui` and `cli` are thin shells over it.

pub mod batch;
pub mod check;
pub mod cli;
pub mod compare;
pub mod fsutil;
pub mod generate;
pub mod i18n;
pub mod import;
pub mod memory;
pub mod model;
pub mod review;
pub mod sanitize;
pub mod template;
pub mod textwidth;
pub mod tui;
