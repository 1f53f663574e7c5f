"use server";
import { revalidatePath } from "next/cache";
import { roleAction } from "@/server/actions/safe-action";
import {
  createLocalUser,
  createUserInput,
  setActiveInput,
  setRoleInput,
  setUserActive,
  setUserRole,
} from "@/server/users/manage-users";

// Admin actions on users. Each goes through the safe-action chain (session, role from the DB, audit).

export const setUserRoleAction = roleAction({
  action: "user.set-role",
  role: "admin",
  input: setRoleInput,
  target: (i) => i.userId,
  handler: async (input) => {
    const result = await setUserRole(input);
    revalidatePath("/settings");
    return result;
  },
  auditDetail: (r) => ({ user: r.username, from: r.from, to: r.role }),
});

export const setUserActiveAction = roleAction({
  action: "user.set-active",
  role: "admin",
  input: setActiveInput,
  target: (i) => i.userId,
  handler: async (input) => {
    const result = await setUserActive(input);
    revalidatePath("/settings");
    return result;
  },
  auditDetail: (r) => ({ user: r.username, active: r.active }),
});

export const createUserAction = roleAction({
  action: "user.create",
  role: "admin",
  input: createUserInput,
  target: (i) => i.username,
  handler: async (input) => {
    const result = await createLocalUser(input);
    revalidatePath("/settings");
    return result;
  },
});
