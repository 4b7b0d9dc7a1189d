// The optimisation pipeline run on every generated function.
import { Builder } from "../ir/builder";
import type { Region } from "../ir/types";
import { cse } from "./cse";
import { dce } from "./dce";
import { fold } from "./fold";
import { fuseIfs } from "./fuse-ifs";
import { pruneTape } from "./tape";

export function optimize(body: Region): void {
  const b = new Builder();
  for (let round = 0; round < 2; round++) {
    fold(body, b);
    cse(body);
    dce(body);
    fuseIfs(body);
  }
  dce(body);
  while (pruneTape(body)) dce(body);
}
