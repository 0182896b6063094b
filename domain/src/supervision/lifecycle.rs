//! The order lifecycle as one transition function: which action applies in which status, and
//! the rules that can still refuse it. The service turns an allowed action into writes.

use super::model::{OrderStatus, ReturnRuling};

/// An action on an order, with the facts its rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    Sign,
    Return {
        within_return_window: bool,
    },
    RuleOnReturn {
        ruling: ReturnRuling,
        was_signed: bool,
    },
    RequestExtension {
        working_days: u32,
        max_working_days: u32,
        deadline_passed: bool,
        already_requested_this_round: bool,
    },
    DecideExtension {
        request_pending: bool,
    },
    Reply,
    Review {
        accepted: bool,
    },
    /// Intake presses the unit to act (催办) while the unit owes a signature or a reply.
    Remind,
}

/// Why an order action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderRefused {
    /// HTTP 409.
    #[error("cannot {action} an order that is {status}")]
    WrongState {
        action: &'static str,
        status: OrderStatus,
    },
    /// HTTP 422, naming the rule.
    #[error("{0}")]
    Rule(crate::message::Message),
}

impl OrderAction {
    pub fn name(&self) -> &'static str {
        match self {
            OrderAction::Sign => "sign for",
            OrderAction::Return { .. } => "return",
            OrderAction::RuleOnReturn { .. } => "rule on the return of",
            OrderAction::RequestExtension { .. } => "ask for an extension of",
            OrderAction::DecideExtension { .. } => "decide an extension of",
            OrderAction::Reply => "reply to",
            OrderAction::Review { .. } => "review the reply to",
            OrderAction::Remind => "send a reminder on",
        }
    }
}

