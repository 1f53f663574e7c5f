-- The states of guarded runs (lib/run-states.ts). Their own migration: PostgreSQL cannot use an enum value
-- in the transaction that added it, and the next migration's index names awaiting_approval.
ALTER TYPE "RunStatus" ADD VALUE 'awaiting_approval' AFTER 'running';
ALTER TYPE "RunStatus" ADD VALUE 'rejected';
ALTER TYPE "RunStatus" ADD VALUE 'expired';
