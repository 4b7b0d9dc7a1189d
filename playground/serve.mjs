// `npm run playground`: builds the playground and serves it on localhost (a static server of this
// folder: index.html, style.css and build/). `PORT=… npm run playground` picks the port.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildPlayground } from "./build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
};

/** Serves this folder on 127.0.0.1 (port 0: any free one); resolves once it listens. */
export function serve(port = 0) {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(here, pathname === "/" ? "index.html" : pathname));
    const stat = file.startsWith(here + sep) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (request.method !== "GET" || !stat?.isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "content-length": stat.size, "cache-control": "no-cache" });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildPlayground();
  const server = await serve(Number(process.env.PORT ?? 5173));
  console.log(`adc playground: http://localhost:${server.address().port}/  (Ctrl-C stops it)`);
}
