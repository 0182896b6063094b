//! The hexagonal boundary holds: the domain crate depends on no IO crate.

#[test]
fn domain_depends_on_no_io_crate() {
    let manifest = include_str!("../../domain/Cargo.toml");
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default();
    let declared: Vec<&str> = dependencies
        .lines()
        .filter_map(|line| line.split(['=', '.']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect();
    assert!(
        !declared.is_empty(),
        "no [dependencies] found in domain/Cargo.toml"
    );
    for forbidden in [
        "tokio",
        "sea-orm",
        "sqlx",
        "poem",
        "poem-openapi",
        "argon2",
        "reqwest",
        "serde_json",
        "tracing",
    ] {
        assert!(
            !declared.contains(&forbidden),
            "domain depends on {forbidden}"
        );
    }
    let allowed = ["thiserror", "uuid", "chrono", "chrono-tz", "serde"];
    for name in &declared {
        assert!(
            allowed.contains(name),
            "domain gained the dependency `{name}`: is it pure?"
        );
    }
}
