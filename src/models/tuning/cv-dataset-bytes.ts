// A CV dataset (the training window's feature columns, labels and folds) as bytes, so a submitter can leave it in
// the shared workspace and queue workers on other machines read the very same numbers: a JSON header, then the
// Float64 columns and label, then the Uint32 fold indices, all little-endian, bit for bit.

import { DataError } from "../../core/errors.js";
import { encodeFramedArrays, readFramedArrays } from "../../core/framed-arrays.js";
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
  return encodeFramedArrays(
    header,
    [...data.columns, data.y],
    data.folds.flatMap((f) => [f.train, f.test]),
  );
}

/** The dataset in `bytes`; `where` names the file in the error when they are not one. */
export function decodeCvDataset(bytes: Uint8Array, where: string): CvDataset {
  const fail = (why: string) =>
    new DataError(
      `${where}: not a tsml CV dataset (${why})`,
      "rerun the submitting command: it writes it again",
    );
  const reader = readFramedArrays(bytes, fail);
  const header = reader.header as Header;
  if (header.format !== FORMAT || header.version !== VERSION) throw fail(`format ${header.format}`);
  const ints = header.folds.reduce((a, f) => a + f.train + f.test, 0);
  if (!reader.hasBody((header.columns + 1) * header.rows, ints)) throw fail("wrong length");
  const columns = Array.from({ length: header.columns }, () => reader.float64(header.rows));
  const y = reader.float64(header.rows);
  const folds = header.folds.map((f) => ({ train: reader.uint32(f.train), test: reader.uint32(f.test) }));
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
