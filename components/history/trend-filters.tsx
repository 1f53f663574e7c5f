import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";

// The trends page's cluster and pipeline pickers: a plain GET form, so every view has a shareable URL.
export function TrendFilters({
  clusters,
  pipelines,
  cluster,
  pipeline,
}: {
  clusters: string[];
  pipelines: { name: string; title: string }[];
  cluster: string;
  pipeline: string;
}) {
  return (
    <form method="get" action="/runs/trends" className="flex flex-wrap items-end gap-3" aria-label="Trend filters">
      <Select label="Cluster" name="cluster" defaultValue={cluster} className="w-56">
        {clusters.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </Select>
      <Select label="Pipeline" name="pipeline" defaultValue={pipeline} className="w-56">
        {pipelines.map((p) => (
          <option key={p.name} value={p.name}>
            {p.title}
          </option>
        ))}
      </Select>
      <Button type="submit" variant="secondary">
        Show trends
      </Button>
    </form>
  );
}
