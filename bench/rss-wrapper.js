// Fallback when /usr/bin/time is missing: runs `node args...` as a child with inherited stdio and
// prints that child's peak RSS (process.resourceUsage() of the wrapper reports its own, so the
// child's comes from resourceUsage in an exit hook injected with --require).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const hook = path.join(__dirname, 'rss-hook.js');
const r = spawnSync(process.execPath, ['--require', hook, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
