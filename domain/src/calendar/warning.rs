//! Warning levels of a running time limit (电子监察: 预警 → 黄牌 → 红牌).

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::deadline::MAX_WORKING_DAYS;
use super::local_day::{end_of_local_day, local_date, start_of_local_day};
use super::working_calendar::WorkingCalendar;
use crate::wire_enum;

wire_enum! {
    /// How urgent a running time limit is. Ordered: `None < Blue < Yellow < Red`.
    #[derive(PartialOrd, Ord)]
    WarningLevel {
        None => "none",
        Blue => "blue",
        Yellow => "yellow",
        Red => "red",
    }
}

/// Default of [`WarningThresholds::blue_when_working_days_left`].
pub const DEFAULT_BLUE_WHEN_WORKING_DAYS_LEFT: u32 = 1;
/// Default of [`WarningThresholds::red_after_overdue_working_days`].
pub const DEFAULT_RED_AFTER_OVERDUE_WORKING_DAYS: u32 = 5;

/// The settings of the warning ladder (see [`WarningSchedule`] for their exact meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarningThresholds {
    /// Blue (预警) once at most this many working days of the limit are left; 0 disables blue.
    pub blue_when_working_days_left: u32,
    /// Red (红牌) once the limit has been overdue for this many whole working days; 0 makes
    /// every overdue limit red.
    pub red_after_overdue_working_days: u32,
}

impl Default for WarningThresholds {
    fn default() -> Self {
        Self {
            blue_when_working_days_left: DEFAULT_BLUE_WHEN_WORKING_DAYS_LEFT,
            red_after_overdue_working_days: DEFAULT_RED_AFTER_OVERDUE_WORKING_DAYS,
        }
    }
}

/// The instants at which a limit's warning level rises. With `D` the last local day of the
/// limit (the date of the instant just before `due_at`; for a [`Deadline`](super::Deadline),
/// its last working day), `k` = [`WarningThresholds::blue_when_working_days_left`] and `m` =
/// [`WarningThresholds::red_after_overdue_working_days`]:
///
/// - **blue** from 00:00 local of the `k`-th last working day of the limit, counting back from
///   `D` (`D` itself counts when it is a working day). From then on at most `k` working days
///   are left. Off days just before it do not count: a limit ending on Monday turns blue at
///   Monday 00:00, not during the weekend. None when `k` is 0; from the earliest instant when
///   `k` exceeds [`MAX_WORKING_DAYS`].
/// - **yellow** from `due_at` (overdue).
/// - **red** from 24:00 local of the `m`-th working day after `D`, i.e. once `m` whole working
///   days have passed since the deadline (`due_at` itself when `m` is 0); never by time when
///   `m` exceeds [`MAX_WORKING_DAYS`] or the instant is past the representable dates. An
///   overdue limit is also red as soon as a reminder was sent after its deadline.
///
/// The level never falls while the deadline stays; a new deadline needs a new schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarningSchedule {
    /// When blue starts, if it ever does.
    pub blue_from: Option<DateTime<Utc>>,
    /// When yellow starts: the deadline.
    pub yellow_from: DateTime<Utc>,
    /// When red starts without a reminder, if it ever does.
    pub red_from: Option<DateTime<Utc>>,
    /// `true` when a date examined to place blue or red was not settled.
    pub provisional: bool,
}

impl WarningSchedule {
    /// The schedule of a limit ending at `due_at`, in the local dates of `tz`.
    #[must_use]
    pub fn new(
        calendar: &WorkingCalendar,
        due_at: DateTime<Utc>,
        tz: Tz,
        thresholds: WarningThresholds,
    ) -> Self {
        let last_day = local_date(
            due_at
                .checked_sub_signed(TimeDelta::nanoseconds(1))
                .unwrap_or(due_at),
            tz,
        );
        let mut provisional = false;

        let blue_days = thresholds.blue_when_working_days_left;
        let blue_from = if blue_days == 0 {
            None
        } else if blue_days > MAX_WORKING_DAYS {
            Some(DateTime::<Utc>::MIN_UTC)
        } else {
            let walk = calendar.nth_working_day_at_or_before(last_day, blue_days);
            provisional |= walk.is_some_and(|walk| walk.provisional);
            let start = walk.and_then(|walk| start_of_local_day(walk.date, tz));
            Some(start.map_or(DateTime::<Utc>::MIN_UTC, |start| start.min(due_at)))
        };

        let red_days = thresholds.red_after_overdue_working_days;
        let red_from = if red_days == 0 {
            Some(due_at)
        } else if red_days > MAX_WORKING_DAYS {
            None
        } else {
            let walk = calendar.nth_working_day_after(last_day, red_days);
            provisional |= walk.is_some_and(|walk| walk.provisional);
            walk.and_then(|walk| end_of_local_day(walk.date, tz))
                .map(|end| end.max(due_at))
        };

        Self {
            blue_from,
            yellow_from: due_at,
            red_from,
            provisional,
        }
    }

