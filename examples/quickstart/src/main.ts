// Fits y ≈ w·x + b to a few points by gradient descent. The loss of one point is ordinary
// TypeScript; `grad(pointLoss, { wrt: ["w", "b"] })` becomes a generated function at build time
// (see it with `npx adc compile src/main.ts`), and the training loop is plain code around it.
import { checkGrad, grad, valueAndGrad } from "adc";

/** Squared error of the line (w, b) at one point, with a little L2 regularisation. */
export function pointLoss(w: number, b: number, x: number, y: number): number {
  const error = w * x + b - y;
  return error * error + 0.01 * w * w;
}

// Only w and b are differentiated; x and y are data. A tuple [∂/∂w, ∂/∂b] comes back.
const lossGrad = grad(pointLoss, { wrt: ["w", "b"] });
const lossValueAndGrad = valueAndGrad(pointLoss, { wrt: ["w", "b"] });

const points: [number, number][] = [
  [0, 1.1],
  [1, 2.9],
  [2, 5.2],
  [3, 6.8],
  [4, 9.1],
];

let w = 0;
let b = 0;
const rate = 0.02;
for (let step = 0; step < 2000; step++) {
  let gw = 0;
  let gb = 0;
  for (const [x, y] of points) {
    const [dw, db] = lossGrad(w, b, x, y);
    gw += dw;
    gb += db;
  }
  w -= rate * gw;
  b -= rate * gb;
}

let loss = 0;
for (const [x, y] of points) loss += lossValueAndGrad(w, b, x, y)[0];
console.log(`fit: y = ${w.toFixed(4)}·x + ${b.toFixed(4)}, loss ${loss.toFixed(6)}`);

// The generated gradient agrees with central differences (a check for your own tests too):
// checkGrad(f, args) compares adc's gradient of f at args with central differences.
const check = checkGrad(pointLoss, [w, b, 2, 5.2]);
console.log(`gradient check: ${check.ok ? "ok" : "FAILED"} (max error ${check.maxError.toExponential(2)})`);
