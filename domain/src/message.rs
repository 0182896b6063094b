//! A message a person reads, as a stable key and named arguments. The core says *what* to
//! tell; the HTTP adapter renders it in the reader's language from its message catalogue.
//! Keys and argument names are the same in every language.

use std::fmt;

/// See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// The value of one argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Shown as is in every language (numbers, dates, codes, names).
    Text(String),
    /// A message of its own, rendered in the same language.
    Message(Message),
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Text(t) => f.write_str(t),
            Arg::Message(m) => write!(f, "{m}"),
        }
    }
}

impl Message {
    /// A message without arguments; prefer the [`msg!`](crate::msg) macro, which the
    /// catalogue test finds in the sources.
    #[must_use]
    pub const fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the argument `name`.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Adds the argument `name` as a message of its own.
    #[must_use]
    pub fn sub(mut self, name: &'static str, message: Message) -> Self {
        self.args.push((name, Arg::Message(message)));
        self
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }

    /// The argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// Language-neutral: the key and its arguments (for logs).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)?;
        if !self.args.is_empty() {
            let args: Vec<String> = self.args.iter().map(|(n, v)| format!("{n}={v}")).collect();
            write!(f, " ({})", args.join(", "))?;
        }
        Ok(())
    }
}

/// `msg!(KEY, name = value, …)` builds a [`Message`] (KEY a string literal).
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::message::Message::new($key)$(.arg(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn carries_key_and_named_arguments() {
        let m = crate::msg!("text_too_long", max = 2000);
        assert_eq!(m.key(), "text_too_long");
        assert_eq!(m.get("max"), Some(&super::Arg::Text("2000".into())));
        assert_eq!(m.to_string(), "text_too_long (max=2000)");
    }
}
