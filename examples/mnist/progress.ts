// A progress bar in a few lines (a library would weigh more than the feature): one line redrawn
// in place on a terminal, and only the finished line of each epoch when the output is a file or
// a pipe (CI logs stay short).
export class Progress {
  private readonly tty = process.stdout.isTTY === true;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly width = 30,
  ) {}

  /** Shows `done` of `total` with the given fields (e.g. "loss 0.31  12,000 samples/s"). */
  update(done: number, fields: string): void {
    const finished = done >= this.total;
    if (!this.tty) {
      if (finished) console.log(this.line(done, fields));
      return;
    }
    const now = performance.now();
    if (!finished && now - this.lastDraw < 50) return; // redraw at most 20 times a second
    this.lastDraw = now;
    process.stdout.write(`\r${this.line(done, fields)}\x1b[K${finished ? "\n" : ""}`);
  }

  private line(done: number, fields: string): string {
    const filled = Math.round((this.width * done) / this.total);
    const bar = "█".repeat(filled) + "░".repeat(this.width - filled);
    const count = `${String(done).padStart(String(this.total).length)}/${this.total}`;
    return `${this.label} ${bar} ${count}  ${fields}`;
  }
}
