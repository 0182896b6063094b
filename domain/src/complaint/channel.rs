//! How a complaint arrived and what it is about.

use crate::wire_enum;

wire_enum! {
    /// The channel a complaint came in by (投诉方式).
    Channel {
        WalkIn => "walk_in",
        Phone => "phone",
        Web => "web",
        Letter => "letter",
    }
}

wire_enum! {
    /// What the complaint is about (投诉事项).
    Matter {
        Attitude => "attitude",
        Efficiency => "efficiency",
        Procedure => "procedure",
        Fees => "fees",
        Outcome => "outcome",
        Other => "other",
    }
}
