// The LSTM acceptance workload of issue 3: ADBench's LSTM loss (also GradBench's `lstm` eval).
// l stacked layers of an LSTM whose weight "matrices" are diagonal (every gate of unit i sees only
// element i of its input or of its own previous hidden state), run over a sequence of c characters
// of b bits each; after every character but the last, the top layer's hidden state is scaled into
// a prediction of the next character's bits, scored by a log-softmax-style loss.
//
// Per layer, main holds a row of weights then a row of biases, each split into the forget, input,
// output gates and the candidate ("change"), b entries apiece: main[8b·layer + 4b·row + b·gate + i].
// extra holds the input scaling, the output scaling and the output bias (b each). state holds each
// layer's initial hidden state then its initial cell state. For unit i of a layer with input x and
// previous hidden state h, cell state s:
//
//   f = σ(x w_f + b_f)   g = σ(h w_g + b_g)   o = σ(x w_o + b_o)   u = tanh(h w_u + b_u)
//   s ← s f + g u        h ← o tanh(s)        (and h is the next layer's input)
//
// The prediction is y = h_top · w_out + b_out, its normaliser ADBench's log(Σ_i exp(y_i) + 2), and
// the loss −(1 / ((c − 1) b)) Σ_t Σ_i bit_{t+1,i} (y_i − normaliser).
//
// Written in the subset adc differentiates: one function, no calls to user functions, flat
// Float64Arrays, counted loops, scalar locals, element writes only into local scratch arrays
// allocated once at the top (the running state and the current layer input are overwritten every
// step). The gradient is taken w.r.t. main and extra.

/**
 * ADBench's LSTM loss. Shapes: main 2l × 4b, extra 3 × b, state 2l × b, sequence c × b (flat,
 * row-major).
 */
export function lstmObjective(
  main: Float64Array,
  extra: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
  l: number,
  c: number,
  b: number,
): number {
  const hc = new Float64Array(2 * l * b); // per layer: hidden state, then cell state
  const inp = new Float64Array(b); // the current layer's input; becomes its output
  const ypred = new Float64Array(b);
  for (let i = 0; i < 2 * l * b; i++) {
    hc[i] = state[i];
  }
  let total = 0;
  for (let t = 0; t < c - 1; t++) {
    for (let i = 0; i < b; i++) {
      inp[i] = sequence[t * b + i] * extra[i];
    }
    for (let j = 0; j < l; j++) {
      const w = 8 * b * j; // this layer's weights; its biases start at w + 4b
      const h = 2 * b * j; // this layer's hidden state; its cell state starts at h + b
      for (let i = 0; i < b; i++) {
        const xi = inp[i];
        const hprev = hc[h + i];
        const forget = 1 / (1 + Math.exp(-(xi * main[w + i] + main[w + 4 * b + i])));
        const ingate = 1 / (1 + Math.exp(-(hprev * main[w + b + i] + main[w + 5 * b + i])));
        const outgate = 1 / (1 + Math.exp(-(xi * main[w + 2 * b + i] + main[w + 6 * b + i])));
        const change = Math.tanh(hprev * main[w + 3 * b + i] + main[w + 7 * b + i]);
        const cell = hc[h + b + i] * forget + ingate * change;
        const hidden = outgate * Math.tanh(cell);
        hc[h + b + i] = cell;
        hc[h + i] = hidden;
        inp[i] = hidden;
      }
    }
    let se = 0;
    for (let i = 0; i < b; i++) {
      ypred[i] = inp[i] * extra[b + i] + extra[2 * b + i];
      se += Math.exp(ypred[i]);
    }
    const lse = Math.log(se + 2);
    for (let i = 0; i < b; i++) {
      total += sequence[(t + 1) * b + i] * (ypred[i] - lse);
    }
  }
  return -total / ((c - 1) * b);
}
