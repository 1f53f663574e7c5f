-- CreateTable
CREATE TABLE "RunPlan" (
    "runId" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "plan" BYTEA NOT NULL,
    "plannedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "approverRole" "Role" NOT NULL,
    "decision" TEXT,
    "decidedBy" TEXT,
    "comment" TEXT,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "RunPlan_pkey" PRIMARY KEY ("runId")
);

-- CreateIndex
CREATE INDEX "RunPlan_expiresAt_idx" ON "RunPlan"("expiresAt");

-- AddForeignKey
ALTER TABLE "RunPlan" ADD CONSTRAINT "RunPlan_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A decision is one of three, with who and when (hand-written: Prisma cannot express it).
ALTER TABLE "RunPlan" ADD CONSTRAINT "RunPlan_decision_check"
  CHECK ("decision" IS NULL OR ("decision" IN ('approved', 'rejected', 'expired') AND "decidedAt" IS NOT NULL));

-- A run awaiting approval holds its cluster like a queued or running one (lib/run-states.ts ACTIVE_STATUSES).
DROP INDEX "Run_one_active_per_cluster";
CREATE UNIQUE INDEX "Run_one_active_per_cluster" ON "Run" ("clusterId")
  WHERE "status" IN ('queued', 'running', 'awaiting_approval', 'cancelling');
