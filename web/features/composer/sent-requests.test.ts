import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../contract/schemas/kling-task.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { normalizeListParams, taskKeys } from '../../api/task-queries.ts';
import { makeHistory, makeList } from '../../testing/task-fixture.ts';
import { cachedTaskStatus, rememberSent, runningTwin, type SentRequest } from './sent-requests.ts';

const statuses = (map: Record<string, TaskStatus>) => (id: string) => map[id];

describe('runningTwin', () => {
  const sent: SentRequest[] = [
    { fingerprint: 'A', taskId: 't1' },
    { fingerprint: 'B', taskId: 't2' },
    { fingerprint: 'A', taskId: 't3' },
  ];

  it('names the task still running with the same body', () => {
    expect(runningTwin('A', sent, statuses({ t1: 'succeed', t3: 'processing' }))).toBe('t3');
    expect(runningTwin('B', sent, statuses({ t2: 'submitted' }))).toBe('t2');
  });

  it('says nothing once every twin has finished, for another body, or when no status is known', () => {
    expect(runningTwin('A', sent, statuses({ t1: 'succeed', t3: 'failed' }))).toBeUndefined();
    expect(runningTwin('C', sent, statuses({ t1: 'processing' }))).toBeUndefined();
    expect(runningTwin('A', sent, statuses({}))).toBeUndefined();
  });
});

describe('rememberSent', () => {
  it('keeps the newest 50', () => {
    let sent: SentRequest[] = [];
    for (let i = 0; i < 60; i++) sent = rememberSent(sent, { fingerprint: 'A', taskId: `t${i}` });
    expect(sent).toHaveLength(50);
    expect(sent[0]!.taskId).toBe('t10');
    expect(sent.at(-1)!.taskId).toBe('t59');
  });
});

describe('cachedTaskStatus', () => {
  const task = (id: string, status: TaskStatus) => ({ id, status }) as StudioTask;

  it('reads the detail entry, or a list page holding the task', () => {
    const client = new QueryClient();
    client.setQueryData(taskKeys.detail('t1'), task('t1', 'processing'));
    client.setQueryData(
      taskKeys.list(normalizeListParams({})),
      makeHistory(makeList([task('t2', 'submitted')])),
    );
    expect(cachedTaskStatus(client, 't1')).toBe('processing');
    expect(cachedTaskStatus(client, 't2')).toBe('submitted');
    expect(cachedTaskStatus(client, 't9')).toBeUndefined();
  });

  it('a final status anywhere wins: statuses only move forward', () => {
    const client = new QueryClient();
    client.setQueryData(taskKeys.detail('t1'), task('t1', 'processing'));
    client.setQueryData(
      taskKeys.list(normalizeListParams({})),
      makeHistory(makeList([task('t1', 'succeed')])),
    );
    expect(cachedTaskStatus(client, 't1')).toBe('succeed');
  });
});
