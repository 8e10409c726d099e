import type { StudioTask } from '../../contract/schemas/studio-api.ts';

/**
 * The in-process bus between the tracker and the SSE route: one publish per stored change, fanned out to
 * every open /api/events stream. Watchers only listen; none of them causes an upstream call.
 */
export interface TaskEvents {
  publish(task: StudioTask): void;
  subscribe(listener: (task: StudioTask) => void): () => void;
  listenerCount(): number;
}

export function createTaskEvents(): TaskEvents {
  const listeners = new Set<(task: StudioTask) => void>();
  return {
    publish(task) {
      for (const l of listeners) {
        try {
          l(task);
        } catch {
          // One broken stream must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}
