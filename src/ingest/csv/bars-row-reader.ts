// Turns CSV records (arrays of cell strings) into bars columns, checking each cell where it stands so that an
// error names the file, line and column. Pure: no I/O; `read-csv-bars.ts` feeds it records from csv-parse.

import { DataError, UsageError } from "../../core/errors.js";
import type { PriceField, RawBars, RowNotes } from "../bars-schema.js";
import { PRICE_FIELDS } from "../bars-schema.js";
import { GrowableFloat64, GrowableUint32 } from "./growable-column.js";
import { type BarField, type ColumnRoles, resolveColumns } from "./header-aliases.js";
import { isMissingCell } from "./parse-number.js";
import { type RecordCells, StringCells } from "./record-cells.js";

export interface BarsRowReaderOptions {
  /** Label used in messages (the path as typed). */
  file: string;
  /** Ticker for files without a ticker column; with one, only rows of this ticker are kept. */
  ticker?: string;
  /** Ticker when neither a ticker column nor `ticker` is given (the file's base name). */
  defaultTicker: string;
  columnMap: ReadonlyMap<string, BarField>;
}

/**
 * Accepts the header record, then data records, and finally `finish()` returns the file's RawBars.
 * @example
 * const reader = new BarsRowReader({ file: "x.csv", defaultTicker: "X", columnMap: new Map() });
 * reader.accept(["Date", "Close"], 1); reader.accept(["2020-01-02", "10"], 2);
 * reader.finish().columns.get("close") // Float64Array [10]
 */
export class BarsRowReader {
  private header: string[] | null = null;
  private roles!: ColumnRoles;
  private readonly time = new GrowableFloat64();
  private readonly codes = new GrowableUint32();
  private readonly lines = new GrowableUint32();
  private readonly values = PRICE_FIELDS.map(() => new GrowableFloat64());
  private readonly tickerNames: string[] = [];
  private readonly codeOf = new Map<string, number>();
  private readonly codeOfHash = new Map<number, number>();
  private readonly skippedNull: RowNotes = new Map();
  private readonly openMissing: RowNotes = new Map();
  private filteredOut = 0;
  private readonly stringCells = new StringCells();

  constructor(private readonly options: BarsRowReaderOptions) {}

  /** Fields in the header (0 before it is read). */
  get headerLength(): number {
    return this.header?.length ?? 0;
  }

  /** One record of strings (csv-parse); `line` is its (last) line number in the file, for messages. */
  accept(record: readonly string[], line: number): void {
    this.stringCells.record = record;
    this.acceptCells(this.stringCells, line);
  }

  /** One record; numbers and dates are read through `cells` so that byte scanners can skip strings. */
  acceptCells(cells: RecordCells, line: number): void {
    if (this.header === null) {
      this.setHeader(Array.from({ length: cells.length }, (_, i) => cells.text(i)));
      return;
    }
    const roles = this.roles;
    let code = 0;
    if (roles.ticker >= 0) {
      // A ticker seen before is found by the hash of its bytes, checked byte by byte, without a string.
      const hash = cells.trimmedHash(roles.ticker);
      const hashed = hash >= 0 ? this.codeOfHash.get(hash) : undefined;
      if (hashed !== undefined && cells.trimmedEquals(roles.ticker, this.tickerNames[hashed])) code = hashed;
      else {
        const name = cells.text(roles.ticker).trim();
        if (name.length === 0) this.fail(line, roles.ticker, "empty ticker");
        const known = this.codeOf.get(name);
        if (known === undefined) {
          if (this.options.ticker !== undefined && name !== this.options.ticker) {
            this.filteredOut++;
            return;
          }
          code = this.tickerNames.length;
          this.tickerNames.push(name);
          this.codeOf.set(name, code);
        } else code = known;
        // The first ticker with a given hash keeps it; another one that collides takes the string path.
        if (hash >= 0 && hashed === undefined) this.codeOfHash.set(hash, code);
      }
    }
    const time = cells.date(roles.date);
    if (Number.isNaN(time)) {
      const dateText = cells.text(roles.date);
      if (isMissingCell(dateText)) this.fail(line, roles.date, "no date");
      this.fail(
        line,
        roles.date,
        `"${dateText}" is not a date`,
        "accepted: YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY, Jan 2 2000, epoch seconds, ROC 112/10/02",
      );
    }
    const close = this.price(cells, roles.close, line);
    const high = roles.high >= 0 ? this.price(cells, roles.high, line) : close;
    const low = roles.low >= 0 ? this.price(cells, roles.low, line) : close;
    let open = roles.open >= 0 ? this.cell(cells, roles.open, line) : close;
    if (Number.isNaN(close) || Number.isNaN(high) || Number.isNaN(low)) {
      // Yahoo lists holidays as all-`null` rows: skip them and count them; a partly empty row is an error.
      if (Number.isNaN(close) && Number.isNaN(high) && Number.isNaN(low) && Number.isNaN(open)) {
        this.note(this.skippedNull, code, time);
        return;
      }
      const col = Number.isNaN(close) ? roles.close : Number.isNaN(high) ? roles.high : roles.low;
      this.fail(
        line,
        col,
        `missing value "${cells.text(col)}"`,
        "every row needs open, high, low and close (all-null rows are skipped)",
      );
    }
    if (Number.isNaN(open) || open === 0) {
      // Old ^GSPC rows (1962-1982) carry Open = 0.0: the open is unknown, not zero. Stored as missing.
      this.note(this.openMissing, code, time);
      open = Number.NaN;
    } else if (open < 0 || open === Number.POSITIVE_INFINITY) this.badPrice(cells, roles.open, line, open);
    if (high < low) {
      this.fail(line, roles.high, `high ${high} is below low ${low}`, "check the column order or use --map");
    }
    const adjClose = roles.adj_close >= 0 ? this.cell(cells, roles.adj_close, line) : Number.NaN;
    if (adjClose <= 0 || adjClose === Number.POSITIVE_INFINITY)
      this.badPrice(cells, roles.adj_close, line, adjClose);
    const volume = roles.volume >= 0 ? this.cell(cells, roles.volume, line) : Number.NaN;
    if (volume < 0 || volume === Number.POSITIVE_INFINITY)
      this.fail(line, roles.volume, `volume "${cells.text(roles.volume)}" is negative or infinite`);
    this.time.push(time);
    this.codes.push(code);
    this.lines.push(line);
    const v = this.values;
    v[0].push(open);
    v[1].push(high);
    v[2].push(low);
    v[3].push(close);
    v[4].push(adjClose);
    v[5].push(volume);
  }

