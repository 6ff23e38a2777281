#!/usr/bin/env node
// Builds the Teams app package: manifest.json with MICROSOFT_APP_ID and BOT_HOST filled in, plus the two
// icons, zipped flat (Teams rejects a package whose files sit in a folder). Upload it in Teams
// (Apps → Manage your apps → Upload an app) or the Teams admin center.
//   MICROSOFT_APP_ID=<GUID> BOT_HOST=bridge.example.com node integrations/teams/app-package/build.js [--out file]
'use strict';
const { Buffer } = require('node:buffer');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { zip } = require('./png');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

function fail(message) {
  process.stderr.write(`teams app package: ${message}\n`);
  process.exit(1);
}

function main(argv, env) {
  const appId = env.MICROSOFT_APP_ID ?? '';
  const host = (env.BOT_HOST ?? '').replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (!GUID.test(appId)) fail("MICROSOFT_APP_ID must be the bot's Microsoft App ID (a GUID)");
  if (!HOST.test(host)) fail('BOT_HOST must be the public host name of the bridge, e.g. bridge.example.com');
  const outIdx = argv.indexOf('--out');
  const out =
    outIdx >= 0 && argv[outIdx + 1]
      ? resolve(argv[outIdx + 1])
      : join(__dirname, '..', '..', '..', 'dist', 'teams-app.zip');

  const values = { MICROSOFT_APP_ID: appId, BOT_HOST: host };
  const template = readFileSync(join(__dirname, 'manifest.json'), 'utf8');
  const filled = template.replace(/\{\{(\w+)\}\}/g, (m, name) => {
    if (!(name in values)) fail(`unknown placeholder ${m} in manifest.json`);
    return values[name];
  });
  JSON.parse(filled); // a value that broke the JSON fails here, not in Teams

  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    zip([
      { name: 'manifest.json', data: Buffer.from(filled, 'utf8') },
      { name: 'color.png', data: readFileSync(join(__dirname, 'color.png')) },
      { name: 'outline.png', data: readFileSync(join(__dirname, 'outline.png')) },
    ]),
  );
  process.stdout.write(`${out}\n`);
}

main(process.argv.slice(2), process.env);
