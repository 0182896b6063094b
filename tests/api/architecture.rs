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

/// Every setting of the service has its row in the README's configuration table.
#[test]
fn the_readme_lists_every_setting() {
    let config = include_str!("../../infra/src/config.rs");
    let readme = include_str!("../../README.md");
    let fields: Vec<&str> = config
        .split("pub struct Settings {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub "))
        .filter_map(|line| line.split(':').next())
        .collect();
    assert!(
        fields.len() > 20,
        "settings not found in config.rs: {fields:?}"
    );
    let missing: Vec<String> = fields
        .iter()
        .map(|field| field.to_uppercase())
        .filter(|name| !readme.contains(&format!("| `{name}` |")))
        .collect();
    assert!(missing.is_empty(), "README lacks settings: {missing:?}");
}
