// What every benchmark returns, and how a figure is printed: by `npm run bench`, or by one benchmark
// file run alone (node --import tsx --conditions=react-server bench/<file>.ts).
import path from "node:path";

/** One measured figure against its target ("-" when it has none). */
export type BenchRow = { name: string; value: number; unit: string; target: string; ok: boolean };

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function printRow(r: BenchRow): void {
  console.log(`${r.ok ? "ok  " : "MISS"}  ${r.name}: ${r.value} ${r.unit} (target ${r.target})`);
}

/** Runs `bench` and prints its figures when `file` is the script node was started with. */
export function runWhenMain(file: string, bench: () => Promise<BenchRow[]>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== path.resolve(file)) return;
  void bench().then((rows) => {
    rows.forEach(printRow);
    process.exit(0);
  });
}
