// A typed view of a commander subcommand: each `.option("--cost-bps <bps>", ...)` adds `costBps?: string` to the
// command's option type, and `.action(runAction(...))` only compiles when the handler's option interface (the
// one the command reads) has exactly the declared flags with compatible types. A misspelt flag, an option the
// command reads that no flag sets, or a flag the command never reads is a type error, not a silent undefined.

import type { Command } from "commander";
import type { RunContext } from "../commands/support/run-context.js";

/** "cost-bps" -> "costBps" (commander's attribute name for a long flag). */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** The long name of a flag spec: "-i, --input <file>" -> "input". */
type LongName<F extends string> = F extends `${string}--${infer Rest}`
  ? Rest extends `${infer Name} ${string}`
    ? Name
    : Rest
  : never;

/** The attribute a flag sets: "--no-chart" sets `chart` (false when given). */
type Attribute<F extends string> =
  LongName<F> extends `no-${infer Positive}` ? Camel<Positive> : Camel<LongName<F>>;

/** A flag with `<value>` or `[value]` carries a string; a bare flag is a switch. */
type FlagValue<F extends string> = F extends `${string}<${string}>${string}` | `${string}[${string}]${string}`
  ? string
  : boolean;

type OptionalFlag<F extends string> = { [K in Attribute<F>]?: FlagValue<F> };
type RequiredFlag<F extends string, V> = { [K in Attribute<F>]: V };

declare const handlerOptions: unique symbol;

/** A commander action built by `runAction`, remembering (in its type only) the options its handler reads. */
export type OptionsAction<T> = ((...params: unknown[]) => Promise<void>) & {
  readonly [handlerOptions]?: (options: T) => void;
};

/** Flags the command declares that the handler's options do not have. */
type NotRead<T, O> = Exclude<keyof O, keyof T>;
/** Options the handler reads that no flag sets. */
type NotDeclared<T, O> = Exclude<keyof T, keyof O>;
/** Options whose flag value (string, boolean, string[], possibly absent) the handler's type does not accept. */
type WrongType<T, O> = {
  [K in keyof O & keyof T]: O[K] extends T[K] ? never : K;
}[keyof O & keyof T];

/** `unknown` when the flags and the handler's options agree; otherwise a type naming every difference. */
export type FlagsMatch<T, O> = [NotRead<T, O> | NotDeclared<T, O> | WrongType<T, O>] extends [never]
  ? unknown
  : {
      flagsAndOptionsDiffer: {
        declaredButNotRead: NotRead<T, O>;
        readButNotDeclared: NotDeclared<T, O>;
        typesDiffer: WrongType<T, O>;
      };
    };

/** The subset of commander's Command that the registrations use, with the declared options in `O`. */
export interface TypedCommand<O> {
  description(text: string): TypedCommand<O>;
  argument(name: string, description: string): TypedCommand<O>;
  addHelpText(position: "before" | "after", text: string): TypedCommand<O>;
  option<F extends string>(flags: F, description: string): TypedCommand<O & OptionalFlag<F>>;
  /** With a default the option is always set. */
  option<F extends string>(
    flags: F,
    description: string,
    defaultValue: string,
  ): TypedCommand<O & RequiredFlag<F, string>>;
  /** A repeatable flag: `parse` folds each value into the previous ones, starting from `defaultValue`. */
  option<F extends string, V>(
    flags: F,
    description: string,
    parse: (value: string, previous: V) => V,
    defaultValue: V,
  ): TypedCommand<O & RequiredFlag<F, V>>;
  requiredOption<F extends string>(flags: F, description: string): TypedCommand<O & RequiredFlag<F, string>>;
  action<T>(handler: OptionsAction<T> & FlagsMatch<T, O>): Command;
}

/** Starts the typed view of a freshly created subcommand (no options declared yet). */
export function typed(command: Command): TypedCommand<Record<never, never>> {
  // The one unchecked step: the methods above are commander's own, which return the same command.
  return command as unknown as TypedCommand<Record<never, never>>;
}

/** The handler signature `runAction` adapts: positional arguments, the command's options, the run context. */
export type Handler<T> = (args: string[], options: T, ctx: RunContext) => Promise<unknown>;
