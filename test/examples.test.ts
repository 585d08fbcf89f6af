// The orchestrator examples in examples/ (Kubernetes Indexed Job, Airflow DAG with .expand(), Slurm array) parse
// as YAML, Python and bash, wire the shard the way `--shard auto` reads it, and every tsml command line in them
// is accepted by the real CLI: commander's own parser (unknown flags, missing values), the shard rules, and the
// values tsml checks first (a model family, a --fail-if gate, the shard the orchestrator's environment gives).

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../src/cli/program.js";
import { checkShardUse } from "../src/cli/shard-options.js";
import type { RunContext } from "../src/commands/support/run-context.js";
import { ExitCode } from "../src/core/errors.js";
import { parseShard } from "../src/core/shard.js";
import { parseGate } from "../src/evaluate/gates.js";
import { KNOWN_METRICS } from "../src/evaluate/metric-sets.js";
import "../src/models/all-models.js";
import { getModelFactory } from "../src/models/registry.js";

const EXAMPLES = resolve(import.meta.dirname, "..", "examples");
// Debian's python3 (python3-yaml reads the manifest; .ci/run installs it), else any python3 for ast and json.
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const hasPyYaml = spawnSync(PYTHON, ["-c", "import yaml"]).status === 0;
if (!hasPyYaml)
  console.log(
    `skipping the Kubernetes manifest check: ${PYTHON} has no yaml module (apt-get install python3-yaml)`,
  );
const hasBash = spawnSync("bash", ["-c", "true"]).status === 0;

