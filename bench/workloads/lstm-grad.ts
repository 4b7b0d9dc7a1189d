// A hand-written reverse-mode gradient of lstmObjective (lstm.ts), written for speed: the "physical
// limit" adc's generated gradient is compared with. Same inputs, same layout.
//
// The forward pass runs the network and records, for every step t, layer j and unit i, the eight
// numbers the backward sweep needs, interleaved in one flat Float64Array (one cache line per unit):
// the input x, the previous hidden and cell states, the four gate values and tanh of the new cell.
// The loss of a step depends only on that step's prediction, so its adjoint (and the output
// weights' and biases' gradients) are computed in the forward pass; only the adjoint reaching the
// top layer's hidden state is stored, b numbers per step. The backward sweep then walks the steps
// and layers in reverse, carrying each layer's hidden- and cell-state adjoints from step t + 1.

export interface LstmGradient {
  main: Float64Array;
  extra: Float64Array;
}

const REC = 8; // recorded numbers per (step, layer, unit)
const X = 0, HP = 1, CP = 2, F = 3, G = 4, O = 5, U = 6, TC = 7;

// Scratch, grown on demand and reused across calls.
let tape = new Float64Array(0);
let dTop = new Float64Array(0); // (c − 1) × b: the loss adjoint w.r.t. the top hidden state
let hcS = new Float64Array(0); // 2l × b running state
let dhS = new Float64Array(0); // l × b
let dcS = new Float64Array(0); // l × b
let upS = new Float64Array(0); // b
let yS = new Float64Array(0); // b

/** The gradient of lstmObjective w.r.t. main and extra (same arguments). */
export function lstmGradient(
  main: Float64Array,
  extra: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
  l: number,
  c: number,
  b: number,
): LstmGradient {
  const steps = c - 1;
  if (tape.length < steps * l * b * REC) tape = new Float64Array(steps * l * b * REC);
  if (dTop.length < steps * b) dTop = new Float64Array(steps * b);
  if (hcS.length < 2 * l * b) {
    hcS = new Float64Array(2 * l * b);
    dhS = new Float64Array(l * b);
    dcS = new Float64Array(l * b);
  }
  if (upS.length < b) {
    upS = new Float64Array(b);
    yS = new Float64Array(b);
  }
  const rec = tape;
  const hc = hcS;
  const dh = dhS;
  const dc = dcS;
  const up = upS;
  const y = yS;
  const dMain = new Float64Array(8 * l * b);
  const dExtra = new Float64Array(3 * b);
  const scale = -1 / (steps * b); // ∂loss/∂total

  for (let i = 0; i < 2 * l * b; i++) hc[i] = state[i];

  // Forward, recording.
  for (let t = 0; t < steps; t++) {
    const so = t * b;
    for (let i = 0; i < b; i++) up[i] = sequence[so + i] * extra[i]; // the layer input
    for (let j = 0; j < l; j++) {
      const w = 8 * b * j;
      const h = 2 * b * j;
      let r = (t * l + j) * b * REC;
      for (let i = 0; i < b; i++, r += REC) {
        const x = up[i];
        const hp = hc[h + i];
        const cp = hc[h + b + i];
        const f = 1 / (1 + Math.exp(-(x * main[w + i] + main[w + 4 * b + i])));
        const g = 1 / (1 + Math.exp(-(hp * main[w + b + i] + main[w + 5 * b + i])));
        const o = 1 / (1 + Math.exp(-(x * main[w + 2 * b + i] + main[w + 6 * b + i])));
        const u = Math.tanh(hp * main[w + 3 * b + i] + main[w + 7 * b + i]);
        const cell = cp * f + g * u;
        const tc = Math.tanh(cell);
        const hid = o * tc;
        rec[r + X] = x;
        rec[r + HP] = hp;
        rec[r + CP] = cp;
        rec[r + F] = f;
        rec[r + G] = g;
        rec[r + O] = o;
        rec[r + U] = u;
        rec[r + TC] = tc;
        hc[h + b + i] = cell;
        hc[h + i] = hid;
        up[i] = hid;
      }
    }
    // The step's loss: total += Σ_i gold_i (y_i − log(Σ exp y + 2)).
    let se = 0;
    let gold = 0;
    const go = so + b;
    for (let i = 0; i < b; i++) {
      const yi = up[i] * extra[b + i] + extra[2 * b + i];
      const e = Math.exp(yi);
      y[i] = e;
      se += e;
      gold += sequence[go + i];
    }
    const k = gold / (se + 2);
    for (let i = 0; i < b; i++) {
      const dy = scale * (sequence[go + i] - k * y[i]);
      dExtra[b + i] += dy * up[i];
      dExtra[2 * b + i] += dy;
      dTop[so + i] = dy * extra[b + i];
    }
  }

  // Backward.
  dh.fill(0, 0, l * b);
  dc.fill(0, 0, l * b);
  for (let t = steps - 1; t >= 0; t--) {
    const so = t * b;
    for (let i = 0; i < b; i++) up[i] = dTop[so + i];
    for (let j = l - 1; j >= 0; j--) {
      const w = 8 * b * j;
      const jb = j * b;
      let r = (t * l + j) * b * REC;
      for (let i = 0; i < b; i++, r += REC) {
        const x = rec[r + X];
        const hp = rec[r + HP];
        const f = rec[r + F];
        const g = rec[r + G];
        const o = rec[r + O];
        const u = rec[r + U];
        const tc = rec[r + TC];
        const dhv = up[i] + dh[jb + i];
        const dcv = dc[jb + i] + dhv * o * (1 - tc * tc);
        const dpo = dhv * tc * o * (1 - o);
        const dpf = dcv * rec[r + CP] * f * (1 - f);
        const dpg = dcv * u * g * (1 - g);
        const dpu = dcv * g * (1 - u * u);
        dMain[w + i] += dpf * x;
        dMain[w + b + i] += dpg * hp;
        dMain[w + 2 * b + i] += dpo * x;
        dMain[w + 3 * b + i] += dpu * hp;
        dMain[w + 4 * b + i] += dpf;
        dMain[w + 5 * b + i] += dpg;
        dMain[w + 6 * b + i] += dpo;
        dMain[w + 7 * b + i] += dpu;
        dh[jb + i] = dpg * main[w + b + i] + dpu * main[w + 3 * b + i];
        dc[jb + i] = dcv * f;
        up[i] = dpf * main[w + i] + dpo * main[w + 2 * b + i]; // to the input: layer j − 1's output
      }
    }
    for (let i = 0; i < b; i++) dExtra[i] += up[i] * sequence[so + i];
  }

  return { main: dMain, extra: dExtra };
}
