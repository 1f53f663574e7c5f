// What each container prints: startup lines, a steady line at an interval, and its last words on a crash.
// Lines depend only on the container instance and the time, so every read of a log agrees with the last.
import { createHash } from "node:crypto";

// One container instance's log recipe; `t` is the line's time, `i` its sequence number.
export interface LogRecipe {
  startup: string[];
  everySeconds: number;
  steady(i: number, t: Date): string;
  crash: string[];
}

function pick<T>(seed: string, i: number, xs: T[]): T {
  const h = createHash("sha1").update(`${seed}/${i}`).digest();
  return xs[h[0]! % xs.length]!;
}

const klogTime = (t: Date) => {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}.${p(t.getUTCMilliseconds(), 3)}${p((t.getTime() * 7) % 1000, 3)}`;
};
const celeryTime = (t: Date) => t.toISOString().replace("T", " ").replace("Z", "").replace(".", ",");

function fastapi(svc: string, seed: string): LogRecipe {
  const paths: Record<string, string[]> = {
    auth: [
      '"POST /api/v1/auth/token HTTP/1.1" 200 OK',
      '"POST /api/v1/auth/refresh HTTP/1.1" 200 OK',
      '"GET /api/v1/auth/oauth/kakao/callback HTTP/1.1" 302 Found',
    ],
    users: ['"GET /api/v1/users/me HTTP/1.1" 200 OK', '"GET /api/v1/users/me/history?page=1 HTTP/1.1" 200 OK'],
    locations: [
      '"GET /api/v1/locations/bins?lat=37.5665&lng=126.9780&radius=500 HTTP/1.1" 200 OK',
      '"GET /api/v1/locations/bins/1842 HTTP/1.1" 200 OK',
    ],
    waste: ['"POST /api/v1/waste/analyze HTTP/1.1" 202 Accepted', '"GET /api/v1/waste/analyze/status HTTP/1.1" 200 OK'],
  };
  const own = paths[svc] ?? paths.users!;
  return {
    startup: [
      "INFO:     Started server process [1]",
      "INFO:     Waiting for application startup.",
      "INFO:     Application startup complete.",
      "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
    ],
    everySeconds: 5,
    steady: (i) =>
      `INFO:     10.0.${1 + (i % 3)}.${10 + (i % 7)}:${40000 + ((i * 7919) % 20000)} - ${i % 4 === 0 ? '"GET /health HTTP/1.1" 200 OK' : pick(seed, i, own)}`,
    crash: [
      "ERROR:    Traceback (most recent call last):",
      '  File "/usr/local/lib/python3.11/site-packages/starlette/routing.py", line 677, in lifespan',
      "    async with self.lifespan_context(app) as maybe_state:",
      '  File "/app/app/main.py", line 31, in lifespan',
      "    await database.connect()",
      '  File "/usr/local/lib/python3.11/site-packages/asyncpg/connect_utils.py", line 1069, in _connect_addr',
      "    return await __connect_addr(params, timeout, True, *args)",
      "ConnectionRefusedError: [Errno 111] Connect call failed ('10.96.70.11', 5432)",
      "",
      "ERROR:    Application startup failed. Exiting.",
    ],
  };
}

function celery(name: string, seed: string, host: string): LogRecipe {
  const beat = name === "celery-beat";
  const task =
    name === "ai-worker"
      ? "ai.tasks.classify_waste_image"
      : name === "batch-worker"
        ? "batch.tasks.aggregate_daily_stats"
        : "api.tasks.send_notification";
  const queue = name === "ai-worker" ? "q.ai" : name === "batch-worker" ? "q.batch" : "q.api";
  const uuid = (i: number) =>
    createHash("md5")
      .update(`${seed}/${i}`)
      .digest("hex")
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  return {
    startup: beat
      ? [
          "celery beat v5.3.6 (emerald-rush) is starting.",
          "__    -    ... __   -        _",
          "LocalTime -> 2025-11-03 09:00:00",
          "Configuration ->",
          "    . broker -> amqp://growbin:**@rabbitmq.messaging.svc.cluster.local:5672//",
          "    . scheduler -> celery.beat.PersistentScheduler",
          "    . maxinterval -> 5.00 minutes (300s)",
        ]
      : [
          `celery@${host} v5.3.6 (emerald-rush)`,
          "",
          "[config]",
          ".> app:         growbin:0x7f3c1c2a1d50",
          ".> transport:   amqp://growbin:**@rabbitmq.messaging.svc.cluster.local:5672//",
          ".> results:     redis://redis.default.svc.cluster.local:6379/0",
          ".> concurrency: 2 (prefork)",
          "",
          "[queues]",
          `.> ${queue.padEnd(16)} exchange=${queue}(direct) key=${queue}`,
          "",
          `[tasks]`,
          `  . ${task}`,
          "",
        ],
    everySeconds: beat ? 30 : 7,
    steady: (i, t) =>
      beat
        ? `[${celeryTime(t)}: INFO/MainProcess] Scheduler: Sending due task ${pick(seed, i, ["sched.refresh_bin_locations", "sched.cleanup_expired_tokens", "sched.daily_report"])} (${pick(seed, i, ["sched.refresh_bin_locations", "sched.cleanup_expired_tokens", "sched.daily_report"])})`
        : i % 2 === 0
          ? `[${celeryTime(t)}: INFO/MainProcess] Task ${task}[${uuid(i)}] received`
          : `[${celeryTime(t)}: INFO/ForkPoolWorker-${1 + (i % 2)}] Task ${task}[${uuid(i - 1)}] succeeded in ${(1 + ((i * 37) % 300) / 100).toFixed(2)}s: None`,
    crash: [
      `[${"CRASH_TIME"}: ERROR/MainProcess] consumer: Cannot connect to amqp://growbin:**@rabbitmq.messaging.svc.cluster.local:5672//: [Errno 111] Connection refused.`,
      "Trying again in 2.00 seconds... (1/100)",
      "",
      "Traceback (most recent call last):",
      '  File "/usr/local/lib/python3.11/site-packages/kombu/connection.py", line 472, in _reraise_as_library_errors',
      "    yield",
      '  File "/usr/local/lib/python3.11/site-packages/amqp/transport.py", line 184, in _connect',
      "    self.sock.connect(sa)",
      "ConnectionRefusedError: [Errno 111] Connection refused",
      "",
      "kombu.exceptions.OperationalError: [Errno 111] Connection refused",
    ],
  };
}

