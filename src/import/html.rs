//! HTML pages → blocks. (Reader under construction: currently refuses HTML input.)

use super::blocks::Block;

pub fn read(_html: &str) -> Vec<Block> {
    Vec::new()
}
