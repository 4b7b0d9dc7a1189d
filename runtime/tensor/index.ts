// The tensor runtime: Tensor, its operations (functions, and methods on Tensor), random
// initialisation, optimizers, and the pieces tensor AD builds on (reduceToShape, matmulTransA/B).
export { Tensor, DEFAULT_DTYPE, shapeString } from "./tensor";
export type { Axes, Dims, DType, Indices, NestedArray, Operand, Shape, TensorData } from "./tensor";
export { tensor, scalar, zeros, ones, full, zerosLike, onesLike, fullLike, eye, arange, oneHot } from "./creation";
export { broadcastShapes, broadcastTo, reduceToShape } from "./broadcast";
export { add, sub, mul, div, pow, maximum, minimum, where, greater, greaterEqual, less, lessEqual, equal, mulSafe, divSafe } from "./elementwise";
export { exp, log, sqrt, tanh, sigmoid, relu, leakyRelu, gelu, elu, clamp, softplus, abs, neg, square } from "./unary";
export { sum, mean, max, min, logsumexp, variance, argmax } from "./reduce";
export { matmul, matmulTransA, matmulTransB, setMatmulBackend, matmulBackend } from "./matmul";
export type { MatmulBackend } from "./matmul";
export { transpose, reshape, slice, sliceRows, sliceCols, concat, stack, take, gather, pick, dim, invertPermutation } from "./shape-ops";
export { softmax, logSoftmax, softmaxCrossEntropy, mse } from "./nn";
export { Rng, setSeed, randu, randn, glorotUniform, glorotNormal, heNormal, heUniform, permutation } from "./random";
export type { RandomOptions } from "./random";
export { sgd, adam } from "./optim";
export type { Optimizer, SgdOptions, AdamOptions } from "./optim";
export {
  escape, unbroadcast, broadcastLike, reluGrad, tanhGrad, sigmoidGrad, expandLike, meanGrad, softmaxCrossEntropyGrad, fromItem, addInto,
  emptyTensor, crossEntropyLabelsGrad, sumGrad, meanAxisGrad, absGrad, mseGrad,
} from "./adjoints";
export {
  maxGrad, maxTangent, minGrad, minTangent, logsumexpGrad, logsumexpTangent, varianceGrad, varianceTangent,
  softmaxGrad, logSoftmaxGrad, logSoftmaxTangent,
} from "./adjoints-reduce";
export { reshapeLike, sliceGrad, sliceRowsGrad, sliceColsGrad, takeGrad, gatherGrad, pickGrad } from "./adjoints-shape";
export { leakyReluGrad, geluGrad, eluGrad, clampGrad } from "./adjoints-unary";
export { matmulGradA, matmulGradB } from "./adjoints-matmul";
export { conv2d, conv2dGradInput, conv2dGradFilter } from "./conv";
export { maxPool2d, maxPool2dGrad, maxPool2dTangent, avgPool2d, avgPool2dGrad } from "./pool";
export {
  layerNorm, batchNorm, batchNormInference, batchMoments, layerNormalize, layerNormalizeGrad, batchNormalize, batchNormalizeGrad,
} from "./norm";
export { dropout } from "./dropout";
export { attention, attentionGrad, attentionTangent } from "./attention";
export { enterArena, leaveArena, arenaStats } from "./arena";
export type { ArenaStats } from "./arena";
export { setBackend, currentBackend, defaultBackend } from "./backend";
export type { Backend, ConvCall } from "./backend";
export { tfjsBackend } from "./tfjs-backend";
export type { TfLike, TfTensor } from "./tfjs-backend";
export { guardAdjoint } from "./guard";
