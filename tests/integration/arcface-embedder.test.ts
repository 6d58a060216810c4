/**
 * The default embedder on real photos: its weights are checked at start-up, a turned and shrunk copy of a photo
 * describes the same face, and a sample's stored crop describes it again without the original.
 */
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { dot } from '../../core/classifier/geometry.ts';
import { loadConfig } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import type { AnalyzedFace } from '../../core/faces/analyze.ts';
import { createLogger } from '../../core/logger.ts';
import { decodeImage } from '../../core/media/index.ts';
import { openRuntime } from '../../core/runtime.ts';
import { ARCFACE_MODEL_FILE, ARCFACE_MODEL_SHA256, readArcfaceModel } from '../../models/arcface-model.ts';
import { ModelFileError } from '../../models/model-file.ts';
import { selectOnnxRuntime } from '../../models/onnx-runtime.ts';
import { arcfaceEmbedder } from '../../core/faces/arcface-embedder.ts';
import { ARCFACE_CHIP_SIZE } from '../../core/faces/five-point.ts';
import { assertExit, runCliWithEnvironment } from '../helpers/cli.ts';
import { BLACKPINK, blackpinkPhoto } from '../helpers/fixtures.ts';
import { openTestRuntime, testEnvironment, type TestRuntime } from '../helpers/runtime.ts';

let runtime: TestRuntime;
let context: CoreContext;

before(async () => {
  runtime = await openTestRuntime('arcface');
  context = runtime.context;
});

after(async () => {
  await runtime.close();
});

async function largestFace(bytes: Buffer): Promise<AnalyzedFace> {
  const faces = await (await context.faces()).analyze(await decodeImage(bytes, context.mediaLimits), 'accurate', { crops: true });
  const [face] = faces.sort((a, b) => b.box.width - a.box.width);
  assert.ok(face, 'a face is found');
  return face;
}

describe('the face model file', () => {
  it('is the default embedder, and the file we ship is the one expected', () => {
    assert.equal(context.embedder.name, 'arcface');
    assert.equal(readArcfaceModel().byteLength, 4_884_269);
  });

  it('refuses a missing or damaged file with its path and the sha256 expected', async () => {
    const missing = path.join(runtime.tempDir, 'nowhere.onnx');
    assert.throws(() => readArcfaceModel(missing), (error: unknown) => error instanceof ModelFileError && error.message.includes(missing) && error.message.includes('is missing') && error.message.includes(ARCFACE_MODEL_SHA256));
    const damaged = path.join(runtime.tempDir, 'damaged.onnx');
    await copyFile(ARCFACE_MODEL_FILE, damaged);
    const bytes = await readFile(damaged);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    await writeFile(damaged, bytes);
    assert.throws(() => readArcfaceModel(damaged), (error: unknown) => error instanceof ModelFileError && error.message.includes(damaged) && error.message.includes('damaged') && error.message.includes(ARCFACE_MODEL_SHA256));
  });

  it('stops the program at start-up, before any photo, when the file is damaged', async () => {
    const damaged = path.join(runtime.tempDir, 'truncated.onnx');
    await writeFile(damaged, (await readFile(ARCFACE_MODEL_FILE)).subarray(0, 1000));
    const config = loadConfig(testEnvironment({ IDOLENS_ARCFACE_MODEL: damaged }), { dataDir: path.join(runtime.tempDir, 'data-damaged') });
    await assert.rejects(openRuntime(config, createLogger('silent')), (error: unknown) => error instanceof ModelFileError && error.message.includes(damaged));
    const run = await runCliWithEnvironment(testEnvironment({ IDOLENS_ARCFACE_MODEL: damaged }), ['--data', path.join(runtime.tempDir, 'data-cli'), 'group', 'list']);
    assertExit(run, 1);
    assert.match(run.stderr, /^idolens: The face model .*truncated\.onnx is damaged or not the expected file .*sha256 87aacdfe/m);
    assert.doesNotMatch(run.stderr, /at .*\(.*\.ts:\d+/, 'no stack trace for a broken install');
  });
});

describe('ArcFace descriptors on real photos', () => {
  it('describe a turned and shrunk copy of a photo as the same face', async () => {
    for (const member of BLACKPINK) {
      const bytes = await readFile(blackpinkPhoto(member, 0));
      const width = (await sharp(bytes).metadata()).width ?? 600;
      const turned = await sharp(bytes).rotate(15, { background: '#808080' }).resize(Math.round(width * 0.6)).jpeg({ quality: 90 }).toBuffer();
      const cosine = dot((await largestFace(bytes)).descriptor, (await largestFace(turned)).descriptor);
      assert.ok(cosine > 0.85, `${member}: cosine ${cosine.toFixed(3)} between the photo and its turned copy`);
    }
  });

  it('describe a face again from its stored crop (JPEG) as it was described from the photo', async () => {
    const face = await largestFace(await readFile(blackpinkPhoto('rose', 0)));
    const crop = face.crop;
    assert.ok(crop, 'the crop is cut when asked for');
    const jpeg = await sharp(Buffer.from(crop.rgb), { raw: { width: crop.size, height: crop.size, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
    const decoded = await sharp(jpeg).raw().toBuffer();
    const [again] = await (await context.faces()).embedCrops([{ rgb: new Uint8Array(decoded), size: crop.size, landmarks: crop.landmarks }]);
    assert.ok(again);
    const cosine = dot(face.descriptor, again);
    assert.ok(cosine > 0.9, `cosine ${cosine.toFixed(3)}`);
  });
});

describe('the ONNX runtimes', () => {
  it('give the same descriptor natively and in WebAssembly (the fallback where the native binary cannot load)', async () => {
    const native = selectOnnxRuntime('auto');
    assert.equal(native.name, 'native', `onnxruntime-node loads here: ${native.notes.join('; ')}`);
    const wasm = selectOnnxRuntime('wasm');
    assert.equal(wasm.name, 'wasm');
    const chip = new Float32Array(ARCFACE_CHIP_SIZE * ARCFACE_CHIP_SIZE * 3).map((_, index) => (index * 37) % 256);
    const [fromNative] = await (await arcfaceEmbedder(native)).describe([chip]);
    const [fromWasm] = await (await arcfaceEmbedder(wasm)).describe([chip]);
    assert.ok(fromNative && fromWasm);
    assert.equal(fromNative.length, 512);
    assert.ok(dot(fromNative, fromWasm) > 0.9999, `cosine ${dot(fromNative, fromWasm)}`);
  });
});
