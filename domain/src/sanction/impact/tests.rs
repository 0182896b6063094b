#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn m(track: &str, measure: &str) -> Measure {
    Measure::parse(track, measure).unwrap()
}

/// Decided one second after the previous call: input order is decision order.
fn decided(track: &str, measure: &str, effective: NaiveDate) -> DecidedMeasure {
    static DECISIONS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let n = DECISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    DecidedMeasure {
        decision_id: Uuid::now_v7(),
        measure: m(track, measure),
        effective,
        decided_at: DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(n),
    }
}

fn admin(measure: &str, effective: NaiveDate) -> DecidedMeasure {
    decided("administrative", measure, effective)
}

fn until(y: i32, mo: u32, d: u32) -> ImpactEnd {
    ImpactEnd::Until(date(y, mo, d))
}

#[test]
fn administrative_periods_run_from_the_effective_date() {
    let start = date(2026, 1, 10);
    let cases = [
        ("warning", until(2026, 7, 10)),
        ("demerit", until(2027, 1, 10)),
        ("major_demerit", until(2027, 7, 10)),
        ("grade_reduction", until(2028, 1, 10)),
        ("dismissal_from_post", until(2028, 1, 10)),
        ("expulsion", ImpactEnd::Permanent),
    ];
    for (name, end) in cases {
        let spans = impact_spans(&[admin(name, start)]).unwrap();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].end, end, "{name}");
        assert!(!spans[0].cumulated && !spans[0].capped);
    }
    let expulsion = impact_spans(&[admin("expulsion", start)]).unwrap();
    assert_eq!(expulsion[0].kind, ImpactKind::Expulsion);
}

#[test]
fn end_day_is_exclusive_and_effective_day_inclusive() {
    let spans = impact_spans(&[admin("demerit", date(2026, 1, 10))]).unwrap();
    let s = spans[0];
    assert!(!s.is_active_on(date(2026, 1, 9)));
    assert!(s.is_active_on(date(2026, 1, 10)));
    assert!(s.is_active_on(date(2027, 1, 9)));
    assert!(!s.is_active_on(date(2027, 1, 10)));
}

#[test]
fn admonishment_bars_promotion_six_months_clamped_to_month_end() {
    let spans = impact_spans(&[decided("soft", "admonishment", date(2026, 3, 31))]).unwrap();
    assert_eq!(spans[0].kind, ImpactKind::PromotionBar);
    assert_eq!(spans[0].end, until(2026, 9, 30));
    let a = active_on(&spans, date(2026, 9, 29));
    assert_eq!(a.promotion_barred_until(), Some(until(2026, 9, 30)));
    assert!(active_on(&spans, date(2026, 9, 30)).is_empty());
}

#[test]
fn awards_disqualification_covers_the_rest_of_the_effective_year() {
    let spans = impact_spans(&[decided(
        "soft",
        "awards_disqualification",
        date(2026, 5, 20),
    )])
    .unwrap();
    assert_eq!(spans[0].end, until(2027, 1, 1));
    assert!(active_on(&spans, date(2026, 5, 19)).is_empty());
    assert_eq!(
        active_on(&spans, date(2026, 5, 20)).awards_disqualified_year(),
        Some(2026)
    );
    assert_eq!(
        active_on(&spans, date(2026, 12, 31)).awards_disqualified_year(),
        Some(2026)
    );
    assert_eq!(
        active_on(&spans, date(2027, 1, 1)).awards_disqualified_year(),
        None
    );
}

#[test]
fn measures_without_a_period_leave_no_span() {
    let none: Vec<DecidedMeasure> = Measure::ALL
        .into_iter()
        .filter(|x| x.impact_period() == ImpactPeriod::None)
        .map(|measure| {
            decided(
                measure.track().as_str(),
                measure.as_str(),
                date(2026, 1, 10),
            )
        })
        .collect();
    // criticism_education, reminder_talk, apology, written_self_criticism and the five
    // organisational measures
    assert_eq!(none.len(), 9);
    assert!(impact_spans(&none).unwrap().is_empty());
}

