// Walk-forward refit inputs (every bar's feature columns and label, the schedule, model and CV settings) as
// bytes, so a submitter can leave them in the shared workspace for queue workers: a JSON header, then the Float64
// columns and label, little-endian, bit for bit.

import { DataError } from "../../core/errors.js";
import { encodeFramedArrays, readFramedArrays } from "../../core/framed-arrays.js";
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
  return encodeFramedArrays(header, [...columns, y]);
}

/** The refit inputs in `bytes`; `where` names the file in the error when they are not such bytes. */
export function decodeRefitData(bytes: Uint8Array, where: string): RefitData {
  const fail = (why: string) =>
    new DataError(`${where}: not tsml walk-forward inputs (${why})`, "rerun the submitting command");
  const reader = readFramedArrays(bytes, fail);
  const header = reader.header as Header;
  if (header.format !== FORMAT || header.version !== VERSION) throw fail(`format ${header.format}`);
  if (!reader.hasBody((header.columnCount + 1) * header.rows, 0)) throw fail("wrong length");
  const columns = Array.from({ length: header.columnCount }, () => reader.float64(header.rows));
  const y = reader.float64(header.rows);
  const { format: _f, version: _v, rows: _r, columnCount: _c, ...rest } = header;
  return { ...rest, columns, y };
}
