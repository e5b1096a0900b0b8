//! Terminal events to actions: what a key means depends on the overlay on top (typing goes
//! to the filter, the report search or the note editor; otherwise the keymap decides).

use crate::tui::action::Action;
use crate::tui::keymap::Chord;
use crate::tui::state::{Mode, State};
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};

/// Turn a terminal event into an action, given the mode.
pub fn action_for_event(state: &State, ev: &Event) -> Option<Action> {
    match ev {
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Paste(s)
            if matches!(
                state.mode(),
                Mode::Filter | Mode::Note | Mode::Search | Mode::Export
            ) =>
        {
            Some(Action::Paste(s.clone()))
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::MoveDown),
            MouseEventKind::ScrollUp => Some(Action::MoveUp),
            _ => None,
        },
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let chord = Chord::from_event(k);
            // The note editor and the export prompt edit one line the same way; in the
            // prompt Tab cycles the format.
            if matches!(state.mode(), Mode::Note | Mode::Export) {
                if state.mode() == Mode::Export && matches!(k.code, KeyCode::Tab | KeyCode::BackTab)
                {
                    return Some(if k.code == KeyCode::Tab {
                        Action::NextTab
                    } else {
                        Action::PrevTab
                    });
                }
                let plain = !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                return match k.code {
                    KeyCode::Char(c) if plain => Some(Action::NoteChar(c)),
                    KeyCode::Backspace => Some(Action::NoteBackspace),
                    KeyCode::Delete => Some(Action::NoteDelete),
                    KeyCode::Left => Some(Action::NoteLeft),
                    KeyCode::Right => Some(Action::NoteRight),
                    KeyCode::Home => Some(Action::NoteHome),
                    KeyCode::End => Some(Action::NoteEnd),
                    KeyCode::Enter => Some(Action::NoteSave),
                    KeyCode::Esc => Some(Action::NoteCancel),
                    _ => match state.keymap.get(&chord) {
                        Some(Action::Quit) => Some(Action::Quit),
                        _ => None,
                    },
                };
            }
            if state.mode() == Mode::Chooser {
                // Digits choose a state; Esc, q and ctrl-c as everywhere.
                if let KeyCode::Char(c @ '0'..='9') = k.code {
                    return Some(Action::Choose(c));
                }
                return state.keymap.get(&chord).cloned();
            }
            // The list filter and the report search take typed text the same way.
            if matches!(state.mode(), Mode::Filter | Mode::Search) {
                let plain = !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                return match k.code {
                    KeyCode::Char(c) if plain => Some(Action::FilterChar(c)),
                    KeyCode::Backspace => Some(Action::FilterBackspace),
                    KeyCode::Enter => Some(Action::FilterAccept),
                    KeyCode::Esc => Some(Action::FilterCancel),
                    KeyCode::Up => Some(Action::MoveUp),
                    KeyCode::Down => Some(Action::MoveDown),
                    _ => match state.keymap.get(&chord) {
                        Some(Action::Quit) => Some(Action::Quit),
                        _ => None,
                    },
                };
            }
            state.keymap.get(&chord).cloned()
        }
        _ => None,
    }
}
