// The tensor runtime: Tensor, its operations (functions, and methods on Tensor), random
// initialisation, optimizers, and the pieces tensor AD builds on (reduceToShape, matmulTransA/B).
export { Tensor, DEFAULT_DTYPE, shapeString } from "./tensor";
export type { Axes, DType, Indices, NestedArray, Operand, Shape, TensorData } from "./tensor";
export { tensor, scalar, zeros, ones, full, zerosLike, onesLike, fullLike, eye, arange, oneHot } from "./creation";
export { broadcastShapes, broadcastTo, reduceToShape } from "./broadcast";
export { add, sub, mul, div, pow, maximum, minimum } from "./elementwise";
export { exp, log, sqrt, tanh, sigmoid, relu, leakyRelu, gelu, softplus, abs, neg, square } from "./unary";
export { sum, mean, max, logsumexp, argmax } from "./reduce";
export { matmul, matmulTransA, matmulTransB, setMatmulBackend, matmulBackend } from "./matmul";
export type { MatmulBackend } from "./matmul";
export { transpose, reshape, slice, sliceRows, sliceCols, concat, gather, pick } from "./shape-ops";
export { softmax, logSoftmax, softmaxCrossEntropy, mse } from "./nn";
export { Rng, setSeed, randu, randn, glorotUniform, glorotNormal, heNormal, heUniform, permutation } from "./random";
export type { RandomOptions } from "./random";
export { sgd, adam } from "./optim";
export type { Optimizer, SgdOptions, AdamOptions } from "./optim";
export {
  unbroadcast, reluGrad, tanhGrad, sigmoidGrad, expandLike, meanGrad, softmaxCrossEntropyGrad, fromItem, addInto,
  emptyTensor, crossEntropyLabelsGrad, sumGrad, meanAxisGrad, absGrad, maxGrad, logsumexpGrad, softmaxGrad, logSoftmaxGrad, logSoftmaxTangent, mseGrad,
} from "./adjoints";
export { guardAdjoint } from "./guard";
