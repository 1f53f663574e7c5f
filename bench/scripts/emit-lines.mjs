// Prints lines at a steady rate, as a long-running tool (terraform, ansible) does while it works.
// usage: node emit-lines.mjs TOTAL RATE_PER_SECOND   (each line carries the time it was printed)
const [total, rate] = process.argv.slice(2).map(Number);
const perTick = Math.max(1, Math.round(rate / 100));
const started = Date.now();
let sent = 0;
function tick() {
  const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + perTick);
  let chunk = "";
  while (sent < due) chunk += `t=${Date.now()} line ${++sent} of ${total}: TASK [bench : emit] ok\n`;
  const room = chunk ? process.stdout.write(chunk) : true;
  if (sent >= total) return;
  if (room) setTimeout(tick, 10);
  else process.stdout.once("drain", () => setTimeout(tick, 10));
}
tick();
