import "server-only";
import os from "node:os";
import { openPortal } from "@/server/bootstrap/open-portal";
import { db } from "@/server/db";
import { recordAudit } from "@/server/audit/record-audit";
import {
  createLocalUser,
  createUserInput,
  setRoleInput,
  setUserActive,
  setUserRole,
} from "@/server/users/manage-users";
import { UsageError, parseCommandLine } from "@/server/cli/usage-error";

// npm run -s cli -- user add NAME --role ROLE | user role NAME ROLE | user deactivate|activate NAME: account administration from a
// terminal on the portal's machine (whoever can run this can read the database anyway).

const USAGE =
  "usage: npm run -s cli -- user add NAME --role viewer|operator|admin | user role NAME viewer|operator|admin | user deactivate|activate NAME";

/** Adds a local user (printing its generated password once) or changes a user's role. */
export async function userCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseCommandLine(argv, USAGE, { role: { type: "string" } }) as {
    positionals: string[];
    values: { role?: string };
  };
  const shapeOk =
    (positionals[0] === "add" && positionals.length === 2) ||
    (positionals[0] === "role" && positionals.length === 3) ||
    ((positionals[0] === "deactivate" || positionals[0] === "activate") && positionals.length === 2);
  if (!shapeOk) throw new UsageError(USAGE);
  const [verb, name, roleArg] = positionals;
  const actor = `cli:${os.userInfo().username}`;
  const portal = await openPortal();
  try {
    if (verb === "add" && positionals.length === 2) {
      const input = createUserInput.safeParse({ username: name, role: values.role });
      if (!input.success)
        throw new UsageError(`${input.error.issues[0]!.path.join(".")}: ${input.error.issues[0]!.message}\n${USAGE}`);
      const user = await createLocalUser(input.data);
      await recordAudit({
        actor,
        action: "user.create",
        target: user.username,
        outcome: "success",
        detail: { role: input.data.role },
      });
      console.log(`created ${user.username} (${input.data.role}); password: ${user.password}\n(shown only this once)`);
    } else if (verb === "role" && positionals.length === 3) {
      const user = await db().user.findUnique({ where: { username: name } });
      if (!user) throw new UsageError(`no local user named "${name}"`);
      const input = setRoleInput.safeParse({ userId: user.id, role: roleArg });
      if (!input.success) throw new UsageError(`role: ${input.error.issues[0]!.message}\n${USAGE}`);
      const changed = await setUserRole(input.data);
      await recordAudit({
        actor,
        action: "user.set-role",
        target: user.id,
        outcome: "success",
        detail: { user: changed.username, from: changed.from, to: changed.role },
      });
      console.log(`${name} is now ${input.data.role}`);
    } else if ((verb === "deactivate" || verb === "activate") && positionals.length === 2) {
      // NAME is a local username, or the name or email a GitHub user is listed under on Settings.
      const user = await db().user.findFirst({
        where: { OR: [{ username: name }, { email: name }, { name, username: null }] },
      });
      if (!user) throw new UsageError(`no user named "${name}"`);
      await setUserActive({ userId: user.id, active: verb === "activate" });
      await recordAudit({
        actor,
        action: "user.set-active",
        target: user.id,
        outcome: "success",
        detail: { active: verb === "activate" },
      });
      console.log(
        verb === "activate"
          ? `${name} is active again`
          : `${name} is deactivated: their sessions have ended and they cannot sign in`,
      );
    } else {
      throw new UsageError(USAGE);
    }
  } finally {
    await portal.close();
  }
}
