// Draws the Teams app icons (run once; the PNGs are checked in): color.png 192×192 on the accent colour,
// outline.png 32×32 white on transparent, as the Teams app manifest requires.
// https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { png } = require('./png');

const ACCENT = [0xd8, 0x3b, 0x01, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];
const CLEAR = [0, 0, 0, 0];

/** A ring with an exclamation mark: "an incident", readable at 32 px. Coordinates in units of the size. */
function mark(size) {
  const c = size / 2;
  return (x, y) => {
    const px = x + 0.5;
    const py = y + 0.5;
    const r = Math.hypot(px - c, py - c) / size;
    const ring = r > 0.36 && r < 0.46;
    const bar = Math.abs(px - c) < size * 0.055 && py > size * 0.24 && py < size * 0.6;
    const dot = Math.hypot(px - c, py - size * 0.71) < size * 0.065;
    return ring || bar || dot;
  };
}

function draw(size, on, off) {
  const inside = mark(size);
  return png(size, size, (x, y) => (inside(x, y) ? on : off));
}

writeFileSync(join(__dirname, 'color.png'), draw(192, WHITE, ACCENT));
writeFileSync(join(__dirname, 'outline.png'), draw(32, WHITE, CLEAR));
