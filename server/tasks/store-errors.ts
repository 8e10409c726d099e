/**
 * Errors both stores raise in the same words, so callers never look at a driver's error codes.
 * `DuplicateExternalId`: an insert's external_task_id is already another task's (SQLite's UNIQUE
 * constraint, PostgreSQL's 23505 on that column).
 */
export class DuplicateExternalId extends Error {
  constructor() {
    super('external_task_id is already used by another task');
    this.name = 'DuplicateExternalId';
  }
}

/** A cursor that the store did not make (the route checks the syntax first; this is the backstop). */
export class BadCursor extends Error {
  constructor() {
    super('cursor: must be a nextCursor from an earlier page of GET /api/tasks');
    this.name = 'BadCursor';
  }
}
