import { describe, expect, it } from 'vitest';
import { klingTaskSchema } from './kling-task.ts';

const task = { task_id: '1', task_status: 'succeed', created_at: 1, updated_at: 2 };

describe('klingTaskSchema final_unit_deduction', () => {
  it.each(['1', '0', '2.5', '10.000'])('keeps the decimal %s', (units) => {
    expect(klingTaskSchema.parse({ ...task, final_unit_deduction: units }).final_unit_deduction).toBe(units);
  });

  it.each(['<img src=x onerror=alert(1)>', '', '1e3', '-1', '.5', '1.', ' 1', '1\n', 'NaN'])(
    'drops %j and keeps the rest of the task',
    (units) => {
      const parsed = klingTaskSchema.parse({ ...task, final_unit_deduction: units });
      expect(parsed).not.toHaveProperty('final_unit_deduction', units);
      expect(parsed.final_unit_deduction).toBeUndefined();
      expect(parsed.task_status).toBe('succeed');
    },
  );

  it('drops a number where Kling sends a string', () => {
    expect(klingTaskSchema.parse({ ...task, final_unit_deduction: 5 }).final_unit_deduction).toBeUndefined();
  });
});
