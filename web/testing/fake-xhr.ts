/**
 * Stands in for XMLHttpRequest (the upload's transport): every request is recorded, and the test answers
 * it by hand — progress events, then a status and a body — so the upload's progress and its refusals can
 * be driven step by step.
 */
export class FakeXhr {
  static sent: FakeXhr[] = [];
  static reset() {
    FakeXhr.sent = [];
  }

  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } =
    {
      onprogress: null,
    };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.sent.push(this);
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }

  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

/** The backend's 201 answer to an upload of these facts. */
export function uploadAnswer(
  id: string,
  facts: { format: 'mp4' | 'mov'; bytes: number; width: number; height: number; durationMs: number },
) {
  return { upload: { id, ref: `upload:${id}`, ...facts } };
}
