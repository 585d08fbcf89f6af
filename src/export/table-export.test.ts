import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGISTIC, writeFixtureWorkspace } from "../../test/export-fixtures.js";
import { duckdb, sqlString } from "../artifacts/duckdb-engine.js";
import { readTable } from "../artifacts/table-io.js";
import { Frame } from "../frame/frame.js";
import { formatJsonArtifact } from "./json-export.js";
import { exportTable } from "./table-export.js";

let dir: string;
let fixture: Awaited<ReturnType<typeof writeFixtureWorkspace>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsml-export-"));
  fixture = await writeFixtureWorkspace(join(dir, "ws"), { rows: 9000 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => line.split(","));
}

describe("exportTable", () => {
  it("CSV round-trips every cell (NaN as empty) across chunk boundaries, and DuckDB reads it back", async () => {
    const { frame, meta } = await readTable(fixture.paths.predictions);
    const out = join(dir, "p.csv");
    await exportTable(frame, meta, "csv", out, { sidecar: true });
    const rows = parseCsv(readFileSync(out, "utf8"));
    expect(rows[0]).toEqual(["ticker", "date", "pred", "proba", "label", "price", "model_id"]);
    expect(rows).toHaveLength(frame.length + 1);
    const proba = frame.get("proba");
    const label = frame.get("label");
    for (const i of [0, 4095, 4096, 8999]) {
      expect(rows[i + 1][1]).toBe(new Date(frame.time[i]).toISOString().slice(0, 10));
      expect(Number(rows[i + 1][3])).toBe(proba[i]);
      expect(rows[i + 1][4]).toBe(Number.isNaN(label[i]) ? "" : String(label[i]));
    }
    expect(JSON.parse(readFileSync(`${out}.meta.json`, "utf8")).kind).toBe("predictions");
    const db = await duckdb();
    const r = await db.runAndReadAll(
      `SELECT count(*), sum(proba), count(label) FROM read_csv(${sqlString(out)})`,
    );
    const [count, sum, labelled] = r.getRows()[0].map(Number);
    expect(count).toBe(frame.length);
    expect(sum).toBeCloseTo(
      proba.reduce((a, b) => a + b, 0),
      6,
    );
    expect(labelled).toBe(label.filter((v) => !Number.isNaN(v)).length);
  });

  it("JSON keeps the provenance in meta and rows parse back exactly", async () => {
    const { frame, meta } = await readTable(fixture.paths.backtest);
    const out = join(dir, "b.json");
    await exportTable(frame, meta, "json", out);
    const parsed = JSON.parse(readFileSync(out, "utf8"));
    expect(parsed.meta.kind).toBe("backtest");
    expect(parsed.meta.provenance.command).toBe("test fixture");
    expect(parsed.rows).toHaveLength(frame.length);
    const equity = frame.get("equity");
    expect(parsed.rows.map((row: Record<string, unknown>) => row.equity)).toEqual(Array.from(equity));
    const firstTestRow = parsed.rows.findIndex((r: Record<string, unknown>) => r.profit_cumul_test !== null);
    expect(parsed.rows[firstTestRow - 1].profit_cumul_test).toBeNull();
  });

  it("NDJSON is one object per line", async () => {
    const { frame, meta } = await readTable(fixture.paths.predictions);
    const out = join(dir, "p.ndjson");
    await exportTable(frame, meta, "ndjson", out);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(frame.length);
    const last = JSON.parse(lines[lines.length - 1]);
    expect(last.model_id).toBe(LOGISTIC);
    expect(last.proba).toBe(frame.get("proba")[frame.length - 1]);
  });

  it("Parquet keeps tsml metadata and DuckDB reads the same values", async () => {
    const { frame, meta } = await readTable(fixture.paths.predictions);
    const out = join(dir, "p.parquet");
    await exportTable(frame, meta, "parquet", out);
    const back = await readTable(out);
    expect(back.meta?.provenance.command).toBe("test fixture");
    expect(Array.from(back.frame.get("proba"))).toEqual(Array.from(frame.get("proba")));
    const db = await duckdb();
    const r = await db.runAndReadAll(
      `SELECT max(proba), min(date)::VARCHAR FROM read_parquet(${sqlString(out)})`,
    );
    const [max, min] = r.getRows()[0];
    expect(Number(max)).toBe(Math.max(...frame.get("proba")));
    expect(min).toBe("2020-01-01");
  });

  it("quotes CSV cells holding commas and quotes", async () => {
    const f = Frame.fromColumns("A,B", Float64Array.of(Date.UTC(2021, 0, 1, 12)), {
      x: Float64Array.of(1.5),
    }).withText("note", ['say "hi", ok']);
    const out = join(dir, "q.csv");
    await exportTable(f, null, "csv", out);
    expect(readFileSync(out, "utf8")).toBe(
      'ticker,date,x,note\n"A,B",2021-01-01T12:00:00.000Z,1.5,"say ""hi"", ok"\n',
    );
  });

  it("flattens a JSON artifact to key,value CSV", () => {
    const text = formatJsonArtifact(
      { kind: "metrics", test: { accuracy: 0.5 }, tags: ["a"] },
      "csv",
      "m.json",
    );
    expect(text.split("\n")).toContain("test.accuracy,0.5");
    expect(text.split("\n")).toContain("tags.0,a");
    expect(() => formatJsonArtifact({}, "parquet", "m.json")).toThrow(/cannot be written as parquet/);
  });
});
