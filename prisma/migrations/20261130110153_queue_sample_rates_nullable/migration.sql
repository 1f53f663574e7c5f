-- AlterTable
ALTER TABLE "QueueSample" ALTER COLUMN "publishRate" DROP NOT NULL,
ALTER COLUMN "deliverRate" DROP NOT NULL;