#[test]
fn new_sanction_during_a_running_one_adds_the_remaining_period() {
    // demerit 2026-01-10 runs until 2027-01-10; a major demerit on 2026-07-10 lasts the
    // remaining 6 months plus its own 18: 24 months from 2026-07-10, until 2028-07-10
    let spans = impact_spans(&[
        admin("demerit", date(2026, 1, 10)),
        admin("major_demerit", date(2026, 7, 10)),
    ])
    .unwrap();
    assert_eq!(spans[0].end, until(2027, 1, 10));
    assert_eq!(spans[1].end, until(2028, 7, 10));
    assert!(spans[1].cumulated);
    assert!(!spans[1].capped);
    let a = active_on(&spans, date(2027, 6, 1));
    assert_eq!(a.administrative_sanction_until(), Some(until(2028, 7, 10)));
    assert!(active_on(&spans, date(2028, 7, 10)).is_empty());
}

#[test]
fn day_before_the_end_cumulates_the_end_day_does_not() {
    let before = impact_spans(&[
        admin("warning", date(2026, 1, 10)),
        admin("warning", date(2026, 7, 9)),
    ])
    .unwrap();
    assert!(before[1].cumulated);
    assert_eq!(before[1].end, until(2027, 1, 10));
    let on_end = impact_spans(&[
        admin("warning", date(2026, 1, 10)),
        admin("warning", date(2026, 7, 10)),
    ])
    .unwrap();
    assert!(!on_end[1].cumulated);
    assert_eq!(on_end[1].end, until(2027, 1, 10));
}

#[test]
fn cumulation_is_capped_at_48_months_from_the_new_effective_date() {
    let spans = impact_spans(&[
        admin("dismissal_from_post", date(2026, 1, 10)),
        admin("grade_reduction", date(2026, 2, 10)),
        admin("major_demerit", date(2026, 3, 10)),
    ])
    .unwrap();
    assert_eq!(spans[0].end, until(2028, 1, 10));
    // 2028-01-10 + 24 months = 2030-01-10, under the cap 2030-02-10
    assert_eq!(spans[1].end, until(2030, 1, 10));
    assert!(spans[1].cumulated && !spans[1].capped);
    // 2030-01-10 + 18 months = 2031-07-10, over the cap 2026-03-10 + 48 = 2030-03-10
    assert_eq!(spans[2].end, until(2030, 3, 10));
    assert!(spans[2].cumulated && spans[2].capped);
}

#[test]
fn cap_boundary_exactly_48_months_is_not_capped() {
    // A: 24 months to 2028-01-10; B on 2026-01-10 too: 2028-01-10 + 24 = 2030-01-10 =
    // exactly 48 months from B's effective date
    let spans = impact_spans(&[
        admin("grade_reduction", date(2026, 1, 10)),
        admin("dismissal_from_post", date(2026, 1, 10)),
    ])
    .unwrap();
    assert_eq!(spans[1].end, until(2030, 1, 10));
    assert!(spans[1].cumulated && !spans[1].capped);
}

#[test]
fn sanction_during_expulsion_is_capped_and_later_expulsion_stays_permanent() {
    let spans = impact_spans(&[
        admin("expulsion", date(2026, 1, 10)),
        admin("warning", date(2026, 2, 1)),
        admin("expulsion", date(2026, 3, 1)),
    ])
    .unwrap();
    assert_eq!(spans[1].end, until(2030, 2, 1));
    assert!(spans[1].capped);
    assert_eq!(spans[2].end, ImpactEnd::Permanent);
    assert!(spans[2].cumulated);
    assert!(active_on(&spans, date(2040, 1, 1)).is_expelled());
}

#[test]
fn order_of_input_does_not_matter() {
    let a = admin("demerit", date(2026, 1, 10));
    let b = admin("major_demerit", date(2026, 7, 10));
    let forward = impact_spans(&[a, b]).unwrap();
    let backward = impact_spans(&[b, a]).unwrap();
    assert_eq!(forward, backward);
}

