//! Small builders shared by the migrations: CHECK constraints for enum columns, foreign keys
//! and indexes. Changing what they build changes every migration that uses them: add new
//! helpers instead of editing these.

use sea_orm_migration::prelude::*;

/// `column IN (values…)`.
pub(crate) fn one_of(column: &'static str, values: &[&str]) -> SimpleExpr {
    Expr::col(Alias::new(column)).is_in(values.iter().map(|v| (*v).to_owned()))
}

/// `column IS NULL OR column IN (values…)`.
pub(crate) fn one_of_or_null(column: &'static str, values: &[&str]) -> SimpleExpr {
    Expr::col(Alias::new(column))
        .is_null()
        .or(one_of(column, values))
}

/// A foreign key to `to_table.id` that refuses deletes.
pub(crate) fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Alias::new(from_table), Alias::new(from_col))
        .to(Alias::new(to_table), Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// A plain index on `cols`.
pub(crate) fn index(table: &str, name: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(Alias::new(table));
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.take()
}
