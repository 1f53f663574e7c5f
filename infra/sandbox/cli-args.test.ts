import { expect, test } from "vitest";
import { numFlag, parseArgs, strFlag, UsageError } from "./cli-args";

test("a command, its positionals and both flag spellings", () => {
  expect(parseArgs(["fault", "node-down", "--node", "worker-1", "--state=/tmp/s", "--json"])).toEqual({
    command: "fault",
    positionals: ["node-down"],
    flags: { node: "worker-1", state: "/tmp/s", json: true },
  });
  expect(parseArgs([])).toEqual({ command: "", positionals: [], flags: {} });
  expect(parseArgs(["heal", "--", "--all"]).positionals).toEqual(["--all"]);
});

test("bad input is a usage error that names the flag", () => {
  const err = (argv: string[]) => {
    try {
      parseArgs(argv);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error(`no error for ${argv.join(" ")}`);
  };
  expect(err(["up", "--port"])).toBe("--port needs a value");
  expect(err(["up", "--port", "--json"])).toBe("--port needs a value");
  expect(err(["status", "--json=yes"])).toBe("--json takes no value");
  expect(err(["up", "--frobnicate"])).toBe("unknown option --frobnicate");
});

test("numeric and string flags are checked", () => {
  const { flags } = parseArgs(["up", "--port", "8443", "--nodes", "0", "--cluster", "c1"]);
  expect(numFlag(flags, "port", 0, 65535)).toBe(8443);
  expect(() => numFlag(flags, "nodes", 1, 5000)).toThrow("--nodes must be a number from 1 to 5000");
  expect(strFlag(flags, "cluster")).toBe("c1");
  expect(strFlag(flags, "node")).toBeUndefined();
});
