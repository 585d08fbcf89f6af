// Reading one field of an artifact's recorded details (raw JSON) as its one type: the artifact kinds' readers
// build their typed details from these, so a field that holds something else reads as absent (null), never as a
// wrong value.

import { isoDateOrTime, parseIsoDate } from "../../frame/dates.js";

/** The details object of a raw footer, or an empty one. */
export function detailsObject(raw: unknown): Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {};
}

/** A non-empty string, else null. */
export function textField(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** A finite number, else null. */
export function numberField(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A list of strings (other members dropped), else null. */
export function textListField(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : null;
}

/**
 * The one spelling of a split date: "YYYY-MM-DD" (a full ISO time only for an intraday split), or null. Schema-v1
 * files may hold what the user typed (`2015-01`, `2015-01-02T00:00`) or epoch ms; each reads as the same date.
 * @example isoSplitDate("2015-01") // "2015-01-01"
 */
export function isoSplitDate(value: unknown): string | null {
  const ms = typeof value === "string" ? parseIsoDate(value) : numberField(value);
  return ms === null ? null : isoDateOrTime(ms);
}

/** The epoch ms of an ISO split date (as isoSplitDate writes it), or null. */
export function splitTimeOf(splitDate: string | null): number | null {
  return splitDate === null ? null : parseIsoDate(splitDate);
}
