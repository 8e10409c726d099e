import { RUNNING } from '../task-columns.ts';
import type { Lease, RoleFence, TaskStore } from '../task-store.ts';
import type { Query } from './pg-pool.ts';

/**
 * Now in epoch ms by the DATABASE's clock. Every replica judges a lease by this one clock, so a replica
 * whose own clock runs fast cannot take a lease early, nor one running slow keep writing past its end.
 * clock_timestamp(), not now(): inside a long transaction now() stands still at its start.
 */
export const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

export type LeaseMethods = Pick<
  TaskStore,
  'claimTracking' | 'claimTask' | 'renewTracking' | 'releaseTask' | 'claimRole' | 'releaseRole'
>;

/** Tracker leases on tasks (lease_owner/lease_until/lease_epoch) and role leases (the `leases` table). */
export function pgLeases(q: Query): LeaseMethods {
  return {
    async claimTracking(owner, leaseMs, limit) {
      // SKIP LOCKED: a replica claiming at the same moment passes over the rows this one is taking instead
      // of waiting for them, and re-checks (READ COMMITTED) any row that another claim changed meanwhile.
      const { rows } = await q<Lease>(
        `WITH clock AS (SELECT ${DB_NOW_MS} AS ms),
         free AS (
           SELECT t.id FROM tasks t, clock
           WHERE ${RUNNING} AND (t.lease_owner IS NULL OR t.lease_until < clock.ms)
           ORDER BY t.created_at, t.seq LIMIT $3
           FOR UPDATE OF t SKIP LOCKED)
         UPDATE tasks SET lease_owner = $1, lease_until = clock.ms + $2, lease_epoch = tasks.lease_epoch + 1
         FROM free, clock WHERE tasks.id = free.id
         RETURNING tasks.id, tasks.lease_epoch AS epoch`,
        [owner, leaseMs, limit],
      );
      return rows;
    },
    async claimTask(id, owner, leaseMs, steal = false) {
      const { rows } = await q<{ epoch: number }>(
        `UPDATE tasks SET lease_owner = $2, lease_until = clock.ms + $3,
           lease_epoch = CASE WHEN tasks.lease_owner = $2 THEN tasks.lease_epoch ELSE tasks.lease_epoch + 1 END
         FROM (SELECT ${DB_NOW_MS} AS ms) clock
         WHERE tasks.id = $1 AND ${RUNNING}
           AND (tasks.lease_owner IS NULL OR tasks.lease_until < clock.ms OR tasks.lease_owner = $2 OR $4)
         RETURNING tasks.lease_epoch AS epoch`,
        [id, owner, leaseMs, steal],
      );
      return rows[0] ? { id, epoch: rows[0].epoch } : undefined;
    },
    async renewTracking(owner, leases, leaseMs) {
      if (!leases.length) return [];
      const { rows } = await q<{ id: string }>(
        `UPDATE tasks SET lease_until = ${DB_NOW_MS} + $2
         FROM unnest($3::text[], $4::integer[]) AS held (id, epoch)
         WHERE tasks.id = held.id AND tasks.lease_owner = $1 AND tasks.lease_epoch = held.epoch
         RETURNING tasks.id`,
        [owner, leaseMs, leases.map((l) => l.id), leases.map((l) => l.epoch)],
      );
      const renewed = new Set(rows.map((r) => r.id));
      return leases.filter((l) => renewed.has(l.id));
    },
    async releaseTask(owner, lease) {
      await q(
        `UPDATE tasks SET lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND lease_owner = $2 AND lease_epoch = $3`,
        [lease.id, owner, lease.epoch],
      );
    },
    async claimRole(role, owner, leaseMs): Promise<RoleFence | undefined> {
      // One statement whether the row exists or not: two replicas claiming a new role at once both reach
      // the conflict branch but one, which then sees the other's committed row and its expiry.
      const { rows } = await q<{ epoch: number }>(
        `INSERT INTO leases (name, owner, until, epoch)
         SELECT $1, $2, clock.ms + $3, 1 FROM (SELECT ${DB_NOW_MS} AS ms) clock
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until,
           epoch = CASE WHEN leases.owner = excluded.owner THEN leases.epoch ELSE leases.epoch + 1 END
         WHERE leases.owner = excluded.owner OR leases.until < excluded.until - $3
         RETURNING epoch`,
        [role, owner, leaseMs],
      );
      return rows[0] ? { role, owner, epoch: rows[0].epoch } : undefined;
    },
    async releaseRole(fence) {
      await q('UPDATE leases SET until = 0 WHERE name = $1 AND owner = $2 AND epoch = $3', [
        fence.role,
        fence.owner,
        fence.epoch,
      ]);
    },
  };
}
