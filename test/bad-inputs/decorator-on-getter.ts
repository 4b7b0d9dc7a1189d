// @grad on a static getter
// expect: ADC2001
import { grad } from "adc";
export class C {
  @grad static get k(): number {
    return 2;
  }
}
