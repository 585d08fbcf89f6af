// Walk-forward refit inputs (every bar's feature columns and label, the schedule, model and CV settings) as
// bytes, so a submitter can leave them in the shared workspace for queue workers: a JSON header, then the Float64
// columns and label, little-endian, bit for bit.

import { DataError } from "../../core/errors.js";
import type { RefitData } from "./refit-task.js";

const FORMAT = "tsml-refit-data";
const VERSION = 1;

type Header = Omit<RefitData, "columns" | "y"> & {
  format: string;
  version: number;
  rows: number;
  columnCount: number;
};

/** Bytes of `data` (equal inputs give equal bytes, hence equal fingerprints). */
export function encodeRefitData(data: RefitData): Uint8Array {
  const { columns, y, ...rest } = data;
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    ...rest,
    rows: y.length,
    columnCount: columns.length,
  };
  const json = Buffer.from(JSON.stringify(header));
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const out = new Uint8Array(start + (columns.length + 1) * y.length * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 4);
  let at = start;
  for (const column of [...columns, y])
    for (const v of column) {
      view.setFloat64(at, v, true);
      at += 8;
    }
  return out;
}

/** The refit inputs in `bytes`; `where` names the file in the error when they are not such bytes. */
export function decodeRefitData(bytes: Uint8Array, where: string): RefitData {
  const fail = (why: string) =>
    new DataError(`${where}: not tsml walk-forward inputs (${why})`, "rerun the submitting command");
  if (bytes.length < 4) throw fail("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(4, 4 + length)).toString("utf8")) as Header;
  } catch {
    throw fail("unreadable header");
  }
  if (header.format !== FORMAT || header.version !== VERSION) throw fail(`format ${header.format}`);
  const start = Math.ceil((4 + length) / 8) * 8;
  if (bytes.length !== start + (header.columnCount + 1) * header.rows * 8) throw fail("wrong length");
  let at = start;
  const floats = () => {
    const out = new Float64Array(header.rows);
    for (let i = 0; i < out.length; i++, at += 8) out[i] = view.getFloat64(at, true);
    return out;
  };
  const columns = Array.from({ length: header.columnCount }, floats);
  const y = floats();
  const { format: _f, version: _v, rows: _r, columnCount: _c, ...rest } = header;
  return { ...rest, columns, y };
}
