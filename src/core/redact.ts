// Secret redaction in one place: every sink (provenance, logs, error lines, --json, caches, the metrics history,
// registry entries) passes its text through `redact`, so API keys, tokens and passwords never land on disk or screen.

/** What an inline secret (a flag value, a URL password, a query parameter) becomes. */
export const MASK = "***";
/** What a whole option value with a secret name (apiKey, token, password) becomes in provenance. */
export const REDACTED = "[redacted]";

/** Flags whose value is a secret, in both `--flag VALUE` and `--flag=VALUE` form. */
export const SECRET_FLAGS: readonly string[] = ["--api-key", "--apikey", "--token", "--password", "--secret"];

/** Environment variables tsml or its database drivers read secrets from (pg reads PGPASSWORD itself). */
export const SECRET_ENV_VARS: readonly string[] = [
  "ALPHAVANTAGE_API_KEY",
  "TSML_TOKEN",
  "PGPASSWORD",
  "MYSQL_PWD",
  // An S3 workspace: the SDK reads these itself; the key id is masked too, as it names the account.
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
];

/**
 * Registered values shorter than this are not scrubbed as free text: replacing every "ab" would mangle output.
 * Such values are still masked where they sit in a secret flag, a URL password or a secret query parameter.
 */
export const MIN_SECRET_LENGTH = 4;

/** An option or object key whose value is a secret (camelCase option names included). */
const SECRET_NAME = /(api_?key|token|password|passwd|secret)/i;

const FLAG_VALUE = new RegExp(
  `((?:^|\\s)(?:${SECRET_FLAGS.map((f) => f.replace(/-/g, "\\-")).join("|")})(?:=|\\s+))("[^"]*"|'[^']*'|\\S+)`,
  "gi",
);
/** `scheme://user:password@host`: the last `@` before the path ends the userinfo (passwords may hold `@`). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#]*)@/gi;
/** Secret query parameters (`?apikey=`, `&token=`, `?password=`, duckdb's `motherduck_token=`...). */
const QUERY_SECRET =
  /([?&;](?:[a-z0-9_-]*(?:api_?key|api-key|token|password|passwd|secret)|key|pwd|pass)=)[^&#\s"'<>]*/gi;
/** `password=...` as a keyword anywhere (libpq-style connection strings, driver messages). */
const KEYWORD_SECRET = /(\b(?:password|passwd|apikey|api_key)=)[^&\s"'<>,;]*/gi;
const BEARER = /(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g;
/** A presigned S3 URL's credential and signature (`X-Amz-Security-Token` is caught by QUERY_SECRET). */
const AWS_QUERY = /([?&](?:X-Amz-Credential|X-Amz-Signature|AWSAccessKeyId|Signature)=)[^&#\s"'<>]*/gi;
/** An AWS Signature V4 `Authorization` header: its credential scope and signature. */
const AWS_SIGV4 = /(\b(?:Credential|Signature)=)[^,\s"'<>]+/g;

const secrets = new Set<string>();
/** Registered values and their encoded spellings, longest first so a longer secret is masked whole. */
let spellings: string[] = [];

/**
 * Remembers a secret value so that `redact` scrubs it from any text, wherever it turns up.
 * @example
 * registerSecret(process.env.PGPASSWORD);
 */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  const forms = new Set<string>();
  for (const s of secrets) {
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  spellings = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
  spellings = [];
}

/** URL passwords and secret query parameter values inside one piece of text. */
function secretsInUrls(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(URL_PASSWORD)) found.push(m[2]);
  for (const m of text.matchAll(QUERY_SECRET))
    found.push(text.slice(m.index + m[1].length).split(/[&#\s]/)[0]);
  return found.flatMap((v) => {
    try {
      const decoded = decodeURIComponent(v);
      return decoded === v ? [v] : [v, decoded];
    } catch {
      return [v];
    }
  });
}

/**
 * Registers the secrets in a command line: values of secret flags (`--api-key K`, `--token=T`) and the
 * passwords and secret parameters of every URL argument.
 * @example
 * registerSecretsFromArgv(["ingest", "db", "--url", "postgres://u:pw12@h/db"]); // registers "pw12"
 */
export function registerSecretsFromArgv(argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = (eq > 0 ? arg.slice(0, eq) : arg).toLowerCase();
    if (SECRET_FLAGS.includes(flag)) registerSecret(eq > 0 ? arg.slice(eq + 1) : argv[i + 1]);
    for (const value of secretsInUrls(arg)) registerSecret(value);
  }
}

/**
 * Registers the values of the secret environment variables (`SECRET_ENV_VARS`).
 * @example
 * registerSecretsFromEnv(process.env);
 */
export function registerSecretsFromEnv(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_ENV_VARS) registerSecret(env[name]);
}

/**
 * The text with every secret masked: registered values, secret flag values, URL passwords, secret query
 * parameters, `password=` keywords and Bearer tokens.
 * @example
 * redact("tsml ingest db --url postgres://u:pw@h/db") // "tsml ingest db --url postgres://u:***@h/db"
 */
export function redact(text: string): string {
  let out = text;
  // Registered values first: a pattern could mask only part of a value that holds spaces.
  for (const s of spellings) if (out.includes(s)) out = out.replaceAll(s, MASK);
  return out
    .replace(FLAG_VALUE, `$1${MASK}`)
    .replace(URL_PASSWORD, `$1:${MASK}@`)
    .replace(QUERY_SECRET, `$1${MASK}`)
    .replace(KEYWORD_SECRET, `$1${MASK}`)
    .replace(BEARER, `$1${MASK}`)
    .replace(AWS_QUERY, `$1${MASK}`)
    .replace(AWS_SIGV4, `$1${MASK}`);
}

/** Whether an option or field name holds a secret (apiKey, token, password, secret). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A deep copy with every string passed through `redact` (numbers, booleans and keys unchanged).
 * @example
 * redactValue({ inputs: ["https://h/q?apikey=K"] }) // { inputs: ["https://h/q?apikey=***"] }
 */
export function redactValue<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value !== null && typeof value === "object" && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out as T;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