  finish(): RawBars {
    const file = this.options.file;
    if (this.header === null) throw new DataError(`${file}: empty file`, "expected a header line and rows");
    if (this.time.length === 0) {
      const nulls = [...this.skippedNull.values()].reduce((s, d) => s + d.length, 0);
      if (nulls > 0) throw new DataError(`${file}: no rows with prices (${nulls} all-null rows skipped)`);
      if (this.filteredOut > 0)
        throw new UsageError(`${file}: no rows for ticker ${this.options.ticker} in its ticker column`);
      throw new DataError(`${file}: header only, no data rows`, "the file has a header line but no rows");
    }
    const roles = this.roles;
    const columns = new Map<PriceField, Float64Array>();
    PRICE_FIELDS.forEach((field, k) => {
      if (roles[field] >= 0 || k < 4) columns.set(field, this.values[k].finish());
    });
    if (this.tickerNames.length === 0)
      this.tickerNames.push(this.options.ticker ?? this.options.defaultTicker);
    return {
      file,
      time: this.time.finish(),
      tickerCodes: this.codes.finish(),
      tickerNames: this.tickerNames,
      line: this.lines.finish(),
      columns,
      derivedFromClose: (["open", "high", "low"] as const).filter((f) => roles[f] < 0),
      skippedNull: this.skippedNull,
      openMissing: this.openMissing,
    };
  }

  private setHeader(cells: readonly string[]): void {
    const header = cells.map((c) => c.replace(/^\uFEFF/, "").trim());
    const roles = resolveColumns(header, this.options.columnMap);
    const listed = header.join(", ");
    if (roles.date < 0)
      throw new DataError(
        `${this.options.file}: no date column (columns: ${listed})`,
        'name it Date, or map it: --map "When=date"',
      );
    if (roles.close < 0)
      throw new DataError(
        `${this.options.file}: no close column (columns: ${listed})`,
        'name it Close, or map it: --map "Last Price=close"',
      );
    this.header = header;
    this.roles = roles;
  }

  /** A numeric cell: NaN when missing; garbage is an error. */
  private cell(cells: RecordCells, col: number, line: number): number {
    const value = cells.number(col);
    if (Number.isNaN(value)) {
      const text = cells.text(col);
      if (!isMissingCell(text)) this.fail(line, col, `"${text}" is not a number`);
    }
    return value;
  }

  /** A high/low/close cell: NaN when missing; negative, zero, infinite or garbage is an error. */
  private price(cells: RecordCells, col: number, line: number): number {
    const value = this.cell(cells, col, line);
    if (value <= 0 || value === Number.POSITIVE_INFINITY) this.badPrice(cells, col, line, value);
    return value;
  }

  private badPrice(cells: RecordCells, col: number, line: number, value: number): never {
    const what = value === 0 ? "zero" : value < 0 ? "negative" : "infinite";
    return this.fail(
      line,
      col,
      `price "${cells.text(col)}" is ${what}`,
      "prices must be positive and finite",
    );
  }

  private note(notes: RowNotes, code: number, time: number): void {
    const ticker = this.tickerNames[code] ?? this.options.ticker ?? this.options.defaultTicker;
    const dates = notes.get(ticker);
    if (dates) dates.push(time);
    else notes.set(ticker, [time]);
  }

  private fail(line: number, col: number, what: string, hint?: string): never {
    const column = this.header?.[col] ?? String(col + 1);
    throw new DataError(`${this.options.file}, line ${line}, column "${column}": ${what}`, hint);
  }
}
