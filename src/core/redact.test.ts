import { afterEach, describe, expect, it } from "vitest";
import {
  clearSecrets,
  isSecretName,
  MASK,
  redact,
  redactValue,
  registerSecret,
  registerSecretsFromArgv,
  registerSecretsFromEnv,
} from "./redact.js";

afterEach(() => clearSecrets());

describe("redact: patterns (no registration needed)", () => {
  it.each([
    ["tsml ingest alphavantage --api-key K3YV4LUE --symbol IBM", "K3YV4LUE"],
    ["tsml ingest alphavantage --api-key=K3YV4LUE --symbol IBM", "K3YV4LUE"],
    ["tsml serve --token T0KENVALUE", "T0KENVALUE"],
    ["x --password 'pw with' y", "pw with"],
    ["tsml ingest db --url postgres://postgres:PAss@w0rd@127.0.0.1/test --table t", "PAss@w0rd"],
    ["postgresql://u:hunter22@db:5432/prices", "hunter22"],
    ["mysql://root:s3cr3tpw@127.0.0.1:3306/test", "s3cr3tpw"],
    ["mariadb://root:s3cr3tpw@h/test", "s3cr3tpw"],
    ["https://www.alphavantage.co/query?function=X&apikey=ABCDEF12&symbol=IBM", "ABCDEF12"],
    ["https://h/q?api_key=ABCDEF12", "ABCDEF12"],
    ["https://h/q?token=ABCDEF12#frag", "ABCDEF12"],
    ["postgres://u@h/db?sslmode=require&password=ABCDEF12", "ABCDEF12"],
    ["duckdb:md:prices?motherduck_token=ABCDEF12", "ABCDEF12"],
    ["host=h user=u password=ABCDEF12 dbname=d", "ABCDEF12"],
    ["Authorization: Bearer abc.DEF-123_xyz", "abc.DEF-123_xyz"],
    [
      "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE7%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=ab12cd34",
      "AKIAEXAMPLE7",
    ],
    ["https://b.s3.amazonaws.com/k?X-Amz-Signature=ab12cd34ef56&X-Amz-Expires=900", "ab12cd34ef56"],
    ["https://b.s3.amazonaws.com/k?X-Amz-Security-Token=FQoGZXIvYXdz&x=1", "FQoGZXIvYXdz"],
    [
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE7/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5f",
      "fe5f80f77d5f",
    ],
  ])("masks the secret in %s", (text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(MASK);
  });

  it("keeps everything that is not a secret", () => {
    const text =
      "tsml ingest db --url postgres://postgres@127.0.0.1:5432/test --table bars --to-db duckdb:x.duckdb";
    expect(redact(text)).toBe(text);
    expect(redact("http://127.0.0.1:8080/query?function=RSI&symbol=IBM")).toBe(
      "http://127.0.0.1:8080/query?function=RSI&symbol=IBM",
    );
    expect(redact("postgres://u:pw@h:5432/d?sslmode=require")).toBe(
      "postgres://u:***@h:5432/d?sslmode=require",
    );
    expect(redact("monkey=1 token_count 42 --tokens 3")).toBe("monkey=1 token_count 42 --tokens 3");
  });

  it("is idempotent", () => {
    const once = redact("--api-key K3YV4LUE postgres://u:pw@h/d?apikey=zz");
    expect(redact(once)).toBe(once);
  });
});

describe("redact: registered values", () => {
  it("scrubs the AWS credentials an S3 workspace uses, wherever they turn up", () => {
    registerSecretsFromEnv({
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLEKEY01",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
      AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjEXAMPLE",
    });
    const out = redact(
      'key AKIAEXAMPLEKEY01 secret "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" in a URL wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCY token IQoJb3JpZ2luX2VjEXAMPLE',
    );
    expect(out).toBe('key *** secret "***" in a URL *** token ***');
  });

  it("scrubs a registered env value anywhere, also URL- and JSON-encoded", () => {
    registerSecretsFromEnv({ ALPHAVANTAGE_API_KEY: 'ENVKEY/+"9', TSML_TOKEN: undefined });
    expect(redact('body mentions ENVKEY/+"9 here')).toBe("body mentions *** here");
    expect(redact(`u=${encodeURIComponent('ENVKEY/+"9')}`)).not.toContain("ENVKEY");
    expect(redact(JSON.stringify({ k: 'ENVKEY/+"9' }))).not.toContain("ENVKEY");
  });

  it("registers flag values and URL passwords from argv, including values with spaces", () => {
    registerSecretsFromArgv([
      "ingest",
      "alphavantage",
      "--api-key",
      "two words",
      "--to-db",
      "postgres://u:p%40ss123@h/db",
      "--token=TOKEN999",
    ]);
    expect(redact("tsml ingest alphavantage --api-key two words")).toBe(
      "tsml ingest alphavantage --api-key ***",
    );
    expect(redact("driver said: p@ss123 rejected")).toBe("driver said: *** rejected");
    expect(redact("echo TOKEN999")).toBe("echo ***");
  });

  it("masks the longer of two overlapping secrets whole", () => {
    registerSecret("abcd");
    registerSecret("abcdefgh");
    expect(redact("x abcdefgh y abcd")).toBe("x *** y ***");
  });

  it("ignores values too short to scrub as free text", () => {
    registerSecret("ab");
    expect(redact("tab stab")).toBe("tab stab");
    expect(redact("--password ab")).toBe("--password ***");
  });
});

describe("redactValue and isSecretName", () => {
  it("redacts strings deep in objects and arrays, leaving other values alone", () => {
    registerSecret("DEEPSECRET");
    const typed = Float64Array.of(1, 2);
    const out = redactValue({
      a: ["https://h/q?apikey=DEEPSECRET", 3, null],
      b: { c: "has DEEPSECRET inside", d: true },
      typed,
    });
    expect(JSON.stringify(out)).not.toContain("DEEPSECRET");
    expect(out.a[1]).toBe(3);
    expect(out.b.d).toBe(true);
    expect(out.typed).toBe(typed);
  });

  it("recognises secret option names", () => {
    for (const n of ["apiKey", "api_key", "token", "password", "clientSecret"])
      expect(isSecretName(n)).toBe(true);
    for (const n of ["table", "toDb", "url", "keyColumn", "symbol"]) expect(isSecretName(n)).toBe(false);
  });
});
