import Link from "next/link";

// An unknown cluster, node, run or page inside the portal: status 404, with the sidebar still there to go elsewhere.
export default function PortalNotFound() {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center" role="alert">
      <p className="text-sm font-semibold text-sky-600">404</p>
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-slate-600 dark:text-slate-400">
        There is no cluster, node, run or page at this address. It may have been renamed, or the link is mistyped.
      </p>
      <Link href="/" className="text-sky-600 underline underline-offset-4">
        Back to the overview
      </Link>
    </div>
  );
}
