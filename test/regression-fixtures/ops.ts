// A helper module for test/regressions.test.ts: functions generated code imports by name.
export function sq(x: number): number {
  return x * x;
}
