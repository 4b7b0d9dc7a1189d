// adc's webpack plugin: `import adc from "adc/webpack"`, then `plugins: [adc()]` (options: see plugin.ts).
import { unplugin } from "./plugin";

const plugin = unplugin.webpack;
export = Object.assign(plugin, { default: plugin });
