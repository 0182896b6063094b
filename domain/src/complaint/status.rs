//! Where a complaint stands, how it was screened and which path it takes.

use crate::wire_enum;

wire_enum! {
    /// The lifecycle stage of a complaint.
    ComplaintStatus {
        AwaitingScreening => "awaiting_screening",
        AwaitingClassification => "awaiting_classification",
        InHandling => "in_handling",
        Closed => "closed",
        OutOfScope => "out_of_scope",
        Invalid => "invalid",
        Withdrawn => "withdrawn",
    }
}

wire_enum! {
    /// The result of screening (受理).
    ScreeningOutcome {
        Accepted => "accepted",
        OutOfScope => "out_of_scope",
        Invalid => "invalid",
        Withdrawn => "withdrawn",
    }
}

wire_enum! {
    /// The three paths an accepted complaint takes (分类).
    ComplaintType {
        OnSite => "on_site",
        CaseFiled => "case_filed",
        Feedback => "feedback",
    }
}

wire_enum! {
    /// What happens to a feedback complaint (意见反映类).
    FeedbackDisposition {
        Reference => "reference",
        ForwardToSection => "forward_to_section",
        ForwardToGovernment => "forward_to_government",
    }
}

wire_enum! {
    /// The finding recorded when a case is closed.
    Finding {
        Sustained => "sustained",
        NotSustained => "not_sustained",
        Exonerated => "exonerated",
        Unfounded => "unfounded",
    }
}

wire_enum! {
    /// What the complainant said on the return visit (回访).
    Satisfaction {
        Satisfied => "satisfied",
        BasicallySatisfied => "basically_satisfied",
        Dissatisfied => "dissatisfied",
        Unreachable => "unreachable",
    }
}

wire_enum! {
    /// How the complainant was told the result of their complaint.
    AnswerMethod {
        Phone => "phone",
        Letter => "letter",
        Email => "email",
        InPerson => "in_person",
        Sms => "sms",
        /// Not answered: the complaint is anonymous, so no answer is owed.
        NoneAnonymous => "none_anonymous",
    }
}

impl ScreeningOutcome {
    /// The status a complaint takes after this screening outcome.
    pub const fn resulting_status(self) -> ComplaintStatus {
        match self {
            ScreeningOutcome::Accepted => ComplaintStatus::AwaitingClassification,
            ScreeningOutcome::OutOfScope => ComplaintStatus::OutOfScope,
            ScreeningOutcome::Invalid => ComplaintStatus::Invalid,
            ScreeningOutcome::Withdrawn => ComplaintStatus::Withdrawn,
        }
    }
}

impl ComplaintStatus {
    /// Screened out: kept and counted, never a case.
    pub const fn is_not_accepted(self) -> bool {
        matches!(
            self,
            ComplaintStatus::OutOfScope | ComplaintStatus::Invalid | ComplaintStatus::Withdrawn
        )
    }
}
