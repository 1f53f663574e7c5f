import { describe, expect, test } from "vitest";
import { ConfigError, parseEnv } from "@/server/env";

describe("parseEnv", () => {
  test("an empty environment gives the embedded defaults", () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PORT).toBe(3000);
    expect(e.PORTAL_DATA_DIR).toBe(".data");
  });

  test("a DATABASE_URL that is not postgres is refused in one line naming the key", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x@y/z" })).toThrow(ConfigError);
    try {
      parseEnv({ DATABASE_URL: "mysql://x@y/z" });
    } catch (err) {
      expect((err as Error).message).toBe("environment: DATABASE_URL: must start with postgresql://");
      expect((err as Error).message).not.toContain("\n");
    }
  });

  test("a short AUTH_SECRET and a bad port are refused with the key named", () => {
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 32/);
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/^environment: PORT:/);
  });

  test("booleans accept true/false/1/0 and refuse anything else", () => {
    expect(parseEnv({ PORTAL_LOCAL_LOGIN: "true" }).PORTAL_LOCAL_LOGIN).toBe(true);
    expect(parseEnv({ PORTAL_LOCAL_LOGIN: "0" }).PORTAL_LOCAL_LOGIN).toBe(false);
    expect(() => parseEnv({ PORTAL_LOCAL_LOGIN: "maybe" })).toThrow(/PORTAL_LOCAL_LOGIN/);
  });
});
