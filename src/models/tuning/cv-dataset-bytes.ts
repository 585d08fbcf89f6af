// A CV dataset (the training window's feature columns, labels and folds) as bytes, so a submitter can leave it in
// the shared workspace and queue workers on other machines read the very same numbers: a JSON header, then the
// Float64 columns and label, then the Uint32 fold indices, all little-endian, bit for bit.

import { DataError } from "../../core/errors.js";
import type { CvDataset } from "./fold-task.js";

const FORMAT = "tsml-cv-dataset";
const VERSION = 1;

interface Header {
  format: string;
  version: number;
  model: string;
  scoring: CvDataset["scoring"];
  classWeight: CvDataset["classWeight"];
  seed: number;
  rows: number;
  columns: number;
  folds: { train: number; test: number }[];
}

/** Bytes of `data` (deterministic: equal datasets give equal bytes, hence equal fingerprints). */
export function encodeCvDataset(data: CvDataset): Uint8Array {
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    model: data.model,
    scoring: data.scoring,
    classWeight: data.classWeight,
    seed: data.seed,
    rows: data.y.length,
    columns: data.columns.length,
    folds: data.folds.map((f) => ({ train: f.train.length, test: f.test.length })),
  };
  const json = Buffer.from(JSON.stringify(header));
  // Padded so the Float64 block starts on an 8-byte boundary.
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const floats = (data.columns.length + 1) * data.y.length;
  const ints = data.folds.reduce((a, f) => a + f.train.length + f.test.length, 0);
  const out = new Uint8Array(start + floats * 8 + ints * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 4);
  let at = start;
  for (const column of [...data.columns, data.y])
    for (const v of column) {
      view.setFloat64(at, v, true);
      at += 8;
    }
  for (const fold of data.folds)
    for (const part of [fold.train, fold.test])
      for (const i of part) {
        view.setUint32(at, i, true);
        at += 4;
      }
  return out;
}

/** The dataset in `bytes`; `where` names the file in the error when they are not one. */
export function decodeCvDataset(bytes: Uint8Array, where: string): CvDataset {
  const fail = (why: string) =>
    new DataError(
      `${where}: not a tsml CV dataset (${why})`,
      "rerun the submitting command: it writes it again",
    );
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
  const ints = header.folds.reduce((a, f) => a + f.train + f.test, 0);
  if (bytes.length !== start + (header.columns + 1) * header.rows * 8 + ints * 4) throw fail("wrong length");
  let at = start;
  const floats = () => {
    const out = new Float64Array(header.rows);
    for (let i = 0; i < out.length; i++, at += 8) out[i] = view.getFloat64(at, true);
    return out;
  };
  const columns = Array.from({ length: header.columns }, floats);
  const y = floats();
  const indices = (n: number) => {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++, at += 4) out[i] = view.getUint32(at, true);
    return out;
  };
  const folds = header.folds.map((f) => ({ train: indices(f.train), test: indices(f.test) }));
  return {
    model: header.model,
    columns,
    y,
    folds,
    scoring: header.scoring,
    classWeight: header.classWeight,
    seed: header.seed,
  };
}
