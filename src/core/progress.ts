// A progress bar on stderr for long loops (tickers, folds, epochs); plain lines when stderr is not a TTY.

export interface Progress {
  tick(label?: string, amount?: number): void;
  done(): void;
}

const silent: Progress = { tick() {}, done() {} };

/**
 * @example
 * const bar = createProgress(tickers.length, "features", { enabled: !quiet });
 * for (const t of tickers) { work(t); bar.tick(t); }
 * bar.done();
 */
export function createProgress(
  total: number,
  title: string,
  options: { enabled: boolean; stream?: NodeJS.WriteStream } = { enabled: true },
): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled || total <= 1) return silent;
  const tty = Boolean(stream.isTTY);
  let count = 0;
  let lastDraw = 0;
  let lastLinePercent = -10;
  const started = Date.now();
  const draw = (label: string) => {
    const fraction = Math.min(1, count / total);
    if (tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`\r${title} [${bar}] ${count}/${total} ${secs}s ${label}`.slice(0, 100).padEnd(100));
    } else {
      const percent = Math.floor(fraction * 100);
      if (percent - lastLinePercent >= 10 || count === total) {
        lastLinePercent = percent;
        stream.write(`${title}: ${count}/${total} (${percent}%) ${label}\n`);
      }
    }
  };
  return {
    tick(label = "", amount = 1) {
      count += amount;
      const now = Date.now();
      if (now - lastDraw > 100 || count >= total) {
        lastDraw = now;
        draw(label);
      }
    },
    done() {
      if (tty) stream.write("\n");
    },
  };
}
