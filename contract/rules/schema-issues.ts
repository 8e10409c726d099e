import type { z } from 'zod';
import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';
import { patternWords } from './text-rules.ts';

/** `['dynamic_masks', 0, 'mask']` → `dynamic_masks[0].mask`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
};

/** Turns zod's structural issues into the contract's violations: field path, rule id, plain message. */
export function violationsFromZod(error: z.ZodError, input: unknown): Violation[] {
  const out: Violation[] = [];
  for (const issue of error.issues) {
    const value = valueAt(input, issue.path);
    const push = (path: readonly PropertyKey[], rule: string, msg: string) => {
      const field = fieldPath(path);
      out.push({ field, rule, message: `${fieldLabel(field)}: ${msg}` });
    };
    switch (issue.code) {
      case 'invalid_type': {
        if (value === undefined) push(issue.path, 'required', 'is required');
        else if (issue.expected === 'int' || (issue.expected === 'number' && typeof value === 'number'))
          push(issue.path, 'integer', `must be a whole number (got ${describeValue(value)})`);
        else
          push(
            issue.path,
            'type',
            `must be ${TYPE_WORDS[issue.expected] ?? issue.expected} (got ${describeValue(value)})`,
          );
        break;
      }
      case 'too_big': {
        const max = Number(issue.maximum);
        if (issue.origin === 'string')
          push(
            issue.path,
            'max_length',
            `must be at most ${max} characters (it has ${String(value).length})`,
          );
        else if (issue.origin === 'array')
          push(
            issue.path,
            'too_many',
            `must have at most ${max} items (it has ${Array.isArray(value) ? value.length : '?'})`,
          );
        else push(issue.path, 'range', `must be at most ${max} (got ${describeValue(value)})`);
        break;
      }
      case 'too_small': {
        const min = Number(issue.minimum);
        if (issue.origin === 'string')
          push(
            issue.path,
            min <= 1 ? 'required' : 'min_length',
            min <= 1 ? 'must not be empty' : `must be at least ${min} characters`,
          );
        else if (issue.origin === 'array')
          push(
            issue.path,
            'too_few',
            `must have at least ${min} items (it has ${Array.isArray(value) ? value.length : '?'})`,
          );
        else push(issue.path, 'range', `must be at least ${min} (got ${describeValue(value)})`);
        break;
      }
      case 'invalid_value':
        // zod reports a missing enum as a wrong value; for the creator it is a missing field.
        if (value === undefined) {
          push(issue.path, 'required', 'is required');
          break;
        }
        push(
          issue.path,
          'enum',
          `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(value)})`,
        );
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys)
          push([...issue.path, key], 'unknown_field', 'is not a field of this request');
        break;
      case 'invalid_format':
        push(
          issue.path,
          'format',
          (issue.format === 'regex' ? patternWords(fieldPath(issue.path), value) : undefined) ??
            `must be a valid ${issue.format === 'url' ? 'http(s) URL' : issue.format}`,
        );
        break;
      default:
        push(issue.path, 'invalid', issue.message);
    }
  }
  return out;
}
