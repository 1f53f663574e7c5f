"use client";
import { useState, useTransition } from "react";
import { Table, Td, Th } from "@/components/ui/table";
import { setUserActiveAction, setUserRoleAction } from "@/server/actions/user-actions";

// Users with a role picker and a deactivate/reactivate button each; a refused change shows the server's
// reason beside the row. Deactivating ends the user's sessions at their next request.
type Row = { id: string; name: string; method: string; role: string; self: boolean; active?: boolean };

export function UsersTable({ users }: { users: Row[] }) {
  const [messages, setMessages] = useState<Record<string, string>>({});
  const [pending, start] = useTransition();
  return (
    <Table>
      <thead>
        <tr>
          <Th>User</Th>
          <Th>Sign-in</Th>
          <Th>Role</Th>
          <Th>Access</Th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id}>
            <Td>
              {u.name} {u.self ? <span className="text-xs text-slate-500">(you)</span> : null}
            </Td>
            <Td>{u.method}</Td>
            <Td>
              <select
                aria-label={`Role of ${u.name}`}
                defaultValue={u.role}
                disabled={pending}
                className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
                onChange={(e) => {
                  const role = e.target.value;
                  start(async () => {
                    const res = await setUserRoleAction({ userId: u.id, role });
                    setMessages((m) => ({ ...m, [u.id]: res.ok ? "Saved." : res.message }));
                  });
                }}
              >
                <option value="viewer">viewer</option>
                <option value="operator">operator</option>
                <option value="admin">admin</option>
              </select>
              {messages[u.id] ? (
                <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">{messages[u.id]}</span>
              ) : null}
            </Td>
            <Td>
              {u.active === false ? (
                <span className="mr-2 text-xs font-medium text-red-700 dark:text-red-400">deactivated</span>
              ) : null}
              {u.self ? null : (
                <button
                  type="button"
                  aria-label={`${u.active === false ? "Reactivate" : "Deactivate"} ${u.name}`}
                  disabled={pending}
                  className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700"
                  onClick={() =>
                    start(async () => {
                      const res = await setUserActiveAction({ userId: u.id, active: u.active === false });
                      setMessages((m) => ({
                        ...m,
                        [u.id]: res.ok
                          ? res.data.active
                            ? "Reactivated."
                            : "Deactivated: signed out everywhere."
                          : res.message,
                      }));
                    })
                  }
                >
                  {u.active === false ? "Reactivate" : "Deactivate"}
                </button>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
