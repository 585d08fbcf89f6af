import { describe, expect, it } from "vitest";
import { ExitCode } from "../core/errors.js";
import { redact } from "../core/redact.js";
import { parseQueueUrl } from "./queue-url.js";

describe("parseQueueUrl", () => {
  it("reads host, port, database and credentials, and never shows the password", () => {
    const url = parseQueueUrl("redis://worker:s3cr3t-pw@10.0.0.5:6380/2");
    expect(url).toMatchObject({
      host: "10.0.0.5",
      port: 6380,
      db: 2,
      username: "worker",
      password: "s3cr3t-pw",
    });
    expect(url.display).toBe("redis://worker:***@10.0.0.5:6380/2");
    // Registered: the password is masked even where it turns up alone (a driver's message).
    expect(redact("AUTH failed for s3cr3t-pw")).not.toContain("s3cr3t-pw");
  });

  it("defaults the port to 6379 and the database to none", () => {
    expect(parseQueueUrl("redis://127.0.0.1")).toMatchObject({
      host: "127.0.0.1",
      port: 6379,
      db: undefined,
    });
  });

  it("refuses other schemes, TLS and a path that is not a database number, as usage errors", () => {
    for (const bad of ["http://h:6379", "rediss://h:6379", "redis://h:6379/queue", "not a url"]) {
      expect(() => parseQueueUrl(bad)).toThrow(expect.objectContaining({ exitCode: ExitCode.usage }));
    }
    expect(() => parseQueueUrl("rediss://u:pw1234@h")).toThrow(/rediss:\/\/u:\*\*\*@h/);
  });
});
