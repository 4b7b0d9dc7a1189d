// The optimisation pipeline run on every generated function.
import { Builder } from "../ir/builder";
import type { Region } from "../ir/types";
import { cse } from "./cse";
import { dce } from "./dce";
import { fold } from "./fold";
import { fuseIfs } from "./fuse-ifs";
import { hoistInvariants } from "./hoist";
import { pruneTape } from "./tape";
import { forwardZeroStores } from "./zero-stores";

export function optimize(body: Region): void {
  const b = new Builder();
  for (let round = 0; round < 2; round++) {
    fold(body, b);
    hoistInvariants(body);
    cse(body);
    dce(body);
    fuseIfs(body);
  }
  forwardZeroStores(body);
  dce(body);
  while (pruneTape(body)) dce(body);
}