    /// The level at `now`; `reminded_after_deadline` tells whether a reminder (催办) was sent
    /// after the deadline.
    #[must_use]
    pub fn level_at(&self, now: DateTime<Utc>, reminded_after_deadline: bool) -> WarningLevel {
        if now >= self.yellow_from {
            let red_by_time = self.red_from.is_some_and(|red_from| now >= red_from);
            if red_by_time || reminded_after_deadline {
                WarningLevel::Red
            } else {
                WarningLevel::Yellow
            }
        } else if self.blue_from.is_some_and(|blue_from| now >= blue_from) {
            WarningLevel::Blue
        } else {
            WarningLevel::None
        }
    }

    /// The first instant after `now` at which the level changes by time alone (a sweeper can
    /// sleep until then), or `None` when it will not change any more.
    #[must_use]
    pub fn next_change_after(
        &self,
        now: DateTime<Utc>,
        reminded_after_deadline: bool,
    ) -> Option<DateTime<Utc>> {
        let current = self.level_at(now, reminded_after_deadline);
        let mut boundaries: Vec<DateTime<Utc>> =
            [self.blue_from, Some(self.yellow_from), self.red_from]
                .into_iter()
                .flatten()
                .filter(|&at| at > now)
                .collect();
        boundaries.sort_unstable();
        boundaries
            .into_iter()
            .find(|&at| self.level_at(at, reminded_after_deadline) != current)
    }
}

/// The warning level at `now` of a limit ending at `due_at` (see [`WarningSchedule`]).
#[must_use]
pub fn warning_level(
    calendar: &WorkingCalendar,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
    thresholds: WarningThresholds,
    reminded_after_deadline: bool,
) -> WarningLevel {
    WarningSchedule::new(calendar, due_at, tz, thresholds).level_at(now, reminded_after_deadline)
}