/** Runs a Python snippet on a file and returns what it prints as JSON. */
function python(snippet: string, file: string): unknown {
  const run = spawnSync(PYTHON, ["-c", snippet, file], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

/**
 * Shell words of a script (quotes, escapes and line continuations as sh reads them; $VAR from `vars`), cut into
 * simple commands at newlines, `;`, `&&`, `||` and `|`. Enough for the examples' command lines, not all of sh.
 */
function shellCommands(script: string, vars: Record<string, string>): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const end = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const cut = () => {
    end();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const variable = (text: string, i: number): [string, number] => {
    const m = /^\$(?:\{(\w+)\}|(\w+)|(\?))/.exec(text.slice(i));
    if (!m) return ["$", i + 1];
    const name = m[1] ?? m[2] ?? m[3];
    return [vars[name] ?? `<${name}>`, i + m[0].length];
  };
  for (let i = 0; i < script.length; ) {
    const c = script[i];
    if (c === "\\" && script[i + 1] === "\n") i += 2;
    else if (c === "#" && word === null) while (i < script.length && script[i] !== "\n") i++;
    else if (c === "\n" || c === ";" || c === "|" || (c === "&" && script[i + 1] === "&")) {
      cut();
      i += c === "&" || (c === "|" && script[i + 1] === "|") ? 2 : 1;
    } else if (c === " " || c === "\t") {
      end();
      i++;
    } else if (c === "'") {
      const close = script.indexOf("'", i + 1);
      word = (word ?? "") + script.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      word ??= "";
      for (i++; script[i] !== '"'; ) {
        if (script[i] === "\\") {
          word += script[i + 1];
          i += 2;
        } else if (script[i] === "$") {
          const [value, next] = variable(script, i);
          word += value;
          i = next;
        } else word += script[i++];
      }
      i++;
    } else if (c === "$") {
      const [value, next] = variable(script, i);
      word = (word ?? "") + value;
      i = next;
    } else {
      word = (word ?? "") + c;
      i++;
    }
  }
  cut();
  return commands;
}

/** Commands that take --shard (cli/shard-options.ts); an example running them over a universe must pass it. */
const BATCH = new Set(["ingest", "features", "train", "predict", "backtest", "evaluate"]);

/**
 * Parses `tsml ...` with the real program, every action replaced by a check of what the action would get
 * first: the shard (from `env`, as --shard auto reads it) and where it may write, the model family, the gates.
 */
async function checkCommandLine(words: string[], env: NodeJS.ProcessEnv): Promise<string> {
  expect(words[0]).toBe("tsml");
  const program = buildProgram();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let ran = "";
  const replace = (command: Command) => {
    command.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    if (command.commands.length === 0)
      command.action((...params: unknown[]) => {
        const leaf = params[params.length - 1] as Command;
        const options = leaf.opts() as Record<string, unknown>;
        const globals = leaf.optsWithGlobals() as { shard?: string };
        const shard = parseShard(globals.shard, env);
        checkShardUse(leaf, options, { shard } as RunContext);
        const name = leaf.parent?.parent ? leaf.parent.name() : leaf.name();
        if (BATCH.has(name)) expect(shard, `${words.join(" ")}: --shard`).not.toBeNull();
        if (typeof options.model === "string" && name === "train")
          for (const m of options.model.split(",")) getModelFactory(m);
        for (const gate of (options.failIf as string[] | undefined) ?? []) parseGate(gate, KNOWN_METRICS);
        ran = `${name}${shard ? ` shard ${shard.label}` : ""}`;
      });
    for (const sub of command.commands) replace(sub);
  };
  for (const sub of program.commands) replace(sub);
  await program.parseAsync(words.slice(1), { from: "user" });
  return ran;
}

async function checkAll(commands: string[][], env: NodeJS.ProcessEnv): Promise<string[]> {
  const tsml = commands.filter((c) => c[0] === "tsml");
  const ran: string[] = [];
  for (const words of tsml) {
    try {
      ran.push(await checkCommandLine(words, env));
    } catch (error) {
      throw new Error(`${words.join(" ")}: ${(error as Error).message}`);
    }
  }
  return ran;
}

describe("examples", () => {
  it("the command-line check refuses what the CLI refuses", async () => {
    const env = { TSML_SHARD_INDEX: "0", TSML_SHARDS: "2" };
    await expect(checkAll([["tsml", "--shard", "auto", "features", "--no-such-flag"]], env)).rejects.toThrow(
      /unknown option/,
    );
    await expect(checkAll([["tsml", "--shard", "auto", "train", "--model", "nope"]], env)).rejects.toThrow(
      /nope/,
    );
    await expect(checkAll([["tsml", "--shard", "auto", "features", "-o", "x.parquet"]], env)).rejects.toThrow(
      /--shard/,
    );
    await expect(checkAll([["tsml", "features"]], env)).rejects.toThrow(/--shard/);
    await expect(checkAll([["tsml", "--shard", "auto", "features"]], {})).rejects.toThrow(/no shard/);
    expect(shellCommands(`tsml a "b c" 'd' \\\n e && echo "$X" # note\ntsml f`, { X: "1" })).toEqual([
      ["tsml", "a", "b c", "d", "e"],
      ["echo", "1"],
      ["tsml", "f"],
    ]);
  });

  it.skipIf(!hasPyYaml)(
    "kubernetes/tsml-shards-job.yaml: an Indexed Job whose pods run valid sharded commands",
    async () => {
      const docs = python(
        "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))",
        join(EXAMPLES, "kubernetes", "tsml-shards-job.yaml"),
      ) as {
        kind: string;
        spec: {
          completionMode: string;
          completions: number;
          template: {
            spec: {
              containers: { env: { name: string; value: string }[]; command: string[]; args: string[] }[];
            };
          };
        };
      }[];
      expect(docs).toHaveLength(1);
      const job = docs[0];
      expect(job.kind).toBe("Job");
      expect(job.spec.completionMode).toBe("Indexed");
      const container = job.spec.template.spec.containers[0];
      const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
      // The pod sees its index but not the completions count: TSML_SHARDS must say it.
      expect(env.TSML_SHARDS).toBe(String(job.spec.completions));
      expect(container.command).toEqual(["sh", "-c"]);
      const commands = shellCommands(container.args[0], env);
      const last = String(job.spec.completions - 1);
      const ran = await checkAll(commands, { ...env, JOB_COMPLETION_INDEX: last });
      expect(ran).toEqual(
        ["features", "train", "backtest", "evaluate"].map((c) => `${c} shard ${last}/${env.TSML_SHARDS}`),
      );
    },
  );

  it("airflow/tsml_shards_dag.py: valid Python that maps every stage over the shards and branches on exit 5", async () => {
    const file = join(EXAMPLES, "airflow", "tsml_shards_dag.py");
    const facts = python(
      `import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
values = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
          for t in n.targets if isinstance(t, ast.Name) and t.id in ("COMMANDS", "SHARDS", "GATE_FAILED")}
calls = sorted({n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)})
decorators = sorted({ast.unparse(d) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) for d in n.decorator_list})
print(json.dumps({**values, "calls": calls, "decorators": decorators}))`,
      file,
    ) as {
      COMMANDS: Record<string, string>;
      SHARDS: number;
      GATE_FAILED: number;
      calls: string[];
      decorators: string[];
    };
    expect(facts.calls).toContain("expand");
    expect(facts.decorators).toContain("task.branch");
    expect(facts.GATE_FAILED).toBe(ExitCode.gate);
    const text = readFileSync(file, "utf8");
    // The variables --shard auto reads first (README: Beyond one machine).
    expect(text).toMatch(/"TSML_SHARD_INDEX": str\(index\), "TSML_SHARDS": str\(SHARDS\)/);
    const env = { TSML_SHARD_INDEX: String(facts.SHARDS - 1), TSML_SHARDS: String(facts.SHARDS) };
    const ran = await checkAll(
      Object.values(facts.COMMANDS).flatMap((c) => shellCommands(c, {})),
      env,
    );
    expect(ran).toContain(`evaluate shard ${facts.SHARDS - 1}/${facts.SHARDS}`);
    expect(ran).toHaveLength(8);
    expect(facts.COMMANDS.monitor).toMatch(/--fail-if "roc_auc<0.8"/);
  });

  it.skipIf(!hasBash)(
    "slurm/tsml-shards.sbatch: bash syntax, an array, and valid sharded commands",
    async () => {
      const file = join(EXAMPLES, "slurm", "tsml-shards.sbatch");
      const syntax = spawnSync("bash", ["-n", file], { encoding: "utf8" });
      expect(syntax.status, syntax.stderr).toBe(0);
      const text = readFileSync(file, "utf8");
      const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(text);
      expect(array).not.toBeNull();
      const [min, max] = [Number(array![1]), Number(array![2])];
      // The last task of the array is the last shard: SLURM_ARRAY_TASK_MIN is subtracted.
      const env = {
        SLURM_ARRAY_TASK_ID: String(max),
        SLURM_ARRAY_TASK_MIN: String(min),
        SLURM_ARRAY_TASK_COUNT: String(max - min + 1),
        SLURM_CPUS_PER_TASK: "2",
      };
      const ran = await checkAll(shellCommands(text, env), env);
      const shard = `shard ${max - min}/${max - min + 1}`;
      expect(ran.slice(0, 5)).toEqual(
        ["ingest", "features", "train", "backtest", "evaluate"].map((c) => `${c} ${shard}`),
      );
      expect(ran).toHaveLength(8);
      // Seed 003's branch: retrain when evaluate exits 5.
      expect(text).toMatch(/if \[ "\$status" -eq 5 \]; then\n[\s\S]*tsml --shard auto train/);
    },
  );
});
