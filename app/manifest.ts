import type { MetadataRoute } from "next";

// GET /manifest.webmanifest - lets a phone or desktop browser install the portal with its own icon
// and name (Next's app/manifest.ts convention adds the <link rel="manifest"> to every page).
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Growbin Ops Portal",
    short_name: "Growbin Ops",
    description: "Rebuild, watch and review the Growbin cluster.",
    start_url: "/",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: "#0f172a",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
    ],
  };
}
