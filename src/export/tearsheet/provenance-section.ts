// Provenance of everything on the page: every input file with the command, time, version and seed that made
// it, and (folded) its options and the fingerprints of its own inputs, as text rather than JSON.

import { wrapTable } from "../html-tables.js";
import type { ReportInput } from "../report-data.js";
import { escapeXml as esc } from "../svg-scale.js";
import { plainValue } from "./format.js";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

function folded(input: ReportInput): string {
  const p = isObject(input.provenance) ? input.provenance : {};
  const options = isObject(p.options)
    ? Object.entries(p.options).map(([k, v]) => `<tr><th>--${esc(k)}</th><td>${esc(plainValue(v))}</td></tr>`)
    : [];
  const inputs = Array.isArray(p.inputs)
    ? p.inputs
        .filter(isObject)
        .map(
          (i) =>
            `<tr><th>input</th><td><span class="path">${esc(String(i.path ?? ""))}</span> <span class="muted">sha256 ${esc(String(i.sha256 ?? "").slice(0, 16))}</span></td></tr>`,
        )
    : [];
  const rest = Object.entries(p)
    .filter(([k]) => !["options", "inputs", "command", "createdAt", "tsmlVersion", "seed"].includes(k))
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(plainValue(v))}</td></tr>`);
  const rows = [...options, ...inputs, ...rest];
  if (rows.length === 0) return "";
  return `<details><summary>${esc(input.path)}</summary>${wrapTable(`<tbody>${rows.join("")}</tbody>`, "facts")}</details>`;
}

export function provenanceSection(inputs: readonly ReportInput[]): string {
  const body = inputs
    .map((i) => {
      const p = isObject(i.provenance) ? i.provenance : {};
      const cell = (v: unknown) => (v === undefined || v === null ? "–" : esc(plainValue(v)));
      return `<tr><td class="path">${esc(i.path)}</td><td class="nowrap">${esc(i.kind)}</td><td class="text"><code>${cell(p.command)}</code></td><td class="nowrap">${cell(typeof p.createdAt === "string" ? p.createdAt.replace("T", " ").slice(0, 19) : p.createdAt)}</td><td class="nowrap">${cell(p.tsmlVersion)}</td><td class="nowrap">${cell(p.seed)}</td></tr>`;
    })
    .join("");
  return `<h2 id="provenance">Provenance of every input</h2>${wrapTable(
    `<thead><tr><th>Artifact</th><th>Kind</th><th>Command</th><th>Created</th><th>tsml</th><th>Seed</th></tr></thead><tbody>${body}</tbody>`,
  )}${inputs.map(folded).join("")}`;
}
