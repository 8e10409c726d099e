import type { ImageFacts } from '../../../contract/images/sniff.ts';
import { fieldLabel } from '../../../contract/rules/field-labels.ts';
import type { CreateRequest } from '../../../contract/schemas/create-request.ts';
import {
  BATCH_LIMITS,
  type BatchRequest,
  type BatchResponse,
  type Violation,
} from '../../../contract/schemas/studio-api.ts';
import { unitsWords } from '../../../contract/words/setup-words.ts';
import type { MotionTab } from '../../editor/draft-types.ts';

/** A picture of a batch drop that passed the browser's check: its bytes go out as one task's `image`. */
export interface BatchPicture {
  name: string;
  /** Raw base64, as a start frame's `image` is sent. */
  base64: string;
  facts: ImageFacts;
}

/** A picture the browser refused at the drop, with the rules it breaks (it is never sent). */
export interface PictureRefusal {
  name: string;
  violations: Violation[];
}

/** Several pictures dropped onto the start frame, waiting for the creator's Generate or Cancel. */
export interface BatchOffer {
  pictures: BatchPicture[];
  refused: PictureRefusal[];
  /** Pictures past the batch's limit, left out (by name). */
  leftOut: string[];
}

/**
 * How large one batch's body may grow: under the studio's default BODY_LIMIT_BYTES (48 MiB) with room for
 * the request's other fields, so a batch the studio would refuse unread (413) is held back here, in words.
 */
export const BATCH_BODY_BYTES = 44 * 1024 * 1024;

/** Splits what was checked at the drop into the batch and what is left out past BATCH_LIMITS.frames. */
export function batchOffer(pictures: BatchPicture[], refused: PictureRefusal[]): BatchOffer {
  return {
    pictures: pictures.slice(0, BATCH_LIMITS.frames),
    refused,
    leftOut: pictures.slice(BATCH_LIMITS.frames).map((p) => p.name),
  };
}

export interface Size {
  width: number;
  height: number;
}

/**
 * Masks and paths are drawn in the start frame's native pixels: they fit another picture only when it
 * has exactly that size. The pictures that do not (their indices), or every one when there is no start frame.
 */
export function otherSizes(pictures: readonly BatchPicture[], start: Size | undefined): number[] {
  return pictures.flatMap((p, i) =>
    start && p.facts.width === start.width && p.facts.height === start.height ? [] : [i],
  );
}

export interface BatchPlan {
  /** Tasks the press makes: one per picture. */
  count: number;
  /** "5 pictures · one task each · 17.5 units". */
  summary: string;
  /** Total units, when one task's price is known. */
  units?: number;
  /** Why this batch cannot go out as it stands, in creator words; the creator's draft stays as it is. */
  blocked?: string;
}

const pictureWord = (n: number) => `${n} ${n === 1 ? 'picture' : 'pictures'}`;
const pictureName = (p: BatchPicture, i: number) => `picture ${i + 1} (${p.name})`;
const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * What a batch drop will do, before it is sent: one task per picture with the draft's motion. The brush's
 * masks travel only when every picture has the start frame's size; otherwise the Motion brush tab refuses
 * the batch with the reason (a task without its masks would not move as painted). Reference video goes
 * to another endpoint, which takes no batch.
 */
export function planBatch(
  offer: BatchOffer,
  { motionTab, start, unitsEach }: { motionTab: MotionTab; start: Size | undefined; unitsEach?: number },
): BatchPlan {
  const count = offer.pictures.length;
  const units = unitsEach === undefined ? undefined : unitsEach * count;
  const summary = [
    pictureWord(count),
    'one task each',
    ...(units === undefined ? [] : [unitsWords(units)]),
  ].join(' · ');
  const plan: BatchPlan = { count, summary, ...(units !== undefined && { units }) };
  if (count === 0) return { ...plan, blocked: 'None of the pictures can be used: each was refused.' };
  if (motionTab === 'reference')
    return {
      ...plan,
      blocked:
        'Reference video makes one task per press; a batch of pictures goes out with the Start & end frames, Motion brush or Camera tab.',
    };
  if (motionTab === 'brush') {
    const off = otherSizes(offer.pictures, start);
    if (off.length) {
      const names = off.map((i) => pictureName(offer.pictures[i]!, i));
      return {
        ...plan,
        blocked: start
          ? `The motion brush's masks fit the start frame's ${start.width} × ${start.height} px; ${names.join(', ')} ${off.length === 1 ? 'has' : 'have'} another size. Drop pictures of that size, or use another Motion tab.`
          : 'The motion brush needs a start frame to paint on before its masks can go with a batch.',
      };
    }
  }
  const bytes = offer.pictures.reduce((sum, p) => sum + p.base64.length, 0);
  if (bytes > BATCH_BODY_BYTES)
    return {
      ...plan,
      blocked: `The ${pictureWord(count)} add up to ${mb(bytes)}; one batch carries up to ${mb(BATCH_BODY_BYTES)}. Drop fewer at a time, or compress them first.`,
    };
  return plan;
}

/**
 * `POST /api/tasks/batch`'s body: the draft's request without its own start frame (each picture is one
 * task's `image`) and without an external id (the studio gives each task its own).
 */
export function batchBody(request: CreateRequest, pictures: readonly BatchPicture[]): BatchRequest {
  const { image: _image, external_task_id: _id, ...shared } = request;
  return { request: shared, images: pictures.map((p) => p.base64) };
}

/** `POST /api/tasks/batch` for Takes: the same request `count` times, each under an id of its own. */
export function takesBody(request: CreateRequest, count: number): BatchRequest {
  const { external_task_id: _id, ...shared } = request;
  return { request: shared, count };
}

/** One picture the studio refused, in the creator's words: which picture, what is wrong, the rule. */
export interface RefusalLine {
  key: string;
  /** The picture's index in the batch. */
  index: number;
  text: string;
  rule: string;
}

const START_LABEL = `${fieldLabel('image')}: `;
const BATCH_FRAME_LABEL = /Picture (\d+) \(images\[(\d+)\]\)/g;

/**
 * The studio names a batch frame "Picture 3 (images[2])"; the creator knows it by its file name. Messages
 * about other fields pass unchanged.
 */
export function namePictures(message: string, names: readonly string[]): string {
  return message.replace(BATCH_FRAME_LABEL, (whole, n: string, i: string) => {
    const name = names[Number(i)];
    return name ? `Picture ${n} (${name})` : whole;
  });
}

/**
 * The pictures of a batch the studio refused, by index, each with the picture's name and every rule its
 * own create broke; a message about the start frame loses its field label, the picture's name says which.
 */
export function refusalLines(refused: BatchResponse['refused'], names: readonly string[]): RefusalLine[] {
  return refused.flatMap(({ index, error }) => {
    const who = `Picture ${index + 1} (${names[index] ?? `images[${index}]`})`;
    const issues = error.issues?.length
      ? error.issues
      : [{ field: 'image', rule: error.code, message: error.message }];
    return issues.map((v, k) => ({
      key: `${index}:${k}:${v.rule}`,
      index,
      text: `${who}: ${v.message.startsWith(START_LABEL) ? v.message.slice(START_LABEL.length) : v.message}`,
      rule: v.rule,
    }));
  });
}
