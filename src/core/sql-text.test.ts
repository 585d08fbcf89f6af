import { describe, expect, it } from "vitest";
import { quoteIdentifier, sqlString } from "./sql-text.js";

describe("sql text", () => {
  it("quotes identifiers per dialect, doubling an embedded quote", () => {
    expect(quoteIdentifier("close")).toBe('"close"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier("close", "mysql")).toBe("`close`");
    expect(quoteIdentifier("a`b", "mysql")).toBe("`a``b`");
  });

  it("quotes string literals", () => {
    expect(sqlString("it's")).toBe("'it''s'");
  });
});
