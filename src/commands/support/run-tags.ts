// Run tags (`--tag experiment=baseline`): key=value pairs kept on a run, as MLflow's run tags.

import { UsageError } from "../../core/errors.js";

const KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** `["a=1", "b=x=y"]` -> `{ a: "1", b: "x=y" }`; keys are letters, digits, `_ . -`. */
export function parseTags(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    if (at < 0 || !KEY.test(key))
      throw new UsageError(
        `--tag ${JSON.stringify(pair)}: expected key=value with a key of letters, digits, _ . -`,
        "e.g. --tag experiment=baseline",
      );
    tags[key] = pair.slice(at + 1);
  }
  return tags;
}
