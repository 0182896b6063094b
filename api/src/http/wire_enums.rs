//! The domain's enums as OpenAPI enums, converted both ways.

/// Declares an OpenAPI enum mirroring a domain enum, with conversions both ways.
#[macro_export]
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $dto:ident => $domain:path { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
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

crate::mirror_enum!(
    /// How the complaint arrived.
    Channel => duban_domain::complaint::Channel { WalkIn, Phone, Web, Letter }
);
crate::mirror_enum!(
    /// What the complaint is about.
    Matter => duban_domain::complaint::Matter { Attitude, Efficiency, Procedure, Fees, Outcome, Other }
);
crate::mirror_enum!(
    /// Where a complaint stands.
    ComplaintStatus => duban_domain::complaint::ComplaintStatus {
        AwaitingScreening, AwaitingClassification, InHandling, Closed, OutOfScope, Invalid, Withdrawn
    }
);
crate::mirror_enum!(
    /// Why another complaint may be a repeat of this one.
    RepeatReason => duban_domain::complaint::repeats::RepeatReason { SameContact, SameStaff }
);
crate::mirror_enum!(
    /// The outcome of screening.
    ScreeningOutcome => duban_domain::complaint::ScreeningOutcome { Accepted, OutOfScope, Invalid, Withdrawn }
);
crate::mirror_enum!(
    /// The path an accepted complaint takes.
    ComplaintType => duban_domain::complaint::ComplaintType { OnSite, CaseFiled, Feedback }
);
crate::mirror_enum!(
    /// What happens to a feedback complaint.
    FeedbackDisposition => duban_domain::complaint::FeedbackDisposition {
        Reference, ForwardToSection, ForwardToGovernment
    }
);
crate::mirror_enum!(
    /// The finding on a closed complaint.
    Finding => duban_domain::complaint::Finding { Sustained, NotSustained, Exonerated, Unfounded }
);
crate::mirror_enum!(
    /// How the complainant was told the result of the complaint (`none_anonymous`: not at
    /// all, the complaint is anonymous).
    ClosingAnswerMethod => duban_domain::complaint::AnswerMethod {
        Phone, Letter, Email, InPerson, Sms, NoneAnonymous
    }
);
crate::mirror_enum!(
    /// What the complainant said on the return visit.
    Satisfaction => duban_domain::complaint::Satisfaction {
        Satisfied, BasicallySatisfied, Dissatisfied, Unreachable
    }
);
crate::mirror_enum!(
    /// A staff role.
    Role => duban_domain::role::Role { Intake, UnitHandler, UnitHead, LeadingGroup, Admin }
);
crate::mirror_enum!(
    /// A node of the unit tree.
    UnitKind => duban_domain::unit::UnitKind { Agency, Section, Window }
);
crate::mirror_enum!(
    /// What a time limit is for.
    LimitKind => duban_domain::limits::LimitKind { Screening, SignFor, Reply }
);
