/**
 * Undo/redo as two stacks of commands. The history holds data, not closures: the store decides how a
 * command is undone, so the same command can be replayed either way and inspected in tests.
 * Bounded by count and by bytes, so a long session on a 4096² frame cannot grow without limit.
 */
export class History<C extends { bytes?: number }> {
  private done: C[] = [];
  private undone: C[] = [];

  constructor(
    private readonly maxEntries = 200,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  get size(): number {
    return this.done.length;
  }

  push(command: C): void {
    this.done.push(command);
    this.undone = [];
    let bytes = this.done.reduce((n, c) => n + (c.bytes ?? 0), 0);
    while (this.done.length > this.maxEntries || (bytes > this.maxBytes && this.done.length > 1)) {
      bytes -= this.done.shift()?.bytes ?? 0;
    }
  }

  /** The command to undo (moved to the redo stack), if any. */
  undo(): C | undefined {
    const c = this.done.pop();
    if (c) this.undone.push(c);
    return c;
  }

  redo(): C | undefined {
    const c = this.undone.pop();
    if (c) this.done.push(c);
    return c;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
