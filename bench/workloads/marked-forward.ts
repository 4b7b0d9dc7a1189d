// Forward mode on the GMM workload: a directional derivative of gmmObjective (one direction) and
// vector mode (several directions in one sweep). `npm run bench` (bench/forward.ts) compiles this file.
import { jvp } from "adc";
import { gmmObjective } from "./gmm";

export const gmmJvp = jvp(gmmObjective);
export const gmmJvp2 = jvp(gmmObjective, { directions: 2 });
export const gmmJvp4 = jvp(gmmObjective, { directions: 4 });
export const gmmJvp8 = jvp(gmmObjective, { directions: 8 });

