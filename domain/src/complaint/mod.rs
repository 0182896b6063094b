//! The complaint (投诉件): registration, screening, classification and the rest of its life.

pub mod channel;
pub mod closing;
pub mod complainant;
pub mod contact;
pub mod events;
pub mod lifecycle;
pub mod links;
pub mod model;
pub mod number;
pub mod policy;
pub mod ports;
pub mod registration;
pub mod repeats;
pub mod retention;
pub mod service;
pub mod status;
pub mod visibility;

pub use channel::{Channel, Matter};
pub use complainant::Complainant;
pub use events::ComplaintEvent;
pub use model::Complaint;
pub use number::ComplaintNumber;
pub use status::{
    AnswerMethod, ComplaintStatus, ComplaintType, FeedbackDisposition, Finding, Satisfaction,
    ScreeningOutcome,
};
