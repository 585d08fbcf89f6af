// Table-driven: every accepted layout and every rejected input of `tsml ingest csv`, on small inline files.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../core/errors.js";
import type { Frame } from "../../frame/frame.js";
import { type AssembledBars, assembleBars, type DedupeMode } from "../bars-schema.js";
import { parseColumnMap } from "./header-aliases.js";
import { readCsvBars } from "./read-csv-bars.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
let fileCounter = 0;

async function ingest(
  content: string | Uint8Array,
  options: { ticker?: string; map?: string[]; dedupe?: DedupeMode; name?: string } = {},
): Promise<AssembledBars> {
  const path = join(dir, options.name ?? `case${fileCounter++}.csv`);
  writeFileSync(path, content);
  const raw = await readCsvBars(path, {
    ticker: options.ticker,
    columnMap: parseColumnMap(options.map ?? []),
  });
  return assembleBars([raw], options.dedupe);
}

const YAHOO = "Date,Open,High,Low,Close,Adj Close,Volume\n";
const closes = (f: Frame) => Array.from(f.get("close"));
const dates = (f: Frame) => Array.from(f.time, (t) => new Date(t).toISOString().slice(0, 10));

interface Accepted {
  name: string;
  content: string | Uint8Array;
  options?: Parameters<typeof ingest>[1];
  check: (bars: AssembledBars) => void;
}

