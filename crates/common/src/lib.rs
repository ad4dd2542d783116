//! What the pure cores share with their bindings: an argument error that knows which JavaScript
//! error class it should become. The cores validate their own inputs (lengths, ranges, NaN) so that
//! both bindings (N-API and wasm) report the same message for the same mistake.

use std::fmt;

pub mod alloc;
pub mod js;

pub use js::{js_number, Js};

/// Which JavaScript error class a binding throws for an [`ArgError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The argument has the wrong type (a `TypeError` in JavaScript).
    Type = 1,
    /// The argument has the right type but a wrong length, size or value (a `RangeError`).
    Range = 2,
    /// Anything else the caller did wrong (a plain `Error`).
    Other = 3,
}

/// An error caused by the caller's arguments. The message names the argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ArgError {
    pub fn type_error(message: impl Into<String>) -> Self {
        ArgError { kind: ErrorKind::Type, message: message.into() }
    }

    pub fn range(message: impl Into<String>) -> Self {
        ArgError { kind: ErrorKind::Range, message: message.into() }
    }

    pub fn other(message: impl Into<String>) -> Self {
        ArgError { kind: ErrorKind::Other, message: message.into() }
    }

    /// `arg` must hold exactly `expected` elements.
    pub fn check_len(arg: &str, actual: usize, expected: usize) -> Result<()> {
        Self::check_len_u64(arg, actual, expected as u64)
    }

    /// [`ArgError::check_len`] for a length computed in 64 bits: a product of shape fields that
    /// would overflow a 32-bit `usize` on wasm32 is then refused as a wrong length, worded as on a
    /// 64-bit machine, instead of overflowing (and differing between the two binaries).
    pub fn check_len_u64(arg: &str, actual: usize, expected: u64) -> Result<()> {
        if actual as u64 == expected {
            Ok(())
        } else {
            Err(ArgError::range(format!("{arg} must have length {expected}, got {actual}")))
        }
    }
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgError {}

pub type Result<T> = std::result::Result<T, ArgError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_len_names_the_argument() {
        assert!(ArgError::check_len("out", 4, 4).is_ok());
        let err = ArgError::check_len("out", 3, 4).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Range);
        assert_eq!(err.message, "out must have length 4, got 3");
    }
}
