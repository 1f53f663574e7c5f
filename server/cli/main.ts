// npm run cli -- <command>: run a pipeline (rebuild, provision, teardown, verify, reset-node) or
// manage users. Every command goes through the same rules and records as the web.
import { runCommand } from "@/server/cli/run-command";
import { userCommand } from "@/server/cli/user-command";
import { runMain } from "@/server/cli/run-main";

const [command, ...rest] = process.argv.slice(2);

runMain(async () => {
  if (command === "user") return userCommand(rest);
  return runCommand(process.argv.slice(2));
});
