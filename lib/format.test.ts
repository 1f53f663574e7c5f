import { expect, test } from "vitest";
import { age, formatBytes, formatCpu, formatDelta, formatDuration, parseQuantity } from "@/lib/format";

test("durations under 10 s keep a tenth of a second; longer ones read in h/m/s", () => {
  expect(formatDuration(0)).toBe("0s");
  expect(formatDuration(400)).toBe("0.4s");
  expect(formatDuration(1_000)).toBe("1s");
  expect(formatDuration(1_250)).toBe("1.3s");
  expect(formatDuration(12_400)).toBe("12s");
  expect(formatDuration(185_000)).toBe("3m 05s");
  expect(formatDuration(3_720_000)).toBe("1h 02m");
});

test("a delta between a 0.4 s and a 1 s step is not ±0s", () => {
  expect(formatDelta(1_000 - 400)).toBe("+0.6s");
  expect(formatDelta(-30_000)).toBe("−30s");
  expect(formatDelta(20)).toBe("±0s");
});

test("Kubernetes quantities parse with binary, decimal and milli suffixes", () => {
  expect(parseQuantity("8039036Ki")).toBe(8039036 * 1024);
  expect(parseQuantity("4Gi")).toBe(4 * 2 ** 30);
  expect(parseQuantity("129e6")).toBe(129e6);
  expect(parseQuantity("250m")).toBe(0.25);
  expect(parseQuantity("lots")).toBeNull();
});

test("allocatable memory reads in human units, never raw Ki", () => {
  expect(formatBytes("8039036Ki")).toBe("7.7 GiB");
  expect(formatBytes("3922716Ki")).toBe("3.7 GiB");
  expect(formatBytes("512Mi")).toBe("512 MiB");
  expect(formatBytes("1000")).toBe("1000 B");
  expect(formatBytes("2Gi")).toBe("2 GiB");
  expect(formatBytes(undefined)).toBe("—");
  expect(formatBytes("weird")).toBe("weird");
});

test("CPU reads as cores", () => {
  expect(formatCpu("2")).toBe("2");
  expect(formatCpu("1500m")).toBe("1.5");
});

test("ages count from the given moment", () => {
  expect(age(1_000, 61_000)).toBe("1 min");
  expect(age(null)).toBe("—");
});
