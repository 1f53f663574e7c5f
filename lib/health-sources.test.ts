import { describe, expect, test } from "vitest";
import { HEALTH_SOURCES, SOURCE_NAMES, SOURCE_TITLES } from "@/lib/health-sources";

describe("health source names and titles", () => {
  test("names are unique, titles are unique and non-empty, and the derived lists follow the one list", () => {
    expect(new Set(SOURCE_NAMES).size).toBe(HEALTH_SOURCES.length);
    expect(new Set(Object.values(SOURCE_TITLES)).size).toBe(HEALTH_SOURCES.length);
    expect(Object.values(SOURCE_TITLES).every((t) => t.trim().length > 0)).toBe(true);
    expect(SOURCE_NAMES).toEqual(HEALTH_SOURCES.map((s) => s.name));
    expect(SOURCE_TITLES.alerts).toBe("Alertmanager alerts");
  });
});
