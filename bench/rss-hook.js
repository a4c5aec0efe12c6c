// Preloaded by rss-wrapper.js: reports the process's own peak RSS on stderr when it exits.
'use strict';
process.on('exit', () => process.stderr.write(`bench-max-rss-kb: ${process.resourceUsage().maxRSS}\n`));
