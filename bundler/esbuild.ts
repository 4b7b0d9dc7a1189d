// adc's esbuild plugin: `import adc from "adc/esbuild"`, then `plugins: [adc()]` (options: see plugin.ts).
import { unplugin } from "./plugin";

const plugin = unplugin.esbuild;
export = Object.assign(plugin, { default: plugin });
