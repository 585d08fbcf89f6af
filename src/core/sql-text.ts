// Quoting for the few names and strings tsml splices into SQL text (values are always bound as parameters).
// The one identifier quoter: DuckDB's Parquet queries and the database writers (db/identifier.ts validates
// user-given names first) both use it.

/** Quotes an identifier: "x" (ANSI: DuckDB, PostgreSQL), or `x` for MySQL; an embedded quote is doubled. */
export function quoteIdentifier(name: string, dialect: "ansi" | "mysql" = "ansi"): string {
  const q = dialect === "mysql" ? "`" : '"';
  return `${q}${name.replaceAll(q, q + q)}${q}`;
}

/** Quotes a string as a SQL literal ('it''s'). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
