#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn m(track: &str, measure: &str) -> Measure {
    Measure::parse(track, measure).unwrap()
}

fn decided(track: &str, measure: &str, effective: NaiveDate) -> DecidedMeasure {
    DecidedMeasure {
        decision_id: Uuid::now_v7(),
        measure: m(track, measure),
        effective,
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
        .map(|measure| DecidedMeasure {
            decision_id: Uuid::now_v7(),
            measure,
            effective: date(2026, 1, 10),
        })
        .collect();
    assert_eq!(none.len(), 15);
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
    assert_eq!(spans.len(), 3);
    let a = active_on(&spans, date(2026, 6, 1));
    assert_eq!(a.on, date(2026, 6, 1));
    assert_eq!(a.spans.len(), 3);
    assert_eq!(a.promotion_barred_until(), Some(until(2026, 7, 5)));
    assert_eq!(a.awards_disqualified_year(), Some(2026));
    assert_eq!(a.administrative_sanction_until(), Some(until(2027, 2, 1)));
    assert!(!a.is_expelled());
    let later = active_on(&spans, date(2026, 8, 1));
    assert_eq!(later.promotion_barred_until(), None);
    assert_eq!(later.spans.len(), 2);
    let next_year = active_on(&spans, date(2027, 1, 15));
    assert_eq!(next_year.awards_disqualified_year(), None);
    assert_eq!(
        next_year.administrative_sanction_until(),
        Some(until(2027, 2, 1))
    );
    assert!(active_on(&spans, date(2027, 2, 1)).is_empty());
    assert!(active_on(&spans, date(2025, 12, 31)).is_empty());
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
