// Every table tsml prints to a terminal is made here, so the commands share one look (cyan headers and grey
// borders on a colour terminal, plain text otherwise) and one table library.

import Table from "cli-table3";

export type TableCell = string | number;

export interface TerminalTable {
  push(...rows: TableCell[][]): void;
  toString(): string;
}

export interface TerminalTableStyle {
  /** Colour headers and borders (the run context's `color`: a TTY without NO_COLOR). */
  color: boolean;
  /** No separator lines between rows, for long metric lists. */
  compact?: boolean;
}

/**
 * @example const t = terminalTable(["metric", "value"], { color: false }); t.push(["sharpe", "1.02"]); t.toString()
 */
export function terminalTable(head: readonly TableCell[], style: TerminalTableStyle): TerminalTable {
  return new Table({
    head: head.map(String),
    style: {
      head: style.color ? ["cyan"] : [],
      border: style.color ? ["grey"] : [],
      compact: style.compact ?? false,
    },
  }) as unknown as TerminalTable;
}
