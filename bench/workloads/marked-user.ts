// adc's gradients of the user-style workloads: `npm run bench` compiles this file.
import { grad } from "adc";
import { gmmObjectiveUser } from "./gmm-user";
import { lstmObjectiveUser } from "./lstm-user";

export const gmmUserGradient = grad(gmmObjectiveUser, { wrt: ["alpha", "means", "q", "l"] });
export const lstmUserGradient = grad(lstmObjectiveUser, { wrt: ["main", "extra"] });
