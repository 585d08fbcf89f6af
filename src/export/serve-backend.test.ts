import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fixtureProba,
  LOGISTIC,
  modelArtifactBody,
  writeFixtureWorkspace,
} from "../../test/export-fixtures.js";
import { readJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { loadModel } from "../models/scoring/load-model.js";
import { addVersion, entryPath } from "./registry-store.js";
import { createRegistryBackend } from "./serve-backend.js";

let dir: string;
let model: Record<string, unknown>;
const tags = (ticker: string, trend = "up") => ({
  ticker,
  trend,
  classifier: LOGISTIC,
  target: "up_down_1wk",
  horizon: 5,
  predictionWindowDays: 5,
  targetPct: null,
  metrics: { accuracy: 0.6 },
  featureImportance: { f1: 0.1 },
  trainWindow: null,
  dataFingerprint: "",
});

async function register(name: string, ticker: string, artifact: Record<string, unknown>) {
  const p = await makeProvenance({ command: "test", options: {} });
  return addVersion(dir, name, p, {
    source: { path: "m.json", sha256: "" },
    tags: tags(ticker),
    model: artifact,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsml-backend-"));
  const fx = await writeFixtureWorkspace(dir);
  model = readJsonArtifact(fx.paths.model, ["model"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("serve backend with broken registry entries", () => {
  it("excludes each broken version alone, answers 503 for it, and reports it once", async () => {
    await register("SPX_up", "SPX", model);
    // No fitted state: register used to accept this, and loading it failed every route.
    const { state: _state, ...stateless } = modelArtifactBody("QQQ");
    await register("QQQ_up", "QQQ", stateless);
    // A state whose coefficients do not match the two features: loads, but cannot score a row.
    const wrong = modelArtifactBody("IWM");
    wrong.state.state.coef = [0.8];
    await register("IWM_up", "IWM", wrong);
    // Not JSON at all, named like a default <ticker>_<trend> entry.
    await register("DIA_up", "DIA", model);
    writeFileSync(join(dir, "registry", "DIA_up", "v2.json"), "{not json");
    const lines: string[] = [];
    const backend = createRegistryBackend(dir, loadModel, { report: (l) => lines.push(l) });
    await backend.reload();
    await backend.reload();
    expect(lines).toHaveLength(3);
    expect(lines.join("\n")).toMatch(/registry QQQ_up@1 excluded .*no fitted state/);
    expect(lines.join("\n")).toMatch(/registry IWM_up@1 excluded .*scoring one row/);
    expect(lines.join("\n")).toMatch(/registry DIA_up@2 excluded .*not JSON/);

    const health = await backend.health();
    expect(health).toMatchObject({ status: "degraded", models: 1 });
    expect((health.excluded as { name: string }[]).map((x) => x.name)).toEqual([
      "DIA_up",
      "IWM_up",
      "QQQ_up",
    ]);
    // Clients are not told where the workspace lives.
    expect(JSON.stringify(health)).not.toContain(dir);

    const good = await backend.predict({ model: "SPX_up", row: { f1: 0.5, f2: -1 } });
    expect(good.status).toBe(200);
    expect((good.body as { predictions: { proba: number }[] }).predictions[0].proba).toBeCloseTo(
      fixtureProba(0.5, -1),
      12,
    );
    for (const name of ["QQQ_up", "IWM_up", "DIA_up"]) {
      const r = await backend.predict({ model: name, row: { f1: 0, f2: 0 } });
      expect(r.status).toBe(503);
      expect((r.body as { error: string }).error).toMatch(new RegExp(`^model ${name}@\\d is unavailable`));
    }
    expect((await backend.prediction("QQQ", "up")).status).toBe(503);
    // DIA's tags are unreadable; its default name still ties the request to it.
    expect((await backend.prediction("DIA", "up")).status).toBe(503);
    expect((await backend.prediction("SPX", "up")).status).toBe(200);
    expect((await backend.prediction("BTC", "up")).status).toBe(404);
    expect((await backend.predict({ model: "nope", row: {} })).status).toBe(404);
    expect((await backend.models()).map((m) => (m as { name: string }).name)).toEqual(["SPX_up"]);
    // With several registered (broken ones count), the model must be named.
    expect((await backend.predict({ row: { f1: 0, f2: 0 } })).status).toBe(400);
  });

  it("excludes a served model whose file is corrupted later, and serves its fixed next version", async () => {
    const lines: string[] = [];
    const backend = createRegistryBackend(dir, loadModel, { report: (l) => lines.push(l) });
    await backend.reload();
    await register("custom", "XYZ", model);
    await backend.reload();
    const before = lines.length;
    for (const file of [entryPath(dir, "SPX_up", 1), entryPath(dir, "custom", 1)]) {
      chmodSync(file, 0o644);
      writeFileSync(file, '{"kind": "registry-entry", "trunc');
    }
    await backend.reload();
    expect(lines.slice(before)).toHaveLength(2);
    expect((await backend.predict({ model: "SPX_up", row: { f1: 0, f2: 0 } })).status).toBe(503);
    expect((await backend.prediction("SPX", "up")).status).toBe(503);
    // Not a default name: the tags of the version served from that file before tie XYZ requests to it.
    expect((await backend.prediction("XYZ", "up")).status).toBe(503);
    await register("SPX_up", "SPX", model);
    await backend.reload();
    expect((await backend.predict({ model: "SPX_up", row: { f1: 0, f2: 0 } })).status).toBe(200);
    expect((await backend.health()).excluded).not.toContainEqual(expect.objectContaining({ name: "SPX_up" }));
  });
});
