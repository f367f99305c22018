import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npyValues, parseNpy } from '../../../../src-main/core/datasets/npy-reader';
import { npyHeader, NpyWriter, writeNpy } from '../../../../src-main/core/datasets/npy-writer';
import { temporaryFolder } from './dataset-fixtures';

const python = '/usr/bin/python3';

/** True when Debian's python3 can import numpy; else prints why the numpy check is skipped. */
function numpyAvailable(): boolean {
  const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  console.log(
    `numpy check skipped: ${python} cannot import numpy (${(probe.stderr || probe.error?.message || '').trim()})`,
  );
  return false;
}

describe('.npy writer', () => {
  it('writes the magic, version 1.0 and a header dict padded to 64-byte alignment', () => {
    const header = npyHeader('float32', [60000, 28, 28, 1]);
    expect(Array.from(header.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect(header.length % 64).toBe(0);
    const length = new DataView(header.buffer).getUint16(8, true);
    expect(length).toBe(header.length - 10);
    const text = Buffer.from(header.subarray(10)).toString('latin1');
    expect(text).toMatch(
      /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(60000, 28, 28, 1\), \} *\n$/,
    );
    expect(Buffer.from(npyHeader('int64', [3])).toString('latin1')).toContain("'shape': (3,)");
    expect(Buffer.from(npyHeader('uint8', [0, 2])).toString('latin1')).toContain("'descr': '|u1'");
  });

  it('round-trips every dtype through its own reader', async () => {
    const folder = temporaryFolder();
    const floats = Float32Array.from([0, 0.1, 1 / 3, 1, 1e-7, 0.999]);
    await writeNpy(join(folder, 'f.npy'), 'float32', [2, 3], floats);
    const f = parseNpy(readFileSync(join(folder, 'f.npy')));
    expect(f).toMatchObject({ dtype: 'float32', shape: [2, 3], dataOffset: 128 });
    expect(npyValues(f)).toEqual(Array.from(floats));

    await writeNpy(join(folder, 'l.npy'), 'int64', [3], Int32Array.from([0, 9, -2]));
    const l = parseNpy(readFileSync(join(folder, 'l.npy')));
    expect(l.dtype).toBe('int64');
    expect(Array.from(l.data as BigInt64Array)).toEqual([0n, 9n, -2n]);
    expect(npyValues(l)).toEqual([0, 9, -2]);

    await writeNpy(join(folder, 'i.npy'), 'int32', [2], Int32Array.from([7, -7]));
    expect(npyValues(parseNpy(readFileSync(join(folder, 'i.npy'))))).toEqual([7, -7]);
  });

  it('writes in pieces and refuses a wrong element count or an existing file', async () => {
    const folder = temporaryFolder();
    const writer = await NpyWriter.create(join(folder, 'u.npy'), 'uint8', [2, 2]);
    await writer.write(Uint8Array.from([1, 2]));
    await writer.write(Uint8Array.from([3, 4]));
    await writer.close();
    expect(npyValues(parseNpy(readFileSync(join(folder, 'u.npy'))))).toEqual([1, 2, 3, 4]);
    await expect(NpyWriter.create(join(folder, 'u.npy'), 'uint8', [1])).rejects.toThrow(/EEXIST/);
    const short = await NpyWriter.create(join(folder, 'short.npy'), 'uint8', [3]);
    await short.write(Uint8Array.from([1]));
    await expect(short.close()).rejects.toThrow('wrote 1 values, its shape needs 3');
    await expect(
      writeNpy(join(folder, 'bad.npy'), 'float32', [1], Uint8Array.from([1])),
    ).rejects.toThrow('cannot write Uint8Array values as float32');
  });

  it('refuses files that are not .npy or are cut short', () => {
    expect(() => parseNpy(Buffer.from('PK\u0003\u0004 not npy'))).toThrow('not an .npy file');
    const header = npyHeader('float32', [4]);
    const bytes = Buffer.concat([header, Buffer.alloc(12)]);
    expect(() => parseNpy(bytes)).toThrow('.npy data is 12 bytes but shape (4) of <f4 needs 16');
  });

  it('is read by numpy itself as the same values', async (context) => {
    if (!numpyAvailable()) {
      context.skip();
      return;
    }
    const folder = temporaryFolder();
    await writeNpy(
      join(folder, 'f.npy'),
      'float32',
      [2, 1, 2, 1],
      Float32Array.from([0.5, 0.25, 1e-7, 1]),
    );
    await writeNpy(join(folder, 'u.npy'), 'uint8', [3], Uint8Array.from([0, 128, 255]));
    await writeNpy(join(folder, 'l.npy'), 'int64', [2], Int32Array.from([9, 3]));
    const script = [
      'import numpy as np, sys, json',
      'd = sys.argv[1]',
      'f = np.load(d + "/f.npy"); u = np.load(d + "/u.npy"); l = np.load(d + "/l.npy")',
      'print(json.dumps({"f": [str(f.dtype), list(f.shape), f.ravel().tolist()], "u": [str(u.dtype), u.tolist()], "l": [str(l.dtype), l.tolist()]}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, folder], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      f: ['float32', [2, 1, 2, 1], [0.5, 0.25, Math.fround(1e-7), 1]],
      u: ['uint8', [0, 128, 255]],
      l: ['int64', [9, 3]],
    });
    // numpy's own header for the same array is byte for byte ours.
    const save = spawnSync(
      python,
      [
        '-c',
        'import numpy as np, sys; np.save(sys.argv[1], np.zeros((0, 28, 28, 1), dtype="<f4"))',
        join(folder, 'numpy.npy'),
      ],
      { encoding: 'utf8' },
    );
    expect(save.status).toBe(0);
    const theirs = readFileSync(join(folder, 'numpy.npy'));
    expect(Buffer.from(npyHeader('float32', [0, 28, 28, 1]))).toEqual(theirs.subarray(0, 128));
  });
});
