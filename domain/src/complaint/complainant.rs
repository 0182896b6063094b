//! Who complained, or that they chose not to say.

use super::contact::{EmailAddress, PhoneNumber};

/// The complainant (投诉人). An anonymous complaint owes nobody a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Complainant {
    Anonymous,
    Named(NamedComplainant),
    /// Named, but the name and contacts were erased after the retention period.
    Erased,
}

/// A complainant who gave a name, and whatever contacts they gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedComplainant {
    pub name: String,
    pub phone: Option<PhoneNumber>,
    pub email: Option<EmailAddress>,
    pub postal_address: Option<String>,
}

impl Complainant {
    pub fn is_anonymous(&self) -> bool {
        matches!(self, Complainant::Anonymous)
    }

    pub fn named(&self) -> Option<&NamedComplainant> {
        match self {
            Complainant::Anonymous | Complainant::Erased => None,
            Complainant::Named(named) => Some(named),
        }
    }
}
