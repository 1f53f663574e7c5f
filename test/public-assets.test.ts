// The icons and manifest a browser asks for on every page: each exists, and each is served to a
// visitor without a session (the sign-in page asks for them too) instead of redirecting to sign-in.
import fs from "node:fs";
import { expect, test } from "vitest";
import { NextRequest } from "next/server";
import manifest from "@/app/manifest";
import { proxy } from "@/proxy";

const fileFor = (src: string) => (src === "/icon.svg" ? "app/icon.svg" : `public${src}`);

test("every icon the manifest names exists, with the size it claims", () => {
  const icons = manifest().icons ?? [];
  expect(icons.length).toBeGreaterThanOrEqual(3);
  for (const icon of icons) {
    const bytes = fs.readFileSync(fileFor(icon.src));
    if (icon.type === "image/png") {
      // PNG IHDR: width and height as big-endian 32-bit integers at bytes 16 and 20.
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(icon.sizes);
    } else {
      expect(bytes.toString("utf8")).toMatch(/^<svg /);
    }
  }
  expect(fs.readFileSync("public/favicon.ico").readUInt16LE(2)).toBe(1); // an ICO file, for clients that ask for /favicon.ico
  expect(fs.existsSync("app/apple-icon.png")).toBe(true);
});

test("without a session, the icons and the manifest are served, while a page still redirects to sign-in", () => {
  for (const p of [
    "/icon.svg",
    "/apple-icon.png",
    "/icon-192.png",
    "/icon-512.png",
    "/manifest.webmanifest",
    "/favicon.ico",
  ]) {
    const res = proxy(new NextRequest(`http://localhost:3000${p}`));
    expect(res.headers.get("location"), p).toBeNull();
  }
  expect(proxy(new NextRequest("http://localhost:3000/runs")).headers.get("location")).toMatch(
    /\/signin\?callbackUrl=%2Fruns$/,
  );
  expect(proxy(new NextRequest("http://localhost:3000/icon.svg.php")).headers.get("location")).toMatch(/\/signin/);
});
