// Test helper process: opens the embedded server of a data folder as a portal process would, and
// stops (leaves) it when told on stdin. Prints "open <url> <owned>" and "left".
import readline from "node:readline";
import { openEmbeddedPostgres } from "@/server/db/embedded-postgres";

async function main() {
  const db = await openEmbeddedPostgres(process.argv[2]!);
  console.log(`open ${db.url} ${db.owned}`);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === "stop") {
      await db.stop();
      console.log("left");
      process.exit(0);
    }
  }
}
void main();
