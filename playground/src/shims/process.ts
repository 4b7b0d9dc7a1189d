// The little of `process` that bundled code may touch in the browser (path-browserify's resolve
// asks for the working directory). `browser: true` keeps TypeScript from taking the page for Node.
export const process = { browser: true, env: {} as Record<string, string | undefined>, cwd: () => "/", platform: "browser" };
