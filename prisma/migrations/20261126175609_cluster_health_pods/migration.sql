-- AlterTable
ALTER TABLE "ClusterHealth" ADD COLUMN     "pods" BYTEA,
ADD COLUMN     "podsDigest" TEXT NOT NULL DEFAULT '';

-- gzip already: stored out of line without a second compression.
ALTER TABLE "ClusterHealth" ALTER COLUMN "pods" SET STORAGE EXTERNAL;
