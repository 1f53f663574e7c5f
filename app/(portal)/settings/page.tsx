import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { UsersTable } from "@/components/settings/users-table";
import { CreateUserForm } from "@/components/settings/create-user-form";
import { requireAdmin } from "@/server/auth/require-user";
import { listUsers } from "@/server/auth/page-reads";

export const metadata: Metadata = { title: "Settings" };

// Admins manage users and roles here; everyone else is told plainly that they may not.
export default async function SettingsPage() {
  const user = await requireAdmin();
  const users = await listUsers();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-xl font-semibold">Settings</h1>
      <Card title="Users and roles">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          viewer reads clusters, health, runs, logs and trends · operator also rebuilds, provisions, verifies and
          cancels · admin also tears down, resets nodes, force-kills, manages roles and reads the audit log.
        </p>
        <UsersTable
          users={users.map((u) => ({
            id: u.id,
            name: u.name ?? u.username ?? u.email ?? u.id,
            method: u.method,
            role: u.role,
            active: u.active,
            self: u.id === user.id,
          }))}
        />
      </Card>
      <Card title="Add a local user">
        <CreateUserForm />
      </Card>
      <Card title="Notifications">
        <Link href="/settings/deliveries" className="text-sm font-medium underline-offset-2 hover:underline">
          Webhook deliveries →
        </Link>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          The configured webhooks (URLs masked) and every delivery: status code, attempts, last error.
        </p>
      </Card>
    </div>
  );
}
