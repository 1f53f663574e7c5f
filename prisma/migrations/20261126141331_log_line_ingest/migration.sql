-- DropForeignKey
ALTER TABLE "LogLine" DROP CONSTRAINT "LogLine_runId_fkey";

-- DropIndex
DROP INDEX "LogLine_runId_step_seq_idx";

-- DropIndex
DROP INDEX "LogLine_time_idx";