/// When the level of a limit ending at `due_at` next changes after `now` by time alone, or
/// `None` when it will not (see [`WarningSchedule::next_change_after`]).
#[must_use]
pub fn next_level_change_at(
    calendar: &WorkingCalendar,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
    thresholds: WarningThresholds,
    reminded_after_deadline: bool,
) -> Option<DateTime<Utc>> {
    WarningSchedule::new(calendar, due_at, tz, thresholds)
        .next_change_after(now, reminded_after_deadline)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use chrono_tz::Asia::Shanghai;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};

    use super::*;
    use crate::calendar::test_support::{second, utc, vendored_calendar};

    const DEFAULTS: WarningThresholds = WarningThresholds {
        blue_when_working_days_left: 1,
        red_after_overdue_working_days: 5,
    };

    fn schedule(due_at: &str, thresholds: WarningThresholds) -> WarningSchedule {
        WarningSchedule::new(&vendored_calendar(), utc(due_at), Shanghai, thresholds)
    }

    /// Asserts the level one second before `boundary` and at it (without reminder).
    fn assert_boundary(
        schedule: &WarningSchedule,
        boundary: &str,
        before: WarningLevel,
        at: WarningLevel,
    ) {
        let boundary = utc(boundary);
        assert_eq!(
            schedule.level_at(boundary - second(), false),
            before,
            "just before {boundary}"
        );
        assert_eq!(schedule.level_at(boundary, false), at, "at {boundary}");
    }

    #[test]
    fn the_ladder_of_a_national_day_deadline() {
        // Issued Wed 2026-09-30 with 5 working days: due 24:00 Tue 10-13 (see deadline tests).
        let schedule = schedule("2026-10-14T00:00:00+08:00", DEFAULTS);
        // Blue from 00:00 of the last working day, Tue 10-13.
        // Red once 5 working days passed after 10-13: 10-14 (1), 10-15 (2), Fri 10-16 (3),
        // Mon 10-19 (4), Tue 10-20 (5), i.e. from 24:00 on 10-20.
        let expected = WarningSchedule {
            blue_from: Some(utc("2026-10-13T00:00:00+08:00")),
            yellow_from: utc("2026-10-14T00:00:00+08:00"),
            red_from: Some(utc("2026-10-21T00:00:00+08:00")),
            provisional: false,
        };
        assert_eq!(schedule, expected);
        assert_boundary(
            &schedule,
            "2026-10-13T00:00:00+08:00",
            WarningLevel::None,
            WarningLevel::Blue,
        );
        assert_boundary(
            &schedule,
            "2026-10-14T00:00:00+08:00",
            WarningLevel::Blue,
            WarningLevel::Yellow,
        );
        assert_boundary(
            &schedule,
            "2026-10-21T00:00:00+08:00",
            WarningLevel::Yellow,
            WarningLevel::Red,
        );
        assert_eq!(
            schedule.level_at(utc("2026-09-30T15:00:00+08:00"), false),
            WarningLevel::None
        );
        assert_eq!(
            schedule.level_at(utc("2027-06-01T00:00:00+08:00"), false),
            WarningLevel::Red
        );
    }

    #[test]
    fn blue_waits_for_the_last_working_day_and_skips_holidays_when_counting_back() {
        // Issued 2026-09-30 with 1 working day: due 24:00 Thu 10-08 (10-01..10-07 off).
        let due = "2026-10-09T00:00:00+08:00";
        let one = schedule(due, DEFAULTS);
        assert_eq!(one.blue_from, Some(utc("2026-10-08T00:00:00+08:00")));
        assert_eq!(
            one.level_at(utc("2026-10-05T12:00:00+08:00"), false),
            WarningLevel::None
        );
        // With 2 days, counting back from 10-08 skips the holiday to Wed 09-30; with 3, Tue 09-29.
        let two = WarningThresholds {
            blue_when_working_days_left: 2,
            ..DEFAULTS
        };
        assert_eq!(
            schedule(due, two).blue_from,
            Some(utc("2026-09-30T00:00:00+08:00"))
        );
        let three = WarningThresholds {
            blue_when_working_days_left: 3,
            ..DEFAULTS
        };
        assert_eq!(
            schedule(due, three).blue_from,
            Some(utc("2026-09-29T00:00:00+08:00"))
        );
        // A limit ending Mon 2026-03-09 is not blue over the weekend before.
        let monday = schedule("2026-03-10T00:00:00+08:00", DEFAULTS);
        assert_boundary(
            &monday,
            "2026-03-09T00:00:00+08:00",
            WarningLevel::None,
            WarningLevel::Blue,
        );
    }

    #[test]
    fn the_ladder_of_a_deadline_on_a_make_up_sunday() {
        // Issued Fri 2026-09-18 with 1 working day: due 24:00 Sun 09-20 (make-up working day).
        let schedule = schedule("2026-09-21T00:00:00+08:00", DEFAULTS);
        assert_boundary(
            &schedule,
            "2026-09-20T00:00:00+08:00",
            WarningLevel::None,
            WarningLevel::Blue,
        );
        assert_boundary(
            &schedule,
            "2026-09-21T00:00:00+08:00",
            WarningLevel::Blue,
            WarningLevel::Yellow,
        );
        // After 09-20: 09-21 (1), 09-22 (2), 09-23 (3), Thu 09-24 (4), 09-25..09-27 off,
        // Mon 09-28 (5): red from 24:00 on 09-28.
        assert_boundary(
            &schedule,
            "2026-09-29T00:00:00+08:00",
            WarningLevel::Yellow,
            WarningLevel::Red,
        );
    }

    #[test]
    fn a_reminder_after_the_deadline_makes_it_red_at_once() {
        let schedule = schedule("2026-10-14T00:00:00+08:00", DEFAULTS);
        let due = utc("2026-10-14T00:00:00+08:00");
        assert_eq!(
            schedule.level_at(due - second(), true),
            WarningLevel::Blue,
            "not overdue yet"
        );
        assert_eq!(schedule.level_at(due, true), WarningLevel::Red);
        assert_eq!(
            schedule.level_at(due - TimeDelta::days(30), true),
            WarningLevel::None
        );
    }

    #[test]
    fn thresholds_of_zero_disable_blue_and_make_overdue_red() {
        let zero = WarningThresholds {
            blue_when_working_days_left: 0,
            red_after_overdue_working_days: 0,
        };
        let schedule = schedule("2026-10-14T00:00:00+08:00", zero);
        assert_eq!(schedule.blue_from, None);
        assert_boundary(
            &schedule,
            "2026-10-14T00:00:00+08:00",
            WarningLevel::None,
            WarningLevel::Red,
        );
    }

    #[test]
    fn absurd_thresholds_saturate() {
        let huge = WarningThresholds {
            blue_when_working_days_left: MAX_WORKING_DAYS + 1,
            red_after_overdue_working_days: MAX_WORKING_DAYS + 1,
        };
        let schedule = schedule("2026-10-14T00:00:00+08:00", huge);
        assert_eq!(schedule.blue_from, Some(DateTime::<Utc>::MIN_UTC));
        assert_eq!(schedule.red_from, None);
        assert_eq!(
            schedule.level_at(utc("2000-01-01T00:00:00Z"), false),
            WarningLevel::Blue
        );
        assert_eq!(
            schedule.level_at(utc("2100-01-01T00:00:00Z"), false),
            WarningLevel::Yellow
        );
    }

    #[test]
    fn a_deadline_in_the_middle_of_a_day_belongs_to_that_day() {
        // Due at 12:00 on Tue 2026-10-13: the last day is 10-13 as for 24:00.
        let schedule = schedule("2026-10-13T12:00:00+08:00", DEFAULTS);
        assert_eq!(schedule.blue_from, Some(utc("2026-10-13T00:00:00+08:00")));
        assert_eq!(schedule.red_from, Some(utc("2026-10-21T00:00:00+08:00")));
    }

    #[test]
    fn ladders_through_a_year_without_data_are_provisional() {
        // Issued Thu 2026-12-24 with 5 working days: due 24:00 Thu 12-31 (provisional).
        let schedule = schedule("2027-01-01T00:00:00+08:00", DEFAULTS);
        // Red: after 12-31, 2027 by Monday–Friday: Fri 01-01 (1), Mon 01-04 (2), 01-05 (3),
        // 01-06 (4), Thu 01-07 (5): from 24:00 on 2027-01-07.
        let expected = WarningSchedule {
            blue_from: Some(utc("2026-12-31T00:00:00+08:00")),
            yellow_from: utc("2027-01-01T00:00:00+08:00"),
            red_from: Some(utc("2027-01-08T00:00:00+08:00")),
            provisional: true,
        };
        assert_eq!(schedule, expected);
        // A ladder that stays before 25 December is settled.
        assert!(!self::schedule("2026-12-12T00:00:00+08:00", DEFAULTS).provisional);
    }

    #[test]
    fn next_change_is_the_next_boundary_that_changes_the_level() {
        let calendar = vendored_calendar();
        let due = utc("2026-10-14T00:00:00+08:00");
        let next = |now: &str, reminded| {
            next_level_change_at(&calendar, due, utc(now), Shanghai, DEFAULTS, reminded)
        };
        assert_eq!(
            next("2026-09-30T15:00:00+08:00", false),
            Some(utc("2026-10-13T00:00:00+08:00"))
        );
        assert_eq!(next("2026-10-13T00:00:00+08:00", false), Some(due));
        assert_eq!(
            next("2026-10-14T00:00:00+08:00", false),
            Some(utc("2026-10-21T00:00:00+08:00"))
        );
        assert_eq!(next("2026-10-21T00:00:00+08:00", false), None);
        // Once reminded, the overdue limit is red already: nothing more happens by time.
        assert_eq!(next("2026-10-13T12:00:00+08:00", true), Some(due));
        assert_eq!(next("2026-10-15T00:00:00+08:00", true), None);
        let level = warning_level(&calendar, due, due, Shanghai, DEFAULTS, false);
        assert_eq!(level, WarningLevel::Yellow);
    }

    #[test]
    fn levels_are_ordered_and_travel_as_lowercase_words() {
        assert!(WarningLevel::None < WarningLevel::Blue);
        assert!(WarningLevel::Blue < WarningLevel::Yellow);
        assert!(WarningLevel::Yellow < WarningLevel::Red);
        for (level, wire) in [
            (WarningLevel::None, "none"),
            (WarningLevel::Blue, "blue"),
            (WarningLevel::Yellow, "yellow"),
            (WarningLevel::Red, "red"),
        ] {
            assert_eq!(level.as_str(), wire);
            assert_eq!(WarningLevel::from_str(wire), Ok(level));
            let deserializer: StrDeserializer<'_, ValueError> = wire.into_deserializer();
            assert_eq!(WarningLevel::deserialize(deserializer), Ok(level));
        }
        assert!(WarningLevel::from_str("Red").is_err());
        assert!(WarningLevel::from_str("orange").is_err());
    }

    #[test]
    fn default_thresholds_follow_the_published_ladder() {
        assert_eq!(WarningThresholds::default(), DEFAULTS);
    }
}
