//! Everything of the review screen that runs on its own thread: the workers that answer
//! the event loop through channels, so the input thread never waits for them.

pub mod matcher;
pub mod store;
