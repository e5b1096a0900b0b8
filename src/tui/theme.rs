//! Colours: the 16 named ANSI colours by default (they follow the user's palette), and a
//! monochrome theme for NO_COLOR / --no-color that sets no colour at all — state is then
//! carried by modifiers and glyphs, which every view shows anyway.

use crate::check::Status;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub mono: bool,
    pub base: Style,
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub dim: Style,
    pub fail: Style,
    pub warn: Style,
    pub pass: Style,
    pub unreadable: Style,
    pub matched: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub cell_fail: Style,
    pub cell_operand: Style,
    pub cell_na: Style,
    pub highlight: Style,
    pub notice: Style,
    pub border: Style,
}

impl Theme {
    pub fn color() -> Theme {
        Theme {
            mono: false,
            base: Style::default(),
            title: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            dim: Style::default().fg(Color::DarkGray),
            fail: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: Style::default().fg(Color::Yellow),
            pass: Style::default().fg(Color::Green),
            unreadable: Style::default().fg(Color::Magenta),
            matched: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            tab: Style::default(),
            tab_active: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            cell_fail: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            cell_operand: Style::default().fg(Color::Red),
            cell_na: Style::default().fg(Color::Yellow),
            highlight: Style::default()
                .fg(Color::Red)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            notice: Style::default().fg(Color::Cyan),
            border: Style::default().fg(Color::DarkGray),
        }
    }

    /// No colour anywhere: bold, underline, reverse and dim only.
    pub fn mono() -> Theme {
        let b = Style::default().add_modifier(Modifier::BOLD);
        Theme {
            mono: true,
            base: Style::default(),
            title: b,
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            dim: Style::default().add_modifier(Modifier::DIM),
            fail: b,
            warn: Style::default(),
            pass: Style::default(),
            unreadable: Style::default().add_modifier(Modifier::ITALIC),
            matched: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            tab: Style::default(),
            tab_active: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            cell_fail: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            cell_operand: Style::default().add_modifier(Modifier::UNDERLINED),
            cell_na: Style::default().add_modifier(Modifier::ITALIC),
            highlight: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            notice: b,
            border: Style::default(),
        }
    }

    /// Mono when NO_COLOR is set and not empty (no-color.org) or when asked for.
    pub fn detect(no_color_flag: bool) -> Theme {
        let env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color_flag || env {
            Theme::mono()
        } else {
            Theme::color()
        }
    }

    pub fn status(&self, s: Status) -> Style {
        match s {
            Status::Fail => self.fail,
            Status::Warn => self.warn,
            Status::Pass => self.pass,
            Status::Unreadable => self.unreadable,
        }
    }
}
