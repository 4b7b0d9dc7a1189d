// @grad on a static getter
// expect: diagnostic
// known: not refused yet (reported): adc compiles it without a diagnostic
import { grad } from "adc";
export class C {
  @grad static get k(): number {
    return 2;
  }
}
