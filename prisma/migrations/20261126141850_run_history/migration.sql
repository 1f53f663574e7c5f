-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "logsPrunedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "HealthSnapshot" (
    "runId" TEXT NOT NULL,
    "capturedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,

    CONSTRAINT "HealthSnapshot_pkey" PRIMARY KEY ("runId")
);

-- CreateIndex
CREATE INDEX "Run_finishedAt_idx" ON "Run"("finishedAt");

-- AddForeignKey
ALTER TABLE "HealthSnapshot" ADD CONSTRAINT "HealthSnapshot_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
