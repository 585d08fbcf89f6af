// Opens an HTML file in real headless Chromium (Debian's `chromium`): the DOM after scripts ran, console
// messages, and a screenshot decoded to count drawn (non-white) pixels. Null when Chromium is absent.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
];

export interface BrowserRun {
  dom: string;
  /** Console output lines Chromium logged for the page (errors included). */
  console: string[];
  /** Share of screenshot pixels that are not near-white. */
  inkShare: number;
  width: number;
  height: number;
}

export function openInChromium(htmlPath: string, bin: string): BrowserRun {
  const profile = mkdtempSync(join(tmpdir(), "tsml-chromium-"));
  try {
    const url = pathToFileURL(htmlPath).href;
    const common = [...FLAGS, `--user-data-dir=${profile}`, "--enable-logging=stderr", "--v=0"];
    const dom = spawnSync(bin, [...common, "--virtual-time-budget=3000", "--dump-dom", url], {
      encoding: "utf8",
      timeout: 60_000,
    });
    const png = join(profile, "shot.png");
    const shot = spawnSync(bin, [...common, `--screenshot=${png}`, "--window-size=1280,2000", url], {
      encoding: "utf8",
      timeout: 60_000,
    });
    const logs = `${dom.stderr}\n${shot.stderr}`
      .split("\n")
      .filter((l) => /CONSOLE|Uncaught|console/i.test(l));
    const image = decodePng(readFileSync(png));
    return { dom: dom.stdout, console: logs, ...image };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Minimal PNG decoder for 8-bit RGB/RGBA (what Chromium writes): returns the share of non-white pixels. */
export function decodePng(buf: Buffer): { inkShare: number; width: number; height: number } {
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8) throw new Error(`PNG bit depth ${data[8]} not supported`);
      colorType = data[9];
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!channels) throw new Error(`PNG colour type ${colorType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  let ink = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels] : 0;
      const b = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 255;
    }
    for (let x = 0; x < stride; x += channels)
      if (cur[x] < 235 || cur[x + 1] < 235 || cur[x + 2] < 235) ink++;
    prev.set(cur);
  }
  return { inkShare: ink / (width * height), width, height };
}
