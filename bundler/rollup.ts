// adc's Rollup plugin: `import adc from "adc/rollup"`, then `plugins: [adc()]` (options: see plugin.ts).
import { unplugin } from "./plugin";

const plugin = unplugin.rollup;
export = Object.assign(plugin, { default: plugin });