function klog(component: string, seed: string, steady: string[]): LogRecipe {
  return {
    startup: [
      `I${"KLOG_START"}       1 flags.go:64] FLAG: --v="2"`,
      `I${"KLOG_START"}       1 server.go:155] Version: v1.28.4`,
      `I${"KLOG_START"}       1 ${component}.go:93] Starting ${component}`,
    ],
    everySeconds: 10,
    steady: (i, t) => `I${klogTime(t)}       1 ${pick(seed, i, steady)}`,
    crash: [
      `E${"CRASH_KLOG"}       1 run.go:74] "command failed" err="failed to create listener: failed to listen on 0.0.0.0:10259: listen tcp 0.0.0.0:10259: bind: address already in use"`,
    ],
  };
}

const PLAIN: Record<string, { startup: string[]; every: number; steady: string[]; crash: string[] }> = {
  etcd: {
    startup: [
      '{"level":"info","msg":"starting etcd","etcd-version":"3.5.9","git-sha":"bdbbde998","go-version":"go1.19.9"}',
      '{"level":"info","msg":"serving client traffic securely","address":"10.0.1.10:2379"}',
    ],
    every: 30,
    steady: [
      '{"level":"info","msg":"finished scheduled compaction","compact-revision":48213,"took":"3.182ms"}',
      '{"level":"info","msg":"compact tree index","revision":48213}',
    ],
    crash: [
      '{"level":"fatal","msg":"failed to start etcd","error":"listen tcp 10.0.1.10:2380: bind: address already in use"}',
    ],
  },
  rabbitmq: {
    startup: [
      "2025-11-03 09:00:00.000000+00:00 [info] <0.230.0> Starting RabbitMQ 3.12.10 on Erlang 26.1.2 [jit]",
      "2025-11-03 09:00:00.000000+00:00 [info] <0.230.0> Server startup complete; 6 plugins started.",
    ],
    every: 20,
    steady: [
      "[info] <0.1021.0> accepting AMQP connection <0.1021.0> (10.0.3.12:51234 -> 192.168.0.40:5672)",
      "[info] <0.1021.0> connection <0.1021.0> (10.0.3.12:51234 -> 192.168.0.40:5672): user 'growbin' authenticated and granted access to vhost '/'",
    ],
    crash: [
      "[error] <0.230.0> BOOT FAILED",
      "[error] <0.230.0> ===========",
      "[error] <0.230.0> Exception during startup:",
      "[error] <0.230.0> error:{badmatch,{error,eacces}}",
    ],
  },
  postgres: {
    startup: [
      "PostgreSQL Database directory appears to contain a database; Skipping initialization",
      "LOG:  starting PostgreSQL 16.1 on x86_64-pc-linux-musl, compiled by gcc (Alpine 12.2.1_git20220924-r10) 12.2.1 20220924, 64-bit",
      'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
      "LOG:  database system is ready to accept connections",
    ],
    every: 300,
    steady: [
      "LOG:  checkpoint starting: time",
      "LOG:  checkpoint complete: wrote 42 buffers (0.3%); 0 WAL file(s) added, 0 removed, 0 recycled",
    ],
    crash: ['FATAL:  could not write lock file "postmaster.pid": No space left on device'],
  },
  redis: {
    startup: [
      "1:C 03 Nov 2025 09:00:00.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
      "1:M 03 Nov 2025 09:00:00.001 * Ready to accept connections tcp",
    ],
    every: 60,
    steady: ["1:M * 100 changes in 300 seconds. Saving...", "1:M * Background saving terminated with success"],
    crash: ["1:M # Can't handle RDB format version 11", "1:M # Fatal error loading the DB: Invalid argument. Exiting."],
  },
};