/// The status an order takes after `action`, or why it may not.
///
/// # Errors
/// [`OrderRefused::WrongState`] or [`OrderRefused::Rule`].
pub fn decide(status: OrderStatus, action: &OrderAction) -> Result<OrderStatus, OrderRefused> {
    use OrderAction as A;
    use OrderStatus as S;
    let wrong = || OrderRefused::WrongState {
        action: action.name(),
        status,
    };
    match (status, action) {
        (S::Issued, A::Sign) => Ok(S::Signed),
        (
            S::Issued | S::Signed,
            A::Return {
                within_return_window,
            },
        ) => {
            if *within_return_window {
                Ok(S::Returned)
            } else {
                Err(OrderRefused::Rule(crate::msg!("rule_return_window_passed")))
            }
        }
        (S::Returned, A::RuleOnReturn { ruling, was_signed }) => Ok(match ruling {
            ReturnRuling::Rerouted => S::Cancelled,
            ReturnRuling::Refused if *was_signed => S::Signed,
            ReturnRuling::Refused => S::Issued,
        }),
        (
            S::Issued | S::Signed,
            A::RequestExtension {
                working_days,
                max_working_days,
                deadline_passed,
                already_requested_this_round,
            },
        ) => {
            if *already_requested_this_round {
                Err(OrderRefused::Rule(crate::msg!(
                    "rule_extension_once_per_round"
                )))
            } else if *deadline_passed {
                Err(OrderRefused::Rule(crate::msg!(
                    "rule_extension_before_deadline"
                )))
            } else if *working_days == 0 || working_days > max_working_days {
                Err(OrderRefused::Rule(crate::msg!("rule_extension_length")))
            } else {
                Ok(status)
            }
        }
        (S::Issued | S::Signed, A::DecideExtension { request_pending }) => {
            if *request_pending {
                Ok(status)
            } else {
                Err(OrderRefused::Rule(crate::msg!("rule_extension_decided")))
            }
        }
        (S::Signed, A::Reply) => Ok(S::Replied),
        (S::Replied, A::Review { accepted }) => {
            Ok(if *accepted { S::Accepted } else { S::Rejected })
        }
        (S::Issued | S::Signed, A::Remind) => Ok(status),
        _ => Err(wrong()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Expect {
        To(OrderStatus),
        Same,
        Wrong,
    }
    use Expect::{Same, To, Wrong};
    use OrderStatus as S;

    fn actions() -> Vec<OrderAction> {
        vec![
            OrderAction::Sign,
            OrderAction::Return {
                within_return_window: true,
            },
            OrderAction::RuleOnReturn {
                ruling: ReturnRuling::Refused,
                was_signed: true,
            },
            OrderAction::RequestExtension {
                working_days: 3,
                max_working_days: 5,
                deadline_passed: false,
                already_requested_this_round: false,
            },
            OrderAction::DecideExtension {
                request_pending: true,
            },
            OrderAction::Reply,
            OrderAction::Review { accepted: true },
            OrderAction::Remind,
        ]
    }

    #[rustfmt::skip]
    const TABLE: [(OrderStatus, [Expect; 8]); 7] = [
        //          sign            return           rule            ext   decide reply            review           remind
        (S::Issued,    [To(S::Signed), To(S::Returned), Wrong,          Same, Same, Wrong,           Wrong,           Same]),
        (S::Signed,    [Wrong,         To(S::Returned), Wrong,          Same, Same, To(S::Replied),  Wrong,           Same]),
        (S::Returned,  [Wrong,         Wrong,           To(S::Signed),  Wrong, Wrong, Wrong,         Wrong,           Wrong]),
        (S::Replied,   [Wrong,         Wrong,           Wrong,          Wrong, Wrong, Wrong,         To(S::Accepted), Wrong]),
        (S::Accepted,  [Wrong,         Wrong,           Wrong,          Wrong, Wrong, Wrong,         Wrong,           Wrong]),
        (S::Rejected,  [Wrong,         Wrong,           Wrong,          Wrong, Wrong, Wrong,         Wrong,           Wrong]),
        (S::Cancelled, [Wrong,         Wrong,           Wrong,          Wrong, Wrong, Wrong,         Wrong,           Wrong]),
    ];

    #[test]
    fn every_status_and_action_pair_is_allowed_or_refused_as_the_table_says() {
        for (status, row) in TABLE {
            for (action, expected) in actions().iter().zip(row) {
                let got = match decide(status, action) {
                    Ok(next) if next == status => Same,
                    Ok(next) => To(next),
                    Err(OrderRefused::WrongState { .. }) => Wrong,
                    Err(OrderRefused::Rule(rule)) => {
                        panic!("{status} × {}: rule {rule}", action.name())
                    }
                };
                assert_eq!(got, expected, "{status} × {}", action.name());
            }
        }
    }

    #[test]
    fn rules_refuse_late_returns_and_extensions() {
        let late_return = OrderAction::Return {
            within_return_window: false,
        };
        assert!(matches!(
            decide(S::Signed, &late_return),
            Err(OrderRefused::Rule(_))
        ));
        let ext = |days, passed, again| OrderAction::RequestExtension {
            working_days: days,
            max_working_days: 5,
            deadline_passed: passed,
            already_requested_this_round: again,
        };
        assert_eq!(decide(S::Signed, &ext(5, false, false)), Ok(S::Signed));
        assert!(matches!(
            decide(S::Signed, &ext(6, false, false)),
            Err(OrderRefused::Rule(_))
        ));
        assert!(matches!(
            decide(S::Signed, &ext(0, false, false)),
            Err(OrderRefused::Rule(_))
        ));
        assert!(matches!(
            decide(S::Signed, &ext(2, true, false)),
            Err(OrderRefused::Rule(_))
        ));
        assert!(matches!(
            decide(S::Signed, &ext(2, false, true)),
            Err(OrderRefused::Rule(_))
        ));
        let decided = OrderAction::DecideExtension {
            request_pending: false,
        };
        assert!(matches!(
            decide(S::Signed, &decided),
            Err(OrderRefused::Rule(_))
        ));
    }

    #[test]
    fn rulings_on_a_return() {
        let rule = |ruling, was_signed| OrderAction::RuleOnReturn { ruling, was_signed };
        assert_eq!(
            decide(S::Returned, &rule(ReturnRuling::Rerouted, true)),
            Ok(S::Cancelled)
        );
        assert_eq!(
            decide(S::Returned, &rule(ReturnRuling::Refused, false)),
            Ok(S::Issued)
        );
        assert_eq!(
            decide(S::Returned, &rule(ReturnRuling::Refused, true)),
            Ok(S::Signed)
        );
        assert_eq!(
            decide(S::Replied, &OrderAction::Review { accepted: false }),
            Ok(S::Rejected)
        );
    }
}
