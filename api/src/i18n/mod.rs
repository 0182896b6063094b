//! Messages in the reader's language: one catalogue per language (`messages/*.ftl`), the
//! language of the request being served, and `Accept-Language` negotiation.

mod catalogue;
mod negotiate;

pub use catalogue::{render, render_in};
pub use duban_domain::message::Message;
pub use duban_infra::config::Language;
pub use negotiate::negotiate;

tokio::task_local! {
    static LANGUAGE: Language;
}

/// The language of the request being served; the default language outside a request.
pub fn current() -> Language {
    LANGUAGE.try_with(|l| *l).unwrap_or_default()
}

/// Runs `fut` with `language` as the current language.
pub async fn scope<F: std::future::Future>(language: Language, fut: F) -> F::Output {
    LANGUAGE.scope(language, fut).await
}