// The recipe for a container, by its name and pod.
export function recipeFor(container: string, pod: string, seed: string): LogRecipe {
  const svc = /^(auth|users|locations|waste)-service$/.exec(container);
  if (svc) return fastapi(svc[1]!, seed);
  if (["ai-worker", "batch-worker", "celery-beat"].includes(container)) return celery(container, seed, pod);
  if (/^kube-|^calico|^coredns|^ebs-csi|^aws-load|^cert-manager/.test(container))
    return klog(container, seed, [
      "reflector.go:325] Listing and watching *v1.Pod from k8s.io/client-go/informers/factory.go:150",
      "leaderelection.go:260] successfully renewed lease kube-system/" + container,
      'controller.go:232] "Successfully synced" key="default/auth-service"',
    ]);
  const plain = PLAIN[container.replace(/-server$/, "")];
  if (plain)
    return {
      startup: plain.startup,
      everySeconds: plain.every,
      steady: (i) => pick(seed, i, plain.steady),
      crash: plain.crash,
    };
  return {
    startup: [
      `level=info ts=START msg="Starting ${container}"`,
      `level=info ts=START msg="Listening" address=0.0.0.0:8080`,
    ],
    everySeconds: 30,
    steady: (i, t) =>
      `level=info ts=${t.toISOString()} caller=${pick(seed, i, ["main.go:612", "reload.go:173", "web.go:580"])} msg="${pick(seed, i, ["Completed loading of configuration file", "request served", "Reconciling"])}"`,
    crash: [
      `level=error ts=CRASH msg="error running ${container}" err="open /etc/${container}/config.yaml: no such file or directory"`,
    ],
  };
}

// Fills the placeholders some recipes leave for the instance's start and crash time.
export function stamp(line: string, start: Date, end: Date): string {
  return line
    .replace("KLOG_START", klogTime(start))
    .replace("CRASH_KLOG", klogTime(end))
    .replace("CRASH_TIME", celeryTime(end))
    .replace("ts=START", `ts=${start.toISOString()}`)
    .replace("ts=CRASH", `ts=${end.toISOString()}`);
}
