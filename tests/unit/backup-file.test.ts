// The backup file format (scripts/ops/backup-file.ts) on real files: what is sealed opens unchanged with its key,
// and a wrong key, a flipped byte anywhere (header, contents, tag) or a cut-off file is refused with a message.
// The whole restore (Strapi's export and import, the snapshot, an older Strapi-encrypted backup) is run in
// tests/integration/operations.test.ts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../scripts/common/errors.ts';
import { BackupIntegrityError, backupFormatOf, decryptBackup, decryptLegacy, encryptBackup } from '../../scripts/ops/backup-file.ts';

const KEY = 'a-backup-key-for-the-test-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'agency-backup-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
const fresh = (name: string) => path.join(dir, `${++count}-${name}`);

// More than one stream chunk (64 KiB), so the tag is checked over a streamed body.
const plain = fresh('export.tar.gz');
const content = randomBytes(300_000);
writeFileSync(plain, content);
const sealed = fresh('backup.tar.gz.gcm');
await encryptBackup(plain, sealed, KEY);
const sealedBytes = readFileSync(sealed);

function tampered(position: number): string {
  const copy = Buffer.from(sealedBytes);
  copy[position]! ^= 0x01;
  const file = fresh('tampered.tar.gz.gcm');
  writeFileSync(file, copy);
  return file;
}

describe('an AES-256-GCM backup', () => {
  it('opens with its key, byte for byte, and is recognised by its header', async () => {
    expect(sealedBytes.subarray(0, 9).toString('latin1')).toBe('AGENCYBK\x01');
    expect(sealedBytes.length).toBe(content.length + 53 + 16);
    expect(sealedBytes.includes(content.subarray(0, 64))).toBe(false);
    expect(await backupFormatOf(sealed)).toBe('aes-256-gcm');
    const out = fresh('out.tar.gz');
    await decryptBackup(sealed, out, KEY);
    expect(readFileSync(out).equals(content)).toBe(true);
  });

  it('is sealed with a fresh salt and nonce each time', async () => {
    const again = fresh('again.tar.gz.gcm');
    await encryptBackup(plain, again, KEY);
    expect(readFileSync(again).subarray(9, 53).equals(sealedBytes.subarray(9, 53))).toBe(false);
  });

  it('refuses a wrong key, saying so', async () => {
    const attempt = decryptBackup(sealed, fresh('out'), 'not-the-key-0123456789');
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/the key in BACKUP_KEY_FILE is not the one .* was made with .* Nothing was restored\./);
  });

  for (const [where, position] of [
    ['its contents', 53 + 150_000],
    ['its last content byte', sealedBytes.length - 17],
    ['its tag', sealedBytes.length - 1],
    ['its nonce (authenticated header)', 50],
  ] as const) {
    it(`refuses a flipped bit in ${where}`, async () => {
      const attempt = decryptBackup(tampered(position), fresh('out'), KEY);
      await expect(attempt).rejects.toBeInstanceOf(BackupIntegrityError);
      await expect(attempt).rejects.toThrow(
        /was changed or damaged after it was written: its authentication tag does not match its contents\. Nothing was restored and the database is unchanged/,
      );
    });
  }

  it('refuses a flipped bit in its key check as a key that does not fit (never as a valid backup)', async () => {
    await expect(decryptBackup(tampered(30), fresh('out'), KEY)).rejects.toThrow(
      /is not the one .* was made with \(or the backup's header is damaged\)/,
    );
  });

  it('refuses a cut-off file', async () => {
    const cut = fresh('cut.tar.gz.gcm');
    writeFileSync(cut, sealedBytes);
    truncateSync(cut, sealedBytes.length - 1000);
    await expect(decryptBackup(cut, fresh('out'), KEY)).rejects.toBeInstanceOf(BackupIntegrityError);
    truncateSync(cut, 40);
    await expect(decryptBackup(cut, fresh('out'), KEY)).rejects.toThrow(/is truncated: 40 bytes, shorter than an empty backup/);
  });

  it('refuses a version it does not know', async () => {
    await expect(decryptBackup(tampered(8), fresh('out'), KEY)).rejects.toThrow(/format version 0; this checkout reads version 1/);
  });
});

describe('an older backup (Strapi’s aes-128-ecb, *.tar.gz.enc)', () => {
  it('is recognised by its name only; anything else is not a backup', async () => {
    const legacy = fresh('old.tar.gz.enc');
    writeFileSync(legacy, randomBytes(64));
    expect(await backupFormatOf(legacy)).toBe('strapi-aes-128-ecb');
    const other = fresh('notes.txt');
    writeFileSync(other, 'hello');
    expect(await backupFormatOf(other)).toBeNull();
  });

  it('refuses data that is not gzip once decrypted, and a wrong key', async () => {
    // Random bytes: a wrong key (bad padding) or, when the padding happens to fit, not gzip.
    const legacy = fresh('old.tar.gz.enc');
    writeFileSync(legacy, randomBytes(4096));
    await expect(decryptLegacy(legacy, fresh('out'), KEY)).rejects.toThrow(/is not the one .* was made with|decrypts to damaged data/);
  });
});
