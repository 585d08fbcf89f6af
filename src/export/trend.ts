// Trend names for registry tags and queries: "up" / "down", accepting seed 001's "uptrend" / "downtrend".

/** "up", "down", or null for anything else. */
export function normalizeTrend(text: string): "up" | "down" | null {
  const t = text.trim().toLowerCase();
  if (t === "up" || t === "uptrend") return "up";
  if (t === "down" || t === "downtrend") return "down";
  return null;
}

/** The trend a target label describes: "down" when its name says so, else "up". */
export function trendOfTarget(target: string): "up" | "down" {
  return /(^|[_-])(down|fall|drop)($|[_-])/i.test(target) && !/up_down/i.test(target) ? "down" : "up";
}
