//! The id of the request being served, readable anywhere in its task.

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The current request's id, when called while serving a request.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}
