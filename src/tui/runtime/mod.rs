//! What the review screen does outside its state: the terminal and its input, and the
//! workers that answer the event loop through channels (the follow-up store, the filter
//! matcher, the export and pairings writers; the loader is `tui::loader`), so the input thread never waits for them.

pub mod export;
pub mod input;
pub mod matcher;
pub mod pairings;
pub mod progress;
pub mod store;
pub mod terminal;