const accepted: Accepted[] = [
  {
    name: "Yahoo layout, no trailing newline",
    content: `${YAHOO}2020-01-02,10,11,9,10.5,10.4,100\n2020-01-03,10.5,12,10,11,10.9,200`,
    check: ({ frame }) => {
      expect(dates(frame)).toEqual(["2020-01-02", "2020-01-03"]);
      expect(closes(frame)).toEqual([10.5, 11]);
      expect(Array.from(frame.get("adj_close"))).toEqual([10.4, 10.9]);
      expect(Array.from(frame.get("volume"))).toEqual([100, 200]);
    },
  },
  {
    name: "Alpha Vantage CSV: timestamp, adjusted_close, extra columns, CRLF, descending",
    content:
      "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\r\n" +
      "2020-12-04,1,2,1,2,1.9,10,0.0000,1.0\r\n2020-12-03,1,3,1,3,2.9,10,0.0000,1.0\r\n",
    check: ({ frame }) => {
      expect(dates(frame)).toEqual(["2020-12-03", "2020-12-04"]);
      expect(closes(frame)).toEqual([3, 2]);
      expect(frame.columnNames).toEqual(["open", "high", "low", "close", "adj_close", "volume"]);
    },
  },
  {
    name: "semicolon delimiter with a BOM",
    content: `\uFEFFDate;Open;High;Low;Close\n2020-01-02;1;2;1;2\n`,
    check: ({ frame }) => expect(closes(frame)).toEqual([2]),
  },
  {
    name: "tab delimiter",
    content: "date\topen\thigh\tlow\tclose\n2020-01-02\t1\t2\t1\t1.5\n",
    check: ({ frame }) => expect(closes(frame)).toEqual([1.5]),
  },
  {
    name: "quoted numbers with thousands separators",
    content:
      'Date,Open,High,Low,Close,Volume\n2023-10-02,"16,382.96","16,460.89","16,300.00","16,400.50","57,404,594"\n',
    check: ({ frame }) => {
      expect(closes(frame)).toEqual([16400.5]);
      expect(Array.from(frame.get("high"))).toEqual([16460.89]);
      expect(Array.from(frame.get("volume"))).toEqual([57404594]);
    },
  },
  {
    name: "YYYYMMDD dates",
    content: "date,close\n20200102,5\n20200103,6\n",
    check: ({ frame }) => expect(dates(frame)).toEqual(["2020-01-02", "2020-01-03"]),
  },
  {
    name: "MM/DD/YYYY dates (Excel)",
    content: "Date,Close\n7/3/1997,5\n12/31/1997,6\n",
    check: ({ frame }) => expect(dates(frame)).toEqual(["1997-07-03", "1997-12-31"]),
  },
  {
    name: "month-name dates (vega-datasets: date,price)",
    content: 'date,price\nJan 1 2000,1394.46\nFeb 1 2000,1366.42\n"December 31, 2000",1320.28\n',
    check: ({ frame, derivedFromClose }) => {
      expect(dates(frame)).toEqual(["2000-01-01", "2000-02-01", "2000-12-31"]);
      expect(Array.from(frame.get("open"))).toEqual(closes(frame));
      expect(derivedFromClose).toEqual(["open", "high", "low"]);
    },
  },
  {
    name: "epoch seconds",
    content: "time,close\n946857600,5\n946944000,6\n",
    check: ({ frame }) => expect(dates(frame)).toEqual(["2000-01-03", "2000-01-04"]),
  },
  {
    name: "ROC (Minguo) dates with Chinese headers, leading space below year 100",
    content:
      "日期,開盤指數,最高指數,最低指數,收盤指數\n" +
      '" 99/12/31","8,100.00","8,200.00","8,000.00","8,188.11"\n' +
      '"112/10/02","16,382.96","16,460.89","16,300.00","16,400.50"\n',
    check: ({ frame }) => {
      expect(dates(frame)).toEqual(["2010-12-31", "2023-10-02"]);
      expect(closes(frame)).toEqual([8188.11, 16400.5]);
    },
  },
  {
    name: "intraday timestamps",
    content: "datetime,close\n2020-05-08 14:07:03,5\n2020-05-08T15:00:00Z,6\n",
    check: ({ frame }) => {
      expect(frame.time[0]).toBe(Date.UTC(2020, 4, 8, 14, 7, 3));
      expect(frame.time[1]).toBe(Date.UTC(2020, 4, 8, 15));
    },
  },
  {
    name: "multi-ticker file with a symbol column, sorted by ticker then date",
    content:
      "symbol,date,close\nMSFT,2020-01-03,2\nAAPL,2020-01-03,4\nMSFT,2020-01-02,1\nAAPL,2020-01-02,3\n",
    check: ({ frame }) => {
      expect(frame.groups().map((g) => g.ticker)).toEqual(["AAPL", "MSFT"]);
      expect(closes(frame)).toEqual([3, 4, 1, 2]);
    },
  },
  {
    name: "--ticker with a ticker column keeps that ticker",
    content: "ticker,date,close\nA,2020-01-02,1\nB,2020-01-02,2\n",
    options: { ticker: "B" },
    check: ({ frame }) => {
      expect(frame.tickers()).toEqual(["B"]);
      expect(closes(frame)).toEqual([2]);
    },
  },
  {
    name: "file base name as ticker",
    content: "Date,Close\n2020-01-02,1\n",
    options: { name: "SPX.csv" },
    check: ({ frame }) => expect(frame.tickers()).toEqual(["SPX"]),
  },
  {
    name: "all-null rows (Yahoo holidays) are skipped and counted",
    content: `${YAHOO}2020-01-02,1,2,1,2,2,5\n2020-01-03,null,null,null,null,null,null\n2020-01-06,2,3,2,3,3,5\n`,
    options: { ticker: "X" },
    check: ({ frame, skippedNull }) => {
      expect(frame.length).toBe(2);
      expect(skippedNull.get("X")).toEqual([day("2020-01-03")]);
    },
  },
  {
    name: "Open = 0.0 (old ^GSPC) is stored as missing and noted",
    content: `${YAHOO}1962-01-02,0.0,71.9,70.7,70.9,70.9,3120000\n`,
    options: { ticker: "GSPC" },
    check: ({ frame, openMissing }) => {
      expect(Number.isNaN(frame.get("open")[0])).toBe(true);
      expect(openMissing.get("GSPC")).toEqual([day("1962-01-02")]);
    },
  },
  {
    name: "identical duplicate rows are dropped",
    content: "Date,Close\n2020-01-02,1\n2020-01-02,1\n2020-01-03,2\n",
    check: ({ frame, identicalDuplicates }) => {
      expect(frame.length).toBe(2);
      expect(identicalDuplicates).toBe(1);
    },
  },
  {
    name: "--dedupe last keeps the later row",
    content: "Date,Close\n2020-01-02,1\n2020-01-02,5\n",
    options: { dedupe: "last" },
    check: ({ frame, dedupedRows }) => {
      expect(closes(frame)).toEqual([5]);
      expect(dedupedRows).toBe(1);
    },
  },
  {
    name: "--dedupe first keeps the earlier row",
    content: "Date,Close\n2020-01-02,1\n2020-01-02,5\n",
    options: { dedupe: "first" },
    check: ({ frame }) => expect(closes(frame)).toEqual([1]),
  },
  {
    name: "--map names an unusual column",
    content: "Datum,Schluss,Kurs\n2020-01-02,7,8\n",
    options: { map: ["Datum=date", "Kurs=close"] },
    check: ({ frame }) => expect(closes(frame)).toEqual([8]),
  },
  {
    name: "empty volume cells are missing, zero volume is kept",
    content: "Date,Close,Volume\n2020-01-02,1,\n2020-01-03,1,0\n",
    check: ({ frame }) => {
      const v = frame.get("volume");
      expect(Number.isNaN(v[0])).toBe(true);
      expect(v[1]).toBe(0);
    },
  },
];

