//! Responsible units (责任单位): an agency with its sections and service windows.

use crate::wire_enum;

wire_enum! {
    /// What kind of unit a node of the unit tree is.
    UnitKind {
        Agency => "agency",
        Section => "section",
        Window => "window",
    }
}

impl UnitKind {
    /// Sections and windows always sit under another unit; an agency may stand alone.
    pub const fn needs_parent(self) -> bool {
        !matches!(self, UnitKind::Agency)
    }
}
