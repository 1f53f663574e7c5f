import { expect, test } from "vitest";
import { age, formatBytes, formatCpu, parseQuantity } from "@/components/health/format";

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