describe("ingest csv: accepted inputs", () => {
  for (const c of accepted) {
    it(c.name, async () => c.check(await ingest(c.content, c.options)));
  }
});

interface Rejected {
  name: string;
  content?: string | Uint8Array;
  /** Path to read instead of writing content (directories, missing files). */
  path?: string;
  options?: Parameters<typeof ingest>[1];
  message: RegExp;
}

const rejected: Rejected[] = [
  { name: "empty file", content: "", message: /: empty file/ },
  { name: "whitespace only", content: " \n\n", message: /: empty file/ },
  { name: "header only", content: YAHOO, message: /header only, no data rows/ },
  {
    name: "no date column",
    content: "Open,Close\n1,2\n",
    message: /no date column \(columns: Open, Close\)/,
  },
  {
    name: "no close column (FRED CPI)",
    content: "DATE,CPIAUCSL\n1947-01-01,21.48\n",
    message: /no close column/,
  },
  {
    name: "unparseable date",
    content: "Date,Close\n2020-01-02,1\n2020-13-45,2\n",
    message: /line 3, column "Date": "2020-13-45" is not a date/,
  },
  {
    name: "non-numeric price",
    content: "Date,Close\n2020-01-02,abc\n",
    message: /line 2, column "Close": "abc" is not a number/,
  },
  {
    name: "negative price",
    content: "Date,Close\n2020-01-02,-1\n",
    message: /line 2, column "Close": price "-1" is negative/,
  },
  {
    name: "zero price",
    content: "Date,Close\n2020-01-02,0\n",
    message: /line 2, column "Close": price "0" is zero/,
  },
  { name: "infinite price", content: "Date,Close\n2020-01-02,inf\n", message: /price "inf" is infinite/ },
  {
    name: "high below low",
    content: "Date,Open,High,Low,Close\n2020-01-02,5,4,6,5\n",
    message: /line 2, column "High": high 4 is below low 6/,
  },
  {
    name: "partly null row",
    content: "Date,Open,High,Low,Close\n2020-01-02,5,6,4,null\n",
    message: /line 2, column "Close": missing value/,
  },
  {
    name: "duplicate ticker and date with different values",
    content: "Date,Close\n2020-01-02,1\n2020-01-03,2\n2020-01-02,3\n",
    message: /line 4: duplicate \S+ 2020-01-02 with different values \(also at \S+ line 2\)/,
  },
  {
    name: "ragged row",
    content: "Date,Open,Close\n2020-01-02,1,2\n2020-01-03,1\n",
    message: /line 3: ragged row \(2 fields, the header has 3\)/,
  },
  {
    name: "unterminated quote",
    content: 'Date,Close\n2020-01-02,"1\n2020-01-03,2\n',
    message: /unterminated quote/,
  },
  {
    name: "binary garbage",
    content: Uint8Array.from({ length: 2000 }, (_, i) => (i * 131 + 7) % 256),
    message: /binary data, not CSV text/,
  },
  {
    name: "HTML error page",
    content: "<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head></html>",
    message: /looks like an HTML page \("503 Service Unavailable"\)/,
  },
  {
    name: "JSON API error saved as .csv",
    content: '{\n    "Error Message": "Invalid API call. Please retry or visit the documentation."\n}',
    message: /looks like a JSON document \(Error Message: Invalid API call/,
  },
  { name: "a directory", path: dir, message: /is a directory/ },
  { name: "a missing file", path: join(dir, "nope.csv"), message: /nope\.csv: file not found/ },
];

describe("ingest csv: rejected inputs (DataError, exit 3)", () => {
  for (const c of rejected) {
    it(c.name, async () => {
      const run =
        c.path !== undefined
          ? readCsvBars(c.path).then((raw) => assembleBars([raw]))
          : ingest(c.content ?? "", c.options);
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataError);
      const message = (error as DataError).message;
      expect(message).toMatch(c.message);
      expect(message).not.toContain("\n");
      expect((error as DataError).exitCode).toBe(3);
    });
  }
});

