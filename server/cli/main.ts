#!/usr/bin/env node
// The portal's command line (`npm run -s cli -- …`, or `growbin` through package.json's bin): run a
// pipeline, read health, cancel a run, manage users. Every command goes through the same rules and
// records as the web. Exit codes: server/cli/exit-codes.ts and the README's "Command line".
import { runCommand } from "@/server/cli/run-command";
import { userCommand } from "@/server/cli/user-command";
import { healthCommand } from "@/server/cli/health-command";
import { cancelCommand } from "@/server/cli/cancel-command";
import { approvalCommand } from "@/server/cli/approval-command";
import { runMain } from "@/server/cli/run-main";
import { PIPELINES } from "@/server/runs/pipelines";
import { nodeVersionNoticeOnce } from "@/server/cli/node-notice";

const HELP = `usage: npm run -s cli -- <command> [options]   (or: npx growbin <command> [options])

  ${PIPELINES.join("|")} --cluster NAME [--node NODE] [--reason TEXT] [--yes]
                      run a pipeline and stream its log; Ctrl-C cancels it
  health --cluster NAME [--json]   the cluster's tiers and their reasons
  cancel RUN_ID [--kill]           cancel a run (--kill: SIGKILL its step now)
  approve|reject RUN_ID --comment TEXT [--as USER]
                      decide on a run awaiting approval (USER: a portal user, default your login)
  user add NAME --role ROLE | user role NAME ROLE

exit codes: 0 ok, 1 failed, 2 usage error (unknown command, option, cluster or run),
            3 health degraded or unknown, 4 health down, 130 run cancelled by Ctrl-C`;

const [command, ...rest] = process.argv.slice(2);

runMain(async () => {
  if (!command || command === "help" || command === "--help" || command === "-h") {
    console.log(HELP);
    return;
  }
  nodeVersionNoticeOnce();
  if (command === "user") return userCommand(rest);
  if (command === "health") return healthCommand(rest);
  if (command === "cancel") return cancelCommand(rest);
  if (command === "approve" || command === "reject") return approvalCommand(command, rest);
  return runCommand(process.argv.slice(2));
});
