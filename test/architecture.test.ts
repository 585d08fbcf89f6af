// Import direction and cycles: stages depend inward (core < frame/metrics < artifacts/db < ingest < features <
// models < backtest < evaluate < export < commands < cli); a stage imports only *types* of earlier stages.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "src");

const RANK: Record<string, number> = {
  core: 0,
  frame: 1,
  metrics: 1,
  artifacts: 2,
  db: 2,
  queue: 2,
  ingest: 3,
  features: 4,
  models: 5,
  backtest: 6,
  evaluate: 7,
  export: 8,
  commands: 9,
  cli: 10,
};
const STAGES = new Set(["ingest", "features", "models", "backtest", "evaluate", "export"]);

interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+["'](\.[^"']+)["']|^\s*import\s+["'](\.[^"']+)["']/gm;
const DYNAMIC = /import\(\s*["'](\.[^"']+)["']\s*\)/g;

function edges(): ImportEdge[] {
  const out: ImportEdge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4];
      const typeOnly = Boolean(m[2]) || /^\s*import\s+\{\s*(type\s+[^,}]+,?\s*)+\}/.test(m[0]);
      out.push({ from: file, to: resolve(dirname(file), spec.replace(/\.js$/, ".ts")), typeOnly });
    }
    for (const m of text.matchAll(DYNAMIC)) {
      out.push({ from: file, to: resolve(dirname(file), m[1].replace(/\.js$/, ".ts")), typeOnly: false });
    }
  }
  return out;
}

const layerOf = (file: string) => relative(SRC, file).split("/")[0];

describe("architecture", () => {
  const all = edges();

  it("every src folder has a rank", () => {
    const layers = new Set(sourceFiles(SRC).map(layerOf));
    const unknown = [...layers].filter((l) => !(l in RANK) && !l.endsWith(".ts"));
    expect(unknown).toEqual([]);
  });

  it("imports point inward; stages use only the types of earlier stages", () => {
    const violations: string[] = [];
    for (const e of all) {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      if (from === to) continue;
      const rel = `${relative(SRC, e.from)} -> ${relative(SRC, e.to)}`;
      if (RANK[to] > RANK[from]) violations.push(`${rel} (imports a later layer)`);
      else if (STAGES.has(from) && STAGES.has(to) && !e.typeOnly)
        violations.push(`${rel} (stage imports a sibling stage's code)`);
      else if (RANK[to] === RANK[from]) violations.push(`${rel} (imports a sibling layer)`);
    }
    expect(violations).toEqual([]);
  });

  it("core imports nothing internal", () => {
    const bad = all.filter((e) => layerOf(e.from) === "core" && layerOf(e.to) !== "core");
    expect(bad.map((e) => relative(SRC, e.from))).toEqual([]);
  });

  it("renders terminal tables and charts in one place (src/core/terminal-*.ts)", () => {
    const outside = sourceFiles(SRC).filter(
      (file) =>
        !/\/core\/terminal-(table|chart)\.ts$/.test(file) &&
        /from\s+["'](cli-table3|asciichart)["']/.test(readFileSync(file, "utf8")),
    );
    expect(outside.map((f) => relative(SRC, f))).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map<string, string[]>();
    for (const e of all.filter((x) => !x.typeOnly)) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 2) return;
      if (state.get(node) === 1) {
        cycles.push([...path.slice(path.indexOf(node)), node].map((f) => relative(SRC, f)).join(" -> "));
        return;
      }
      state.set(node, 1);
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 2);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
