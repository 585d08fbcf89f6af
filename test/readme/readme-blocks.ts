// README.md's fenced code blocks as the README test runs them: the shell blocks, their command lines with the
// README line each starts on, the `## ` section they sit in, and the `<!-- readme-test: ... -->` marker above.

/** Fence languages that are shell examples: every one is run, or marked with the reason it is not. */
export const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "zsh"]);

/** What a `<!-- readme-test: ... -->` comment right above a block says about it. */
export type Marker =
  | { kind: "skip"; reason: string }
  | { kind: "expect-exit"; code: number }
  | { kind: "given"; command: string; line: number };

export interface ReadmeCommand {
  /** 1-based README line the command starts on. */
  line: number;
  /** The command as a shell reads it (continuation lines joined). */
  text: string;
}

export interface ReadmeBlock {
  /** 1-based README line of the opening fence. */
  line: number;
  lang: string;
  /** The `## ` heading above the block ("" before the first). */
  section: string;
  /** Markers in the comment lines right above the fence (a `given` may come with a skip or expect-exit). */
  markers: Marker[];
  commands: ReadmeCommand[];
}

const MARKER = /^<!--\s*readme-test:\s*(.*?)\s*-->$/;

/** Parses one marker's text; a marker the test does not understand is an error, not a silent pass. */
export function parseMarker(text: string, line: number): Marker {
  const skip = /^skip\s+\((.+)\)$/.exec(text);
  if (skip) return { kind: "skip", reason: skip[1] };
  const exit = /^expect-exit\s+(\d+)$/.exec(text);
  if (exit) return { kind: "expect-exit", code: Number(exit[1]) };
  const given = /^given:\s+(.+)$/.exec(text);
  if (given) return { kind: "given", command: given[1], line };
  throw new Error(
    `README.md:${line}: unknown marker "readme-test: ${text}" (skip (REASON), expect-exit N, given: COMMAND)`,
  );
}

/**
 * Command lines of a shell block: `\` continuations joined, blank and comment-only lines dropped; in a
 * `console` block only the `$ ` lines are commands (the rest is their output).
 */
export function blockCommands(body: string[], firstLine: number, lang: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let pending: ReadmeCommand | null = null;
  body.forEach((raw, i) => {
    let text = raw;
    if (pending === null) {
      if (lang === "console") {
        if (!text.startsWith("$ ")) return;
        text = text.slice(2);
      }
      if (text.trim() === "" || text.trimStart().startsWith("#")) return;
      pending = { line: firstLine + i, text: "" };
    }
    if (text.endsWith("\\")) {
      pending.text += `${text.slice(0, -1)} `;
      return;
    }
    pending.text = (pending.text + text).trim();
    commands.push(pending);
    pending = null;
  });
  if (pending !== null) commands.push(pending);
  return commands;
}

/** Every fenced block of the README, in order. */
export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split("\n");
  const blocks: ReadmeBlock[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]);
    if (heading) section = heading[1];
    const fence = /^```(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const start = i;
    const close = lines.findIndex((l, j) => j > start && /^```\s*$/.test(l));
    if (close < 0) throw new Error(`README.md:${start + 1}: code block is never closed`);
    const markers: Marker[] = [];
    for (let j = start - 1; j >= 0; j--) {
      const m = MARKER.exec(lines[j].trim());
      if (!m) break;
      markers.unshift(parseMarker(m[1], j + 1));
    }
    const lang = fence[1];
    const body = lines.slice(start + 1, close);
    blocks.push({
      line: start + 1,
      lang,
      section,
      markers,
      commands: SHELL_LANGUAGES.has(lang) ? blockCommands(body, start + 2, lang) : [],
    });
    i = close;
  }
  return blocks;
}

/**
 * An untagged block that starts like a command line: it must say what it is (`sh` to run it, `text` for a
 * synopsis or output), so that no example escapes the test by leaving its fence bare.
 */
export function looksLikeUntaggedCommand(readme: string, block: ReadmeBlock): boolean {
  if (block.lang !== "") return false;
  const first = readme.split("\n")[block.line] ?? "";
  return /^(\$ |tsml\b|npm\b|curl\b|cat\b)/.test(first.trim());
}
