//! Reports opened on the screen. The list keeps only each report's identity and findings
//! (what the batch keeps resident); a report's text and tables are read from its file when
//! the auditor opens it ([`crate::batch::open`], about a millisecond for a generated report)
//! and the last few opened are kept, so stepping back and forth reads nothing again.

use crate::model::Report;
use std::collections::VecDeque;
use std::sync::Arc;

/// How many opened reports are kept besides those on screen (the compare screen opens
/// every year of one agency: rarely more than six).
pub const KEPT: usize = 8;

/// The reports opened last, by item id, most recent first.
#[derive(Debug, Clone, Default)]
pub struct Opened {
    recent: VecDeque<(usize, Arc<Report>)>,
}

impl Opened {
    pub fn get(&self, id: usize) -> Option<&Arc<Report>> {
        self.recent.iter().find(|(i, _)| *i == id).map(|(_, r)| r)
    }

    /// Keep `report` as the most recent; the oldest beyond [`KEPT`] is let go.
    pub fn keep(&mut self, id: usize, report: Arc<Report>) {
        self.recent.retain(|(i, _)| *i != id);
        self.recent.push_front((id, report));
        self.recent.truncate(KEPT);
    }

    pub fn len(&self) -> usize {
        self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }
}

/// A report read for the screen. Screens compare equal when they show the same read of a
/// report (the same allocation), which is what a view's state needs to know.
#[derive(Debug, Clone)]
pub struct Shown(pub Arc<Report>);

impl PartialEq for Shown {
    fn eq(&self, other: &Shown) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Shown {}

impl std::ops::Deref for Shown {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recent_few() {
        let r = Arc::new(crate::generate::generate(1, 1, 0).remove(0).1);
        let mut o = Opened::default();
        for id in 0..KEPT + 3 {
            o.keep(id, Arc::clone(&r));
        }
        assert_eq!(o.len(), KEPT);
        assert!(o.get(0).is_none() && o.get(KEPT + 2).is_some());
        // Opening an old one again makes it the most recent.
        o.keep(3, Arc::clone(&r));
        o.keep(100, Arc::clone(&r));
        assert!(o.get(3).is_some() && o.get(4).is_none());
    }
}
