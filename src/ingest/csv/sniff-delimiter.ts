// Delimiter sniffing: the candidate (, ; tab |) that splits the header line into the most fields.

const CANDIDATES = [",", ";", "\t", "|"] as const;

/**
 * Picks the delimiter of a CSV from its first line, counting only characters outside double quotes.
 * Comma wins ties (and single-column files), as in RFC 4180.
 * @example
 * sniffDelimiter("Date;Open;Close") // ";"
 */
export function sniffDelimiter(firstLine: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ",";
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}
