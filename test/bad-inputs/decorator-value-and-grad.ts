// an operator that is not a decorator used as one
// expect: ADC2001
import { valueAndGrad } from "adc";
export class M {
  @valueAndGrad static b(w: number): number {
    return w;
  }
}
