// adc's Vite plugin: `import adc from "adc/vite"`, then `plugins: [adc()]` (options: see plugin.ts).
import { unplugin } from "./plugin";

const plugin = unplugin.vite;
export = Object.assign(plugin, { default: plugin });
