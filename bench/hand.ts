// Hand-written gradients of bench/functions.ts, in the best plain-JS style: straight-line `const`
// locals, the reverse sweep written out by hand, one fresh array of numbers returned (the shape
// adc's `grad` returns). The benchmark checks them against central differences before timing.

export function seedGradHand(x1: number, x2: number): [number, number] {
  const e = Math.exp(-0.5 * (x1 * x1 + x2 * x2));
  const xe = x1 * e;
  return [e - x1 * xe, -x2 * xe];
}

export function blendGradHand(
  a: number,
  b: number,
  c: number,
  d: number,
  p: number,
  q: number,
  r: number,
): [number, number, number, number, number, number, number] {
  // forward sweep
  const s = a * b + c;
  const sinS = Math.sin(s);
  const dp = d - p;
  const cosDp = Math.cos(dp);
  const t = sinS * cosDp;
  const u = Math.exp(-0.5 * (q * q + r * r));
  const va = 1 + a * a + s * s;
  const v = Math.log(va);
  const w = Math.sqrt(u + v * v + 0.25);
  const dd = 1 + d * d;
  const h = Math.tanh(t * w - u / dd);
  const cc = c * c + 1;
  const k = h * s + t * v - w / cc;
  const pos = s > 0;
  const m = pos ? k * u + h : k - u * h;
  const kp = k * p;
  const sinKp = Math.sin(kp);
  const hq = h + q;
  const cosHq = Math.cos(hq);
  const rr = 1 + r * r;
  // reverse sweep, ȳ = 1: y = m·t + sin(k·p)·v − cos(h + q)·w / rr
  const kpBar = Math.cos(kp) * v;
  const hqBar = (Math.sin(hq) * w) / rr;
  const rrBar = (cosHq * w) / (rr * rr);
  let tBar = m;
  let vBar = sinKp;
  let wBar = -cosHq / rr;
  let kBar = p * kpBar;
  let pBar = k * kpBar;
  let hBar = hqBar;
  let qBar = hqBar;
  let rBar = 2 * r * rrBar;
  // m
  let uBar: number;
  if (pos) {
    kBar += t * u;
    uBar = t * k;
    hBar += t;
  } else {
    kBar += t;
    uBar = -t * h;
    hBar -= t * u;
  }
  // k = h·s + t·v − w / cc
  hBar += kBar * s;
  let sBar = kBar * h;
  tBar += kBar * v;
  vBar += kBar * t;
  wBar -= kBar / cc;
  let cBar = (2 * c * kBar * w) / (cc * cc);
  // h = tanh(t·w − u / dd)
  const haBar = hBar * (1 - h * h);
  tBar += haBar * w;
  wBar += haBar * t;
  uBar -= haBar / dd;
  let dBar = (2 * d * haBar * u) / (dd * dd);
  // w = sqrt(u + v² + ¼)
  const waBar = (0.5 * wBar) / w;
  uBar += waBar;
  vBar += 2 * v * waBar;
  // v = log(va)
  const vaBar = vBar / va;
  let aBar = 2 * a * vaBar;
  sBar += 2 * s * vaBar;
  // u = exp(−½(q² + r²))
  const quBar = -uBar * u;
  qBar += q * quBar;
  rBar += r * quBar;
  // t = sin(s)·cos(d − p)
  sBar += tBar * cosDp * Math.cos(s);
  const dpBar = -tBar * sinS * Math.sin(dp);
  dBar += dpBar;
  pBar -= dpBar;
  // s = a·b + c
  aBar += sBar * b;
  const bBar = sBar * a;
  cBar += sBar;
  return [aBar, bBar, cBar, dBar, pBar, qBar, rBar];
}