#[test]
fn soft_and_administrative_spans_do_not_cumulate_with_each_other() {
    let spans = impact_spans(&[
        decided("soft", "admonishment", date(2026, 1, 10)),
        admin("warning", date(2026, 2, 10)),
    ])
    .unwrap();
    assert_eq!(spans[1].end, until(2026, 8, 10));
    assert!(!spans[1].cumulated);
}

#[test]
fn active_on_lists_everything_active_today() {
    let spans = impact_spans(&[
        decided("soft", "admonishment", date(2026, 1, 5)),
        decided("soft", "awards_disqualification", date(2026, 1, 5)),
        decided("party", "serious_warning", date(2026, 1, 5)),
        admin("demerit", date(2026, 2, 1)),
    ])
    .unwrap();
    assert_eq!(spans.len(), 4);
    let a = active_on(&spans, date(2026, 6, 1));
    assert_eq!(a.on, date(2026, 6, 1));
    assert_eq!(a.spans.len(), 4);
    assert_eq!(a.promotion_barred_until(), Some(until(2026, 7, 5)));
    assert_eq!(a.awards_disqualified_year(), Some(2026));
    assert_eq!(a.administrative_sanction_until(), Some(until(2027, 2, 1)));
    assert_eq!(a.party_promotion_barred_until(), Some(until(2027, 7, 5)));
    assert!(!a.is_expelled());
    let later = active_on(&spans, date(2026, 8, 1));
    assert_eq!(later.promotion_barred_until(), None);
    assert_eq!(later.spans.len(), 3);
    let next_year = active_on(&spans, date(2027, 1, 15));
    assert_eq!(next_year.awards_disqualified_year(), None);
    assert_eq!(
        next_year.administrative_sanction_until(),
        Some(until(2027, 2, 1))
    );
    assert_eq!(active_on(&spans, date(2027, 2, 1)).spans.len(), 1);
    assert!(active_on(&spans, date(2027, 7, 5)).is_empty());
    assert!(active_on(&spans, date(2025, 12, 31)).is_empty());
}

#[test]
fn same_day_sanctions_cumulate_in_decision_order_not_input_order() {
    // grade_reduction from 2026-02-01 runs to 2028-02-01; dismissal_from_post on 2026-08-01
    // adds its 24 months to the remaining 18: until 2030-02-01. A major_demerit decided
    // later, effective the same day, runs the remaining 42 + 18 = 60 months, capped at 48:
    // until 2030-08-01. The dismissal keeps its end.
    let grade = admin("grade_reduction", date(2026, 2, 1));
    let dismissal = admin("dismissal_from_post", date(2026, 8, 1));
    let major = admin("major_demerit", date(2026, 8, 1));
    for input in [vec![grade, dismissal, major], vec![major, dismissal, grade]] {
        let spans = impact_spans(&input).unwrap();
        let of = |d: &DecidedMeasure| *spans.iter().find(|s| s.measure == d.measure).unwrap();
        assert_eq!(of(&grade).end, until(2028, 2, 1));
        let dismissed = of(&dismissal);
        assert_eq!(dismissed.end, until(2030, 2, 1));
        assert!(dismissed.cumulated && !dismissed.capped);
        let demerit = of(&major);
        assert_eq!(demerit.end, until(2030, 8, 1));
        assert!(demerit.cumulated && demerit.capped);
        assert_eq!(
            spans.iter().map(|s| s.measure).collect::<Vec<_>>(),
            [grade.measure, dismissal.measure, major.measure]
        );
    }
}

