//! A one-line text input with a cursor (a char index, so CJK text is never split): the note
//! editor's and the export prompt's. Typed and pasted text is cleaned the same way.

use super::action::Action;
use super::width;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    pub text: Vec<char>,
    pub cursor: usize,
}

impl LineEdit {
    /// `text` with the cursor at its end.
    pub fn new(text: &str) -> LineEdit {
        let text: Vec<char> = text.chars().collect();
        LineEdit {
            cursor: text.len(),
            text,
        }
    }

    pub fn text(&self) -> String {
        self.text.iter().collect()
    }

    /// Insert typed or pasted text; line breaks and tabs become spaces, other control and
    /// escape characters are removed.
    pub fn insert(&mut self, s: &str) {
        let flat: String = s
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        for c in width::clean(&flat).chars() {
            self.text.insert(self.cursor, c);
            self.cursor += 1;
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.text.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    /// Apply an editing action; false when `action` is not one.
    pub fn edit(&mut self, action: &Action) -> bool {
        match action {
            Action::NoteChar(c) => self.insert(&c.to_string()),
            Action::Paste(s) => self.insert(s),
            Action::NoteBackspace => self.backspace(),
            Action::NoteDelete => self.delete(),
            Action::NoteLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::NoteRight => self.cursor = (self.cursor + 1).min(self.text.len()),
            Action::NoteHome => self.cursor = 0,
            Action::NoteEnd => self.cursor = self.text.len(),
            _ => return false,
        }
        true
    }

    /// The text around the cursor as shown in `room` columns: (before, after), the part
    /// before scrolled so that the cursor stays in view (`…` where it was cut).
    pub fn shown(&self, room: usize) -> (String, String) {
        let before: String = self.text[..self.cursor].iter().collect();
        let after: String = self.text[self.cursor..].iter().collect();
        let mut shown_before = before.clone();
        while width::width(&shown_before) > room.saturating_sub(room / 4).max(1)
            && width::width(&shown_before) + width::width(&after) > room
        {
            shown_before.remove(0);
        }
        let prefix = if shown_before.len() < before.len() {
            "…"
        } else {
            ""
        };
        let left = format!("{prefix}{shown_before}");
        let rest = room.saturating_sub(width::width(&left));
        (left, width::cut(&after, rest))
    }
}
