import type { Metadata } from "next";
import { cookies } from "next/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Growbin Ops Portal", template: "%s · Growbin Ops" },
  description: "Rebuild, watch and review the Growbin cluster.",
};

// The theme is a cookie, so the server renders the right colours with no inline script.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = (await cookies()).get("theme")?.value === "dark" ? "dark" : "light";
  return (
    <html lang="en" className={theme === "dark" ? "dark" : undefined}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
