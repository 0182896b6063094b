//! The working-day calendar in the database: seeded from the bundled holiday data, read as a
//! whole for every computation.

mod store;

pub(crate) use store::load_working_calendar;
pub use store::{CalendarOverview, SeaCalendarStore};
