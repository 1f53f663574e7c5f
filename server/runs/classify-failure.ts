// Names the cause of a failed step from its first error lines, for the run page's failure summary.
// Pure: tested on recorded output of Terraform, Ansible, the AWS CLI and Session Manager.

export type FailureCause =
  | { kind: "aws-credentials"; label: string }
  | { kind: "aws-quota"; label: string }
  | { kind: "unreachable"; label: string }
  | { kind: "state-lock"; label: string }
  | { kind: "ansible-task"; label: string; task: string | null }
  | { kind: "deadline"; label: string }
  | { kind: "cancelled"; label: string }
  | { kind: "interrupted"; label: string }
  | { kind: "exit-code"; label: string };

const RULES: [RegExp, FailureCause][] = [
  [
    /Error acquiring the state lock|state lock|ConditionalCheckFailedException|Lock Info:/i,
    { kind: "state-lock", label: "The Terraform state lock is held by another run or a crashed one" },
  ],
  [
    /InstanceLimitExceeded|VcpuLimitExceeded|RequestLimitExceeded|LimitExceeded|quota|Throttling/i,
    { kind: "aws-quota", label: "An AWS quota or rate limit was hit" },
  ],
  [
    /UnauthorizedOperation|AuthFailure|InvalidClientTokenId|ExpiredToken|NoCredentialProviders|no valid credential sources|SignatureDoesNotMatch|AccessDenied|UnrecognizedClientException|could not load credentials/i,
    { kind: "aws-credentials", label: "AWS credentials are missing, expired or not allowed" },
  ],
  [
    /UNREACHABLE!|ssh: connect to host|Connection timed out|Failed to connect to the host via ssh|TargetNotConnected|SessionManagerPlugin is not found|Connection refused.*:22\b/i,
    { kind: "unreachable", label: "An instance could not be reached by SSH or Session Manager" },
  ],
];

/**
 * Classifies a failure. `lines` are the step's first error lines (in order); `lastTask` is the
 * Ansible task that was running when the first "fatal:"/"failed:" line came, if any.
 */
export function classifyFailure(input: {
  runStatus: string;
  runError: string | null;
  exitCode: number | null;
  signal: string | null;
  lines: string[];
  lastTask: string | null;
}): FailureCause {
  if (input.runStatus === "cancelled") return { kind: "cancelled", label: "Cancelled" };
  if (input.runStatus === "interrupted")
    return { kind: "interrupted", label: "Interrupted: the worker running it was lost" };
  if (input.runError?.startsWith("deadline passed")) return { kind: "deadline", label: "The run passed its deadline" };
  for (const line of input.lines) {
    for (const [re, cause] of RULES) if (re.test(line)) return cause;
  }
  if (input.lines.some((l) => /^(fatal|failed): \[/.test(l.trim())) || input.lastTask) {
    return {
      kind: "ansible-task",
      label: input.lastTask ? `Ansible task failed: ${input.lastTask}` : "An Ansible task failed",
      task: input.lastTask,
    };
  }
  return {
    kind: "exit-code",
    label: input.signal ? `The step ended by ${input.signal}` : `The step exited with code ${input.exitCode ?? "?"}`,
  };
}

/** The task name from an Ansible "TASK [role : name] ****" line. */
export function ansibleTaskName(line: string): string | null {
  const m = /^TASK \[(.+?)\]/.exec(line.trim());
  return m ? m[1]! : null;
}
