-- CreateTable
CREATE TABLE "QueueSample" (
    "id" BIGSERIAL NOT NULL,
    "clusterId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "resolution" INTEGER NOT NULL DEFAULT 15,
    "messages" INTEGER NOT NULL,
    "ready" INTEGER NOT NULL,
    "unacked" INTEGER NOT NULL,
    "consumers" INTEGER NOT NULL,
    "publishRate" DOUBLE PRECISION NOT NULL,
    "deliverRate" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "QueueSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QueueSample_clusterId_queue_time_idx" ON "QueueSample"("clusterId", "queue", "time");

-- CreateIndex
CREATE INDEX "QueueSample_time_idx" ON "QueueSample"("time");

-- AddForeignKey
ALTER TABLE "QueueSample" ADD CONSTRAINT "QueueSample_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
