import { describe, expect, it } from "vitest";
import { RunStatus as PrismaRunStatus, StepStatus as PrismaStepStatus } from "@/server/generated/prisma/enums";
import {
  ACTIVE_STATUSES,
  RUN_STATUSES,
  STEP_STATUSES,
  TERMINAL_STATUSES,
  isActiveStatus,
  isRunStatus,
  isTerminalStatus,
} from "@/lib/run-states";

describe("run states", () => {
  it("are the database's enums, in the same order", () => {
    expect([...RUN_STATUSES]).toEqual(Object.values(PrismaRunStatus));
    expect([...STEP_STATUSES]).toEqual(Object.values(PrismaStepStatus));
  });

  it("split every run state into exactly one of active and terminal", () => {
    for (const s of RUN_STATUSES) expect(isActiveStatus(s)).not.toBe(isTerminalStatus(s));
    expect([...ACTIVE_STATUSES, ...TERMINAL_STATUSES].sort()).toEqual([...RUN_STATUSES].sort());
  });

  it("accept only listed states from outside", () => {
    expect(isRunStatus("running")).toBe(true);
    expect(isRunStatus("Running")).toBe(false);
    expect(isRunStatus(undefined)).toBe(false);
    expect(isActiveStatus("missing")).toBe(false);
    expect(isTerminalStatus("missing")).toBe(false);
  });
});
