// Frame: a table as named Float64Array columns plus a time column (epoch ms, UTC) and a
// dictionary-encoded ticker column. Panels (many tickers) are sorted by ticker, then time.

import { DataError } from "../core/errors.js";

/** Rows [start, end) that belong to one ticker in a sorted panel. */
export interface TickerRange {
  ticker: string;
  start: number;
  end: number;
}

export interface FrameInit {
  /** Epoch milliseconds (UTC); dates are midnight UTC. */
  time: Float64Array;
  /** Integer codes into `tickerNames`, one per row. */
  tickerCodes: Uint32Array;
  tickerNames: readonly string[];
  /** Numeric columns in display order. NaN means missing. */
  columns: ReadonlyMap<string, Float64Array>;
  /** Rare non-numeric columns (model ids, notes); never used in hot paths. */
  text?: ReadonlyMap<string, readonly (string | null)[]>;
}

export class Frame {
  readonly time: Float64Array;
  readonly tickerCodes: Uint32Array;
  readonly tickerNames: readonly string[];
  readonly columns: ReadonlyMap<string, Float64Array>;
  readonly text: ReadonlyMap<string, readonly (string | null)[]>;

  constructor(init: FrameInit) {
    const n = init.time.length;
    if (init.tickerCodes.length !== n)
      throw new DataError(`frame: ticker column has ${init.tickerCodes.length} rows, time has ${n}`);
    for (const [name, values] of init.columns) {
      if (values.length !== n)
        throw new DataError(`frame: column "${name}" has ${values.length} rows, time has ${n}`);
    }
    this.time = init.time;
    this.tickerCodes = init.tickerCodes;
    this.tickerNames = init.tickerNames;
    this.columns = init.columns;
    this.text = init.text ?? new Map();
  }

  /** A single-ticker frame from plain columns. */
  static fromColumns(
    ticker: string,
    time: Float64Array,
    columns: Record<string, Float64Array> | ReadonlyMap<string, Float64Array>,
  ): Frame {
    const map = columns instanceof Map ? columns : new Map(Object.entries(columns));
    return new Frame({
      time,
      tickerCodes: new Uint32Array(time.length),
      tickerNames: [ticker],
      columns: map,
    });
  }

  /** An empty frame with the given numeric column names. */
  static empty(names: readonly string[] = []): Frame {
    return new Frame({
      time: new Float64Array(0),
      tickerCodes: new Uint32Array(0),
      tickerNames: [],
      columns: new Map(names.map((n) => [n, new Float64Array(0)])),
    });
  }

  get length(): number {
    return this.time.length;
  }

  get columnNames(): string[] {
    return [...this.columns.keys()];
  }

  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** A numeric column; a clear error naming the available columns if it is missing. */
  get(name: string): Float64Array {
    const values = this.columns.get(name);
    if (!values) {
      throw new DataError(`column "${name}" not found (columns: ${this.columnNames.join(", ") || "none"})`);
    }
    return values;
  }

  ticker(row: number): string {
    return this.tickerNames[this.tickerCodes[row]];
  }

  /** Distinct tickers present, in code order. */
  tickers(): string[] {
    const seen = new Uint8Array(this.tickerNames.length);
    for (let i = 0; i < this.tickerCodes.length; i++) seen[this.tickerCodes[i]] = 1;
    return this.tickerNames.filter((_, code) => seen[code] === 1);
  }

  /** A frame sharing arrays, with one numeric column added or replaced. */
  with(name: string, values: Float64Array): Frame {
    const columns = new Map(this.columns);
    columns.set(name, values);
    return new Frame({ ...this.init(), columns });
  }

  /** A frame sharing arrays, with a text column added or replaced. */
  withText(name: string, values: readonly (string | null)[]): Frame {
    const text = new Map(this.text);
    text.set(name, values);
    return new Frame({ ...this.init(), text });
  }

  /** Only the named numeric columns (in that order); text columns are kept. */
  select(names: readonly string[]): Frame {
    return new Frame({ ...this.init(), columns: new Map(names.map((n) => [n, this.get(n)])) });
  }

  drop(names: readonly string[]): Frame {
    const dropped = new Set(names);
    const columns = new Map([...this.columns].filter(([n]) => !dropped.has(n)));
    const text = new Map([...this.text].filter(([n]) => !dropped.has(n)));
    return new Frame({ ...this.init(), columns, text });
  }

  /** Rows [start, end) as views (no copy). */
  slice(start: number, end: number = this.length): Frame {
    const columns = new Map<string, Float64Array>();
    for (const [n, v] of this.columns) columns.set(n, v.subarray(start, end));
    const text = new Map<string, readonly (string | null)[]>();
    for (const [n, v] of this.text) text.set(n, v.slice(start, end));
    return new Frame({
      time: this.time.subarray(start, end),
      tickerCodes: this.tickerCodes.subarray(start, end),
      tickerNames: this.tickerNames,
      columns,
      text,
    });
  }