#[test]
fn party_measures_carry_the_periods_of_the_party_regulations() {
    let start = date(2026, 1, 10);
    let one = |name: &str| impact_spans(&[decided("party", name, start)]).unwrap();
    let warning = one("warning");
    assert_eq!(warning.len(), 1);
    assert_eq!(warning[0].kind, ImpactKind::PartyPromotionBar);
    assert_eq!(warning[0].end, until(2027, 1, 10));
    assert_eq!(one("serious_warning")[0].end, until(2027, 7, 10));
    let removal = one("removal_from_party_post");
    assert_eq!(removal[0].kind, ImpactKind::PartyPostBar);
    assert_eq!(removal[0].end, until(2028, 1, 10));
    let probation = one("probation");
    assert_eq!(
        probation
            .iter()
            .map(|s| (s.kind, s.end))
            .collect::<Vec<_>>(),
        [
            (ImpactKind::PartyProbation, until(2028, 1, 10)),
            (ImpactKind::PartyPostBar, until(2030, 1, 10)),
        ]
    );
    let expulsion = one("expulsion");
    assert_eq!(
        expulsion
            .iter()
            .map(|s| (s.kind, s.end))
            .collect::<Vec<_>>(),
        [
            (ImpactKind::PartyExpulsion, ImpactEnd::Permanent),
            (ImpactKind::PartyReadmissionBar, until(2031, 1, 10)),
        ]
    );
    for day in [date(2026, 6, 1), date(2036, 6, 1)] {
        let a = active_on(&expulsion, day);
        assert!(a.is_expelled() && a.is_expelled_from_party(), "{day}");
        assert!(expulsion.iter().any(|s| s.bars_awards_on(day)), "{day}");
    }
    assert_eq!(
        active_on(&expulsion, date(2030, 1, 1)).party_readmission_barred_until(),
        Some(until(2031, 1, 10))
    );
    assert_eq!(
        active_on(&expulsion, date(2031, 1, 10)).party_readmission_barred_until(),
        None
    );
    // Party spans never cumulate with administrative ones.
    let both = impact_spans(&[
        decided("party", "warning", start),
        admin("warning", date(2026, 2, 1)),
    ])
    .unwrap();
    assert!(!both[1].cumulated);
}

#[test]
fn every_span_names_what_it_affects_and_its_rule() {
    let all: Vec<DecidedMeasure> = Measure::ALL
        .into_iter()
        .map(|x| decided(x.track().as_str(), x.as_str(), date(2026, 1, 10)))
        .collect();
    let spans = impact_spans(&all).unwrap();
    assert_eq!(spans.len(), 16);
    for s in &spans {
        assert!(!s.affects().is_empty(), "{}", s.measure);
        assert!(!s.rule_source().is_empty(), "{}", s.measure);
    }
    let circulated = spans
        .iter()
        .find(|s| s.measure == m("soft", "circulated_criticism"))
        .unwrap();
    assert_eq!(circulated.kind, ImpactKind::AwardsDisqualification);
    assert!(circulated.rule_source().contains("seed 002"));
    let admin_span = spans
        .iter()
        .find(|s| s.measure == m("administrative", "warning"))
        .unwrap();
    assert!(admin_span.rule_source().contains("第八条"));
    let party = spans
        .iter()
        .find(|s| s.measure == m("party", "serious_warning"))
        .unwrap();
    assert!(party.rule_source().contains("第十条"));
}

#[test]
fn awards_are_barred_by_disqualification_for_its_year_and_by_sanctions_while_they_run() {
    let criticism =
        impact_spans(&[decided("soft", "circulated_criticism", date(2026, 5, 20))]).unwrap()[0];
    assert!(criticism.bars_awards_on(date(2026, 1, 2)));
    assert!(criticism.bars_awards_on(date(2026, 12, 31)));
    assert!(!criticism.bars_awards_on(date(2027, 1, 1)));
    let warning = impact_spans(&[admin("warning", date(2026, 5, 20))]).unwrap()[0];
    assert!(!warning.bars_awards_on(date(2026, 5, 19)));
    assert!(warning.bars_awards_on(date(2026, 11, 19)));
    assert!(!warning.bars_awards_on(date(2026, 11, 20)));
    let admonishment =
        impact_spans(&[decided("soft", "admonishment", date(2026, 5, 20))]).unwrap()[0];
    assert!(!admonishment.bars_awards_on(date(2026, 6, 1)));
}

#[test]
fn end_beyond_the_calendar_is_an_error() {
    let d = admin("demerit", NaiveDate::MAX);
    assert_eq!(
        impact_spans(&[d]),
        Err(ImpactError {
            measure: d.measure,
            effective: NaiveDate::MAX
        })
    );
}
