import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../core/errors.js";
import { readWorkspaceConfig } from "./workspace-config.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A workspace folder holding tsml.json with `text`. */
function workspaceWith(name: string, text: string): string {
  const workspace = join(dir, name);
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "tsml.json"), text);
  return workspace;
}

describe("tsml.json", () => {
  it("reads every setting", () => {
    const workspace = workspaceWith(
      "all",
      JSON.stringify({
        source: "postgres://u@h/db",
        table: "bars",
        splitDate: "2016-01-04",
        features: { indicators: ["rsi:14", "macd"], labels: "up_down_tm", keepIncomplete: true },
        costBps: 5,
        commission: 1.5,
        slippageBps: 0,
      }),
    );
    expect(readWorkspaceConfig({ workspace })).toEqual({
      path: join(workspace, "tsml.json"),
      source: "postgres://u@h/db",
      table: "bars",
      splitDate: "2016-01-04",
      features: { indicators: ["rsi:14", "macd"], labels: "up_down_tm", keepIncomplete: true },
      costBps: 5,
      commission: 1.5,
      slippageBps: 0,
    });
  });

  it("is optional", () => {
    const workspace = join(dir, "none");
    mkdirSync(workspace, { recursive: true });
    const cwd = process.cwd();
    process.chdir(workspace);
    try {
      expect(readWorkspaceConfig({ workspace })).toEqual({ path: null });
    } finally {
      process.chdir(cwd);
    }
  });

  it.each([
    ["{not json", /not valid JSON/],
    ["[1]", /expected a JSON object/],
    ['{"splitdate": "2016-01-04"}', /unknown setting "splitdate"/],
    ['{"costBps": "5"}', /"costBps" must be a number >= 0/],
    ['{"costBps": -1}', /"costBps" must be a number >= 0/],
    ['{"source": ""}', /"source" must be a non-empty string/],
    ['{"features": {"set": 3}}', /"features.set" must be a string or a list/],
    ['{"features": {"sets": "x"}}', /unknown setting "features.sets"/],
    ['{"featureSet": "seed000", "features": {"set": "seed001"}}', /featureSet or features, not both/],
  ])("refuses %s as a usage error naming the file", (text, message) => {
    const workspace = workspaceWith(`bad-${Math.random().toString(36).slice(2)}`, text);
    expect(() => readWorkspaceConfig({ workspace })).toThrow(UsageError);
    expect(() => readWorkspaceConfig({ workspace })).toThrow(message);
    expect(() => readWorkspaceConfig({ workspace })).toThrow(join(workspace, "tsml.json"));
  });
});
