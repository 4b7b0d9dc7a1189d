// adc run: an exception the program throws is printed with its stack, at the source's lines.
interface Point {
  readonly x: number;
}

export function norm(p: Point): number {
  if (p.x < 0) throw new RangeError("negative");
  return p.x;
}

norm({ x: -1 });
