// npm run cli -- <command>: run a pipeline (rebuild, provision, teardown, verify, reset-node) or
// manage users. Every command goes through the same rules and records as the web.
import { runCommand } from "@/server/cli/run-command";
import { userCommand } from "@/server/cli/user-command";
import { healthCommand } from "@/server/cli/health-command";
import { runMain } from "@/server/cli/run-main";

const [command, ...rest] = process.argv.slice(2);

runMain(async () => {
  if (command === "user") return userCommand(rest);
  if (command === "health") return healthCommand(rest);
  return runCommand(process.argv.slice(2));
});
