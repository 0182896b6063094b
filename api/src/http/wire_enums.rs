//! The domain's enums as OpenAPI enums, converted both ways.

use poem_openapi::Enum;

macro_rules! mirror {
    ($(#[$doc:meta])* $dto:ident => $domain:path { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
        #[oai(rename_all = "snake_case")]
        pub enum $dto {
            $($variant),+
        }

        impl From<$dto> for $domain {
            fn from(v: $dto) -> Self {
                match v {
                    $($dto::$variant => <$domain>::$variant),+
                }
            }
        }

        impl From<$domain> for $dto {
            fn from(v: $domain) -> Self {
                match v {
                    $(<$domain>::$variant => $dto::$variant),+
                }
            }
        }
    };
}

mirror!(
    /// How the complaint arrived.
    Channel => duban_domain::complaint::Channel { WalkIn, Phone, Web, Letter }
);
mirror!(
    /// What the complaint is about.
    Matter => duban_domain::complaint::Matter { Attitude, Efficiency, Procedure, Fees, Outcome, Other }
);
mirror!(
    /// Where a complaint stands.
    ComplaintStatus => duban_domain::complaint::ComplaintStatus {
        AwaitingScreening, AwaitingClassification, InHandling, Closed, OutOfScope, Invalid, Withdrawn
    }
);
mirror!(
    /// The outcome of screening.
    ScreeningOutcome => duban_domain::complaint::ScreeningOutcome { Accepted, OutOfScope, Invalid, Withdrawn }
);
mirror!(
    /// The path an accepted complaint takes.
    ComplaintType => duban_domain::complaint::ComplaintType { OnSite, CaseFiled, Feedback }
);
mirror!(
    /// A staff role.
    Role => duban_domain::role::Role { Intake, UnitHandler, UnitHead, LeadingGroup, Admin }
);
mirror!(
    /// A node of the unit tree.
    UnitKind => duban_domain::unit::UnitKind { Agency, Section, Window }
);
