// Every real file in ../shared/data (see its PROVENANCE.md) ingests with the documented counts, or is
// rejected with a clear message. Skips with a printed reason when the shared data is absent.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../src/core/errors.js";
import { isoDate } from "../src/frame/dates.js";
import { assembleBars } from "../src/ingest/bars-schema.js";
import { readCsvBars } from "../src/ingest/csv/read-csv-bars.js";
import { qualityReport } from "../src/ingest/quality-report.js";

const shared = join(import.meta.dirname, "..", "..", "shared", "data");
const present = existsSync(join(shared, "prices"));
if (!present) console.log(`skipping real-file ingest tests: ${shared} not found`);

interface Expected {
  rows: number;
  first: string;
  last: string;
  nullRows?: number;
  nullDates?: string[];
  openMissing?: number;
  zeroVolume?: number;
  zeroVolumeDates?: string[];
}

// Counts from PROVENANCE.md: rows minus the all-null rows that ingest skips.
const EXPECTED: Record<string, Expected> = {
  "2330.TW_2000-2023_yahoo.csv": { rows: 5952, first: "2000-01-04", last: "2023-11-15", zeroVolume: 107 },
  "AAPL_1980-2020_yahoo.csv": {
    rows: 10086,
    first: "1980-12-12",
    last: "2020-12-11",
    nullDates: ["1981-08-10"],
  },
  "AAPL_2004-2018_yahoo_mplfinance.csv": { rows: 3379, first: "2004-08-19", last: "2018-01-19" },
  "BTC-USD_2014-2021_yahoo_with-nulls.csv": {
    rows: 2422,
    first: "2014-09-17",
    last: "2021-05-08",
    nullDates: ["2020-04-17", "2020-10-09", "2020-10-12", "2020-10-13"],
  },
  "BTC-USD_2014-2024_yahoo.csv": { rows: 3505, first: "2014-09-17", last: "2024-04-21" },
  "GSPC_1927-2023_yahoo.csv": { rows: 24114, first: "1927-12-30", last: "2023-12-28", openMissing: 5075 },
  "GSPC_1950-2015_yahoo-legacy-desc.csv": { rows: 16403, first: "1950-01-03", last: "2015-03-12" },
  "IBM_1962-2020_yahoo.csv": {
    rows: 14840,
    first: "1962-01-02",
    last: "2020-12-11",
    zeroVolumeDates: ["1973-10-09", "1975-01-27", "1982-01-08"],
  },
  "MSFT_1986-2020_yahoo.csv": { rows: 8761, first: "1986-03-13", last: "2020-12-11" },
  "TWII_1997-2019_yahoo_with-nulls.csv": {
    rows: 5469,
    first: "1997-07-02",
    last: "2019-10-01",
    nullRows: 139,
  },
  "TWII_1997-2021_yahoo_excel-mdy.csv": {
    rows: 5786,
    first: "1997-07-03",
    last: "2021-01-15",
    nullRows: 139,
    zeroVolume: 1354,
  },
  "TIME_SERIES_DAILY_ADJUSTED_IBM_full_1999-2020.csv": {
    rows: 5309,
    first: "1999-11-01",
    last: "2020-12-04",
  },
  "TIME_SERIES_DAILY_IBM_full_2000-2018.csv": { rows: 4541, first: "2000-01-03", last: "2018-01-19" },
  "TIME_SERIES_DAILY_MSFT_full_2000-2018_unadjusted-split.csv": {
    rows: 4541,
    first: "2000-01-03",
    last: "2018-01-19",
  },
  "TIME_SERIES_DAILY_IBM_compact_2021-2022.csv": { rows: 100, first: "2021-08-30", last: "2022-01-20" },
  "DIGITAL_CURRENCY_DAILY_BTC-USD_2018-2021.csv": { rows: 1000, first: "2018-09-12", last: "2021-06-07" },
};

const csvFiles = (sub: string) =>
  existsSync(join(shared, sub))
    ? readdirSync(join(shared, sub))
        .filter((f) => f.endsWith(".csv"))
        .map((f) => join(shared, sub, f))
    : [];

describe.skipIf(!present)("real price files ingest", () => {
  for (const path of [...csvFiles("prices"), ...csvFiles("api/alphavantage/csv")]) {
    const name = path.split("/").pop()!;
    it(name, async () => {
      const bars = assembleBars([await readCsvBars(path, { ticker: "T" })]);
      const t = qualityReport(bars.frame, bars).tickers[0];
      expect(bars.frame.isSorted()).toBe(true);
      const want = EXPECTED[name];
      if (!want) return; // a file added later must at least ingest
      expect({ rows: t.rows, first: t.first, last: t.last }).toEqual({
        rows: want.rows,
        first: want.first,
        last: want.last,
      });
      if (want.nullDates) expect(bars.skippedNull.get("T")?.map(isoDate)).toEqual(want.nullDates);
      expect(t.nullRowsSkipped.count).toBe(want.nullRows ?? want.nullDates?.length ?? 0);
      expect(t.openMissing.count).toBe(want.openMissing ?? 0);
      if (want.zeroVolume !== undefined) expect(t.zeroVolume.count).toBe(want.zeroVolume);
      if (want.zeroVolumeDates) expect(t.zeroVolume.dates).toEqual(want.zeroVolumeDates);
    });
  }

  it("the two ^TWII exports (ISO and Excel M/D/YYYY) agree on shared dates", async () => {
    const a = assembleBars([
      await readCsvBars(join(shared, "prices", "TWII_1997-2019_yahoo_with-nulls.csv")),
    ]).frame;
    const b = assembleBars([
      await readCsvBars(join(shared, "prices", "TWII_1997-2021_yahoo_excel-mdy.csv")),
    ]).frame;
    const closeB = new Map(Array.from(b.time, (t, i) => [t, b.get("close")[i]]));
    let compared = 0;
    for (let i = 0; i < a.length; i++) {
      const other = closeB.get(a.time[i]);
      if (other === undefined) continue;
      compared++;
      expect(Math.abs(other - a.get("close")[i])).toBeLessThan(0.01);
    }
    expect(compared).toBeGreaterThan(5000);
  });
});

describe.skipIf(!present)("real non-bars files are rejected clearly", () => {
  for (const path of csvFiles("macro")) {
    it(path.split("/").pop()!, async () => {
      const error = await readCsvBars(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).message).toMatch(
        /no close column \(columns: (DATE|observation_date|date), /,
      );
    });
  }
});
