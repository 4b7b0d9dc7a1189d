// The loss curve as a small standalone SVG, written by hand: the loss of every step (thin, grey)
// and its mean over each epoch (thick), with axes, ticks and labels.
export interface Curve {
  /** The loss of each training step. */
  readonly steps: readonly number[];
  /** The mean loss of each epoch. */
  readonly epochs: readonly number[];
}

const W = 640;
const H = 360;
const M = { left: 56, right: 16, top: 32, bottom: 44 };

function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export function lossCurveSvg(curve: Curve, title: string): string {
  const { steps, epochs } = curve;
  const n = steps.length;
  const yMax = Math.max(...steps.slice(Math.min(5, n - 1))) * 1.05; // the first steps would flatten the plot
  const x = (step: number) => M.left + ((W - M.left - M.right) * step) / Math.max(1, n);
  const y = (loss: number) => M.top + (H - M.top - M.bottom) * (1 - Math.min(loss, yMax) / yMax);
  const path = (points: [number, number][]) =>
    points.map(([a, b], i) => `${i === 0 ? "M" : "L"}${a.toFixed(1)},${b.toFixed(1)}`).join("");
  const perStep = path(steps.map((l, i) => [x(i + 1), y(l)]));
  const perEpoch = n / epochs.length;
  const perEpochPath = path(epochs.map((l, e) => [x((e + 1) * perEpoch), y(l)]));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
  ];
  for (const t of ticks(0, yMax, 5)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  for (let e = 0; e <= epochs.length; e++) {
    const px = x(e * perEpoch).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="black"/>`);
    parts.push(`<text x="${px}" y="${H - M.bottom + 16}" text-anchor="middle">${e}</text>`);
  }
  parts.push(
    `<path d="M${M.left},${M.top}V${H - M.bottom}H${W - M.right}" fill="none" stroke="black"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">loss (softmax cross-entropy)</text>`,
    `<path d="${perStep}" fill="none" stroke="#999" stroke-width="0.6"/>`,
    `<path d="${perEpochPath}" fill="none" stroke="#c33" stroke-width="2"/>`,
    `<text x="${W - M.right - 4}" y="${M.top + 14}" text-anchor="end" fill="#c33">epoch mean</text>`,
    `<text x="${W - M.right - 4}" y="${M.top + 28}" text-anchor="end" fill="#777">each step</text>`,
    `</svg>`,
  );
  return parts.join("\n") + "\n";
}
