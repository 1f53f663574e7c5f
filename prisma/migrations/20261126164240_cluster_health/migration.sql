-- CreateTable
CREATE TABLE "ClusterHealth" (
    "clusterId" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "sources" JSONB NOT NULL,
    "digest" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClusterHealth_pkey" PRIMARY KEY ("clusterId")
);

-- AddForeignKey
ALTER TABLE "ClusterHealth" ADD CONSTRAINT "ClusterHealth_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The body is gzip already: store it out of line without PostgreSQL trying to compress it again.
ALTER TABLE "ClusterHealth" ALTER COLUMN "body" SET STORAGE EXTERNAL;
