"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { createUserAction } from "@/server/actions/user-actions";
import type { ActionResult } from "@/server/actions/safe-action";

// Creates a local account; the generated password is shown here once and never again.
type State = ActionResult<{ username: string; password: string }> | null;

export function CreateUserForm() {
  const [state, action, pending] = useActionState<State, FormData>(async (_prev, form) => createUserAction(form), null);
  return (
    <form action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <Field
        label="Username"
        name="username"
        required
        errors={state && !state.ok ? state.errors?.username : undefined}
      />
      <Select label="Role" name="role" defaultValue="viewer">
        <option value="viewer">viewer</option>
        <option value="operator">operator</option>
        <option value="admin">admin</option>
      </Select>
      <Button type="submit" disabled={pending}>
        Create
      </Button>
      {state?.ok ? (
        <p role="status" className="text-sm" data-testid="new-user-password">
          Created <strong>{state.data.username}</strong>. Password (shown once):{" "}
          <code className="select-all">{state.data.password}</code>
        </p>
      ) : state ? (
        <p role="alert" className="text-sm text-red-600">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
