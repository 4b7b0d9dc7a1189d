/** A request that does not fit the file (unknown function, wrong point, a trace too big to draw): a usage error. */
export class GraphRequestError extends Error {}
