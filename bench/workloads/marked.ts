// The workloads' gradients as adc generates them: `npm run bench` compiles this file.
import { grad } from "adc";
import { gmmObjective } from "./gmm";
import { lstmObjective } from "./lstm";

export const gmmGradient = grad(gmmObjective, { wrt: ["alpha", "means", "q", "l"] });
export const lstmGradient = grad(lstmObjective, { wrt: ["main", "extra"] });
