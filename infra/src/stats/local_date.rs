//! Local dates in SQL: the date, in the agency's time zone, of a stored instant.

use chrono::{DateTime, Duration, NaiveDate, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use duban_domain::storage::RepositoryError;
use sea_orm::{DatabaseBackend, QueryResult};

use super::StatsQuery;
use super::sql::get;

pub(super) fn row_date(
    row: &QueryResult,
    backend: DatabaseBackend,
) -> Result<NaiveDate, RepositoryError> {
    match backend {
        DatabaseBackend::Postgres => get::<NaiveDate>(row, "day"),
        _ => {
            let text: String = get(row, "day")?;
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|e| RepositoryError::Unavailable(format!("bad local date {text}: {e}")))
        }
    }
}

/// SQL for the local date (in `q.tz`) of `c.<column>`.
///
/// PostgreSQL converts with the zone's name. SQLite has no zones: it shifts by the zone's UTC
/// offset, with a `CASE` switching offsets at each transition between the start of the period
/// and now (none for Asia/Shanghai). Every piece is generated here, none comes from a request.
pub(super) fn local_date_sql(backend: DatabaseBackend, column: &str, q: &StatsQuery) -> String {
    let name = q.tz.name();
    let safe = name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '/' | '_' | '-' | '+'));
    match backend {
        DatabaseBackend::Postgres if safe => {
            format!("CAST((c.{column} AT TIME ZONE '{name}') AS DATE)")
        }
        DatabaseBackend::Postgres => format!("CAST((c.{column} AT TIME ZONE 'UTC') AS DATE)"),
        _ => {
            let start = q.from - Duration::days(2);
            let end = Ord::max(q.to, q.now) + Duration::days(2);
            let offsets = offset_segments(q.tz, start, end);
            let modifier = |minutes: i32| format!("'{minutes:+} minutes'");
            let mut iter = offsets.iter();
            let Some((_, first)) = iter.next() else {
                return format!("date(c.{column})");
            };
            if offsets.len() == 1 {
                return format!("date(c.{column}, {})", modifier(*first));
            }
            let mut case = String::from("CASE");
            let mut current = *first;
            for (at, minutes) in iter {
                let at = at.to_rfc3339_opts(SecondsFormat::AutoSi, false);
                case.push_str(&format!(
                    " WHEN c.{column} < '{at}' THEN {}",
                    modifier(current)
                ));
                current = *minutes;
            }
            case.push_str(&format!(" ELSE {} END", modifier(current)));
            format!("date(c.{column}, {case})")
        }
    }
}

/// The UTC offsets (minutes) of `tz` from `start` to `end`: the first applies from `start`,
/// each later one from its instant (found to the hour, which is where zones switch). Zones do
/// not switch twice within a week, so the offset is looked at once a week and each switch is
/// then found by bisection: a period starting centuries back costs milliseconds, not seconds.
fn offset_segments(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(DateTime<Utc>, i32)> {
    const WEEK_HOURS: i64 = 24 * 7;
    let offset = |at: DateTime<Utc>| {
        tz.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    };
    let mut out = vec![(start, offset(start))];
    let mut at = start;
    while at < end {
        let current = out.last().map_or(0, |(_, minutes)| *minutes);
        let week_later = at + Duration::hours(WEEK_HOURS);
        if offset(week_later) == current {
            at = week_later;
            continue;
        }
        // offset(at + lo h) is `current`, offset(at + hi h) is not.
        let (mut lo, mut hi) = (0, WEEK_HOURS);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if offset(at + Duration::hours(mid)) == current {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        at += Duration::hours(hi);
        out.push((at, offset(at)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_has_one_offset_and_berlin_switches_twice_a_year() {
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let end = Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            offset_segments(chrono_tz::Asia::Shanghai, start, end),
            vec![(start, 480)]
        );
        let berlin = offset_segments(chrono_tz::Europe::Berlin, start, end);
        let utc = |m, d, h| {
            Utc.with_ymd_and_hms(2026, m, d, h, 0, 0)
                .single()
                .unwrap_or_default()
        };
        assert_eq!(
            berlin,
            vec![(start, 60), (utc(3, 29, 1), 120), (utc(10, 25, 1), 60)]
        );
    }

    #[test]
    fn a_period_centuries_back_finds_every_switch_of_the_zone() {
        let start = Utc
            .with_ymd_and_hms(32, 11, 17, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let end = Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let shanghai = offset_segments(chrono_tz::Asia::Shanghai, start, end);
        // Local mean time (+8:05:43, to the minute +485), then +8 from 1901, with the summer
        // times of the 1940s and of 1986 to 1991 in between.
        assert_eq!(shanghai.first().map(|x| x.1), Some(485));
        assert_eq!(shanghai.last().map(|x| x.1), Some(480));
        let summer_1991 = shanghai
            .iter()
            .filter(|(at, minutes)| chrono::Datelike::year(at) == 1991 && *minutes == 540)
            .count();
        assert_eq!(summer_1991, 1, "{shanghai:?}");
        assert!(
            shanghai
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 != w[1].1)
        );
    }
}
