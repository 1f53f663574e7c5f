import Link from "next/link";

// Unknown cluster, run or page: a plain 404 that offers a way back.
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="text-sm font-semibold text-sky-600">404</p>
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-slate-600 dark:text-slate-400">There is no cluster, run or page at this address.</p>
      <Link href="/" className="text-sky-600 underline underline-offset-4">
        Back to the overview
      </Link>
    </main>
  );
}
