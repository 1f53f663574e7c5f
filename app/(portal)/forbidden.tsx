import { NotAllowed } from "@/components/ui/not-allowed";
import { currentUser } from "@/server/auth/current-user";

// A page the signed-in user's role does not cover (forbidden() in the page): status 403, inside the portal's frame.
export default async function Forbidden() {
  const user = await currentUser().catch(() => null);
  return <NotAllowed need="admin" role={user?.role ?? "none"} />;
}
