// NOTIFY channels between workers, web servers and CLIs. Payloads are small; the data stays in tables.

/** A run was queued: workers wake up and try to claim. Payload: run id. */
export const RUN_QUEUED = "portal_run_queued";
/** A run's state or steps changed. Payload: run id. */
export const RUN_STATE = "portal_run_state";
/** New log lines were stored. Payload: "<run id>:<last seq>". */
export const RUN_LOG = "portal_run_log";
/** Someone asked a run to cancel or be killed. Payload: run id. */
export const RUN_CANCEL = "portal_run_cancel";
