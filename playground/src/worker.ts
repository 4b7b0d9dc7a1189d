// The compiler runs in a worker, so typing never waits on it and an endless loop in the user's
// code can be stopped (the page terminates a worker that takes too long and starts another).
import { answer } from "./session";
import type { Request, Result } from "./protocol";
import { loadFiles } from "./virtual-fs";

const ready = fetch(new URL("./files.json", import.meta.url))
  .then((response) => response.json())
  .then(loadFiles);

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  let result: Result;
  try {
    await ready;
    result = await answer(request);
  } catch (e) {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    result = { id: request.id, functions: [], params: [], point: [], diagnostics: [`adc internal error: ${message}`], timings: {} };
  }
  self.postMessage(result);
};
