import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

// Two run ids in, the comparison out: a GET form, so a comparison is a link people can share.
export function CompareForm({ a, b }: { a?: string; b?: string }) {
  return (
    <form method="get" action="/runs/compare" className="flex flex-wrap items-end gap-3" aria-label="Compare two runs">
      <Field
        label="Run A (before)"
        name="a"
        defaultValue={a}
        required
        placeholder="run id"
        className="w-72"
        autoComplete="off"
        spellCheck={false}
      />
      <Field
        label="Run B (after)"
        name="b"
        defaultValue={b}
        required
        placeholder="run id"
        className="w-72"
        autoComplete="off"
        spellCheck={false}
      />
      <Button type="submit">Compare</Button>
    </form>
  );
}
