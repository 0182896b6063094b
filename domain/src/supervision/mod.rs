//! Supervision orders (督办单): routing a case-filed complaint to the responsible unit, the
//! unit's sign-for, return, extension and reply, and intake's rulings and review.

pub mod lifecycle;
pub mod model;
pub mod ports;
pub mod service;

pub use model::{ExtensionDecision, ExtensionRequest, OrderStatus, ReturnRuling, SupervisionOrder};