describe("ingest csv: several files", () => {
  it("stacks files and finds duplicates across them", async () => {
    mkdirSync(join(dir, "multi"), { recursive: true });
    const a = join(dir, "multi", "A.csv");
    const b = join(dir, "multi", "B.csv");
    writeFileSync(a, "Date,Close\n2020-01-02,1\n");
    writeFileSync(b, "Date,Close\n2020-01-02,2\n");
    const bars = assembleBars([await readCsvBars(a), await readCsvBars(b)]);
    expect(bars.frame.tickers()).toEqual(["A", "B"]);
    const clash = [await readCsvBars(a, { ticker: "X" }), await readCsvBars(b, { ticker: "X" })];
    expect(() => assembleBars(clash)).toThrow(/B\.csv line 2: duplicate X 2020-01-02 .*A\.csv line 2/);
  });
});

describe("ingest csv: the byte scanner and csv-parse agree", () => {
  it("reads the same values bit for bit from a plain file and its quoted twin", async () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const plain = ["ticker,date,open,high,low,close,volume"];
    const quoted = [plain[0]];
    for (let i = 0; i < 3000; i++) {
      const close = 1 + 10 ** (random() * 5);
      // Decimals from 0 to 17 digits: short ones take the scanner's exact fast path, long ones its fallback.
      const cells = [close, close * 1.01, close * 0.99, close].map((v) => v.toFixed(i % 18));
      const date = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      const ticker = i % 3 === 0 ? "AÄ" : "B";
      plain.push([ticker, date, ...cells, String(Math.floor(random() * 1e9))].join(","));
      quoted.push([`"${ticker}"`, date, ...cells, String(Math.floor(random() * 1e9))].join(","));
    }
    seed = 11;
    const a = await ingest(`${plain.join("\n")}\n`);
    const b = await ingest(`${quoted.join("\r\n")}\r\n`);
    expect(b.frame.tickers().sort()).toEqual(["AÄ", "B"]);
    for (const name of ["open", "high", "low", "close"]) {
      const x = a.frame.get(name);
      const y = b.frame.get(name);
      for (let i = 0; i < x.length; i++)
        if (!Object.is(x[i], y[i])) expect([name, i, x[i]]).toEqual([name, i, y[i]]);
    }
    expect(Array.from(a.frame.time)).toEqual(Array.from(b.frame.time));
  });
});

describe("ingest csv: tickers found by the hash of their bytes", () => {
  it("keeps every row with its own ticker through padding, a filter and colliding hashes", async () => {
    // AHLAH and BCJDD share a 31-bit FNV-1a hash (found by search; checked here with a plain FNV-1a), so the
    // second one must take the string path every time instead of being read as the first.
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h >>> 1;
    };
    expect(fnv("AHLAH")).toBe(fnv("BCJDD"));
    const names = ["AHLAH", "BCJDD", " AHLAH\t", "\tBCJDD ", "CC", " CC", "AHLA"];
    const lines = ["ticker,date,close"];
    for (let i = 0; i < 700; i++) {
      const date = new Date(Date.UTC(2001, 0, 1) + i * 86_400_000);
      lines.push(`${names[i % names.length]},${date.toISOString().slice(0, 10)},${100 + i}`);
    }
    const { frame } = await ingest(`${lines.join("\n")}\n`);
    expect(frame.tickers().sort()).toEqual(["AHLA", "AHLAH", "BCJDD", "CC"]);
    // Row i has close 100 + i and the ticker written on it, trimmed.
    const closeOf = frame.get("close");
    for (let r = 0; r < frame.length; r++) {
      const i = closeOf[r] - 100;
      expect(frame.ticker(r)).toBe(names[i % names.length].trim());
    }
    const only = await ingest(`${lines.join("\n")}\n`, { ticker: "BCJDD" });
    expect(only.frame.length).toBe(200);
    expect(only.frame.tickers()).toEqual(["BCJDD"]);
  });
});