  /** Rows at the given indices, copied. */
  take(indices: Uint32Array | readonly number[]): Frame {
    const n = indices.length;
    const time = new Float64Array(n);
    const codes = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      time[i] = this.time[indices[i]];
      codes[i] = this.tickerCodes[indices[i]];
    }
    const columns = new Map<string, Float64Array>();
    for (const [name, src] of this.columns) {
      const dst = new Float64Array(n);
      for (let i = 0; i < n; i++) dst[i] = src[indices[i]];
      columns.set(name, dst);
    }
    const text = new Map<string, (string | null)[]>();
    for (const [name, src] of this.text)
      text.set(
        name,
        Array.from(indices, (i) => src[i]),
      );
    return new Frame({ time, tickerCodes: codes, tickerNames: this.tickerNames, columns, text });
  }

  /** Rows where `mask[i]` is non-zero. */
  filter(mask: Uint8Array): Frame {
    let count = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) count++;
    if (count === this.length) return this;
    const indices = new Uint32Array(count);
    let k = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) indices[k++] = i;
    return this.take(indices);
  }

  /** Row ranges per ticker; requires the frame to be grouped by ticker (see `sortByTickerTime`). */
  groups(): TickerRange[] {
    const out: TickerRange[] = [];
    const n = this.length;
    let start = 0;
    for (let i = 1; i <= n; i++) {
      if (i === n || this.tickerCodes[i] !== this.tickerCodes[start]) {
        out.push({ ticker: this.ticker(start), start, end: i });
        start = i;
      }
    }
    return n === 0 ? [] : out;
  }

  /** True when rows are grouped by ticker and strictly increasing in time within each ticker. */
  isSorted(): boolean {
    const seen = new Set<number>();
    for (let i = 0; i < this.length; i++) {
      const code = this.tickerCodes[i];
      if (i > 0 && code === this.tickerCodes[i - 1]) {
        if (!(this.time[i] > this.time[i - 1])) return false;
      } else {
        if (seen.has(code)) return false;
        seen.add(code);
      }
    }
    return true;
  }

  /** Rows sorted by ticker name, then time (stable). Returns `this` when already sorted. */
  sortByTickerTime(): Frame {
    if (this.isSorted()) return this;
    const order = Array.from({ length: this.length }, (_, i) => i);
    const names = this.tickerNames;
    order.sort((a, b) => {
      const ta = names[this.tickerCodes[a]];
      const tb = names[this.tickerCodes[b]];
      if (ta !== tb) return ta < tb ? -1 : 1;
      return this.time[a] - this.time[b] || a - b;
    });
    return this.take(order);
  }

  /** Rows of one ticker (copied when the frame is a panel). */
  forTicker(ticker: string): Frame {
    const code = this.tickerNames.indexOf(ticker);
    if (code < 0) throw new DataError(`ticker "${ticker}" not found (tickers: ${this.tickers().join(", ")})`);
    const mask = new Uint8Array(this.length);
    for (let i = 0; i < this.length; i++) mask[i] = this.tickerCodes[i] === code ? 1 : 0;
    return this.filter(mask);
  }

  /** Stacks frames with the same numeric columns; ticker dictionaries are merged. */
  static concat(frames: readonly Frame[]): Frame {
    if (frames.length === 0) return Frame.empty();
    if (frames.length === 1) return frames[0];
    const names = frames[0].columnNames;
    const textNames = [...frames[0].text.keys()];
    const total = frames.reduce((s, f) => s + f.length, 0);
    const tickerNames: string[] = [];
    const codeOf = new Map<string, number>();
    const time = new Float64Array(total);
    const codes = new Uint32Array(total);
    const columns = new Map(names.map((n) => [n, new Float64Array(total)]));
    const text = new Map(textNames.map((n) => [n, [] as (string | null)[]]));
    let offset = 0;
    for (const f of frames) {
      for (const n of names) {
        if (!f.has(n)) throw new DataError(`cannot stack tables: column "${n}" missing in one of them`);
        columns.get(n)!.set(f.get(n), offset);
      }
      for (const n of textNames) text.get(n)!.push(...(f.text.get(n) ?? new Array(f.length).fill(null)));
      time.set(f.time, offset);
      const remap = f.tickerNames.map((t) => {
        let c = codeOf.get(t);
        if (c === undefined) {
          c = tickerNames.length;
          tickerNames.push(t);
          codeOf.set(t, c);
        }
        return c;
      });
      for (let i = 0; i < f.length; i++) codes[offset + i] = remap[f.tickerCodes[i]];
      offset += f.length;
    }
    return new Frame({ time, tickerCodes: codes, tickerNames, columns, text });
  }

  private init(): FrameInit {
    return {
      time: this.time,
      tickerCodes: this.tickerCodes,
      tickerNames: this.tickerNames,
      columns: this.columns,
      text: this.text,
    };
  }
}
