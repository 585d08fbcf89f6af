// The tickers a sharded command works on (`--shard i/N`, RunContext.shard): its own, and only its own, so N
// processes over one workspace write disjoint artifacts and every reader sees their union.

import { ownsTicker } from "../../core/shard.js";
import type { RunContext } from "./run-context.js";

/**
 * The tickers of `tickers` this process owns (all of them without --shard), in their order. Says on stderr how
 * many the shard took, so an idle shard (more shards than tickers) is visibly idle rather than silently so.
 * @example shardTickers(ctx, ["SPX", "AAPL", "MSFT"], "features") // ["AAPL"] with --shard 1/3
 */
export function shardTickers(ctx: RunContext, tickers: readonly string[], what: string): string[] {
  if (!ctx.shard) return [...tickers];
  const own = tickers.filter((t) => ownsTicker(ctx.shard, t));
  ctx.log.info(
    `${what}: shard ${ctx.shard.label} owns ${own.length} of ${tickers.length} ticker${tickers.length === 1 ? "" : "s"}`,
  );
  return own;
}

/** Whether this process owns the ticker (always without --shard). */
export function ownsShardTicker(ctx: RunContext, ticker: string): boolean {
  return ownsTicker(ctx.shard, ticker);
}

/** The summary a shard that owns none of the tickers returns (exit 0: another shard has them). */
export function emptyShard(ctx: RunContext, what: string, total?: number) {
  const of = total === undefined ? "the tickers" : `the ${total} ticker${total === 1 ? "" : "s"}`;
  ctx.print(`${what}: shard ${ctx.shard?.label} owns none of ${of}; nothing to do`);
  // Empty in each stage's own summary fields (models, predictions, tickers), so a tracked run records no results.
  return {
    shard: ctx.shard?.label ?? null,
    outputs: [] as string[],
    models: [],
    predictions: [],
    tickers: {},
  };
}
