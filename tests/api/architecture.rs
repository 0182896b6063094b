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

/// The `[dependencies]` names of a manifest beside the tests crate.
fn dependencies_of(manifest: &str) -> Vec<String> {
    manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split(['=', '.']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Every `.rs` file under `dir` (relative to the workspace), with its text.
fn sources_under(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(dir);
    let mut pending = vec![root];
    let mut found = Vec::new();
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                found.push((path, text));
            }
        }
    }
    assert!(!found.is_empty(), "no sources under {dir}");
    found
}

/// A migration never changes once released: it may not import live code of the service.
#[test]
fn migrations_depend_on_no_live_code() {
    let declared = dependencies_of(include_str!("../../migrations/Cargo.toml"));
    assert!(
        !declared.is_empty(),
        "no [dependencies] in migrations/Cargo.toml"
    );
    for name in &declared {
        assert!(!name.starts_with("duban"), "migrations depend on {name}");
    }
    for (path, text) in sources_under("migrations/src") {
        assert!(
            !text.contains("duban_"),
            "{} uses the service's code",
            path.display()
        );
    }
}

/// The HTTP adapter reaches storage through the use cases and infra, never through sea-orm.
#[test]
fn the_api_names_no_sea_orm_type() {
    let declared = dependencies_of(include_str!("../../api/Cargo.toml"));
    for forbidden in ["sea-orm", "sea-orm-migration", "sea-query", "sqlx"] {
        assert!(
            !declared.iter().any(|d| d == forbidden),
            "api depends on {forbidden}"
        );
    }
    for (path, text) in sources_under("api/src") {
        for name in ["sea_orm", "sea_query", "use sqlx"] {
            assert!(!text.contains(name), "{} names {name}", path.display());
        }
    }
}
