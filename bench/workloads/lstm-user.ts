// The LSTM loss of lstm.ts written the way users write it: nested `number[][]` parameters (a row
// per layer's weights, biases, state and character), a `sigmoid` helper called per gate and a
// `sumExp` helper per prediction, and the step's input and prediction in arrays allocated afresh
// every step. Same value as lstmObjective on the same numbers (test/workloads.test.ts checks it);
// adc's gradient of it is timed against the hand-written gradient of the tuned, flat version.
import { sigmoid, sumExp } from "./user-helpers";

/**
 * ADBench's LSTM loss. main: 2l rows of 4b (a layer's weights, then its biases, each
 * forget|ingate|outgate|change); extra: 3 rows of b (input scale, output scale, output bias);
 * state: 2l rows of b (a layer's hidden state, then its cell state); sequence: c rows of b bits.
 */
export function lstmObjectiveUser(main: number[][], extra: number[][], state: number[][], sequence: number[][]): number {
  const l = main.length / 2;
  const b = extra[0].length;
  const c = sequence.length;
  const hidden = new Array(l * b).fill(0);
  const cell = new Array(l * b).fill(0);
  for (let j = 0; j < l; j++) {
    for (let i = 0; i < b; i++) {
      hidden[j * b + i] = state[2 * j][i];
      cell[j * b + i] = state[2 * j + 1][i];
    }
  }
  let total = 0;
  for (let t = 0; t < c - 1; t++) {
    const x = new Array(b).fill(0);
    for (let i = 0; i < b; i++) x[i] = sequence[t][i] * extra[0][i];
    for (let j = 0; j < l; j++) {
      const w = main[2 * j];
      const bias = main[2 * j + 1];
      for (let i = 0; i < b; i++) {
        const h = hidden[j * b + i];
        const forget = sigmoid(x[i] * w[i] + bias[i]);
        const ingate = sigmoid(h * w[b + i] + bias[b + i]);
        const outgate = sigmoid(x[i] * w[2 * b + i] + bias[2 * b + i]);
        const change = Math.tanh(h * w[3 * b + i] + bias[3 * b + i]);
        const s = cell[j * b + i] * forget + ingate * change;
        cell[j * b + i] = s;
        hidden[j * b + i] = outgate * Math.tanh(s);
        x[i] = hidden[j * b + i];
      }
    }
    const ypred = new Array(b).fill(0);
    for (let i = 0; i < b; i++) ypred[i] = x[i] * extra[1][i] + extra[2][i];
    const lse = Math.log(sumExp(ypred) + 2);
    for (let i = 0; i < b; i++) total += sequence[t + 1][i] * (ypred[i] - lse);
  }
  return -total / ((c - 1) * b);
}
