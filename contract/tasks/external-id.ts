/**
 * The studio's `external_task_id`: Kling treats a repeated one as the same task, so every create (and
 * every resubmission) needs its own. `ms-` + a UUID is 39 characters, within Kling's 64-character limit.
 * `crypto.randomUUID` is a global in browsers and in Node ≥ 19, so this stays free of DOM and Node imports.
 */
export const newExternalTaskId = (uuid: string = crypto.randomUUID()): string => `ms-${uuid}`;
