// The backup file format: Strapi's export (a .tar.gz) sealed with AES-256-GCM, so a backup that was changed or
// damaged after it was written is refused before anything reaches the database. Strapi's own encryption
// (aes-128-ecb, no integrity) is kept only to read backups made before this format (see decryptLegacy).
//
// Layout, version 1 (all of the header is authenticated as GCM's additional data):
//   "AGENCYBK" (8 bytes) · version (1 byte) · scrypt salt (16) · key check (16) · GCM nonce (12)
//   · ciphertext (the .tar.gz) · GCM tag (16)
// The 256-bit key is scrypt(secret, salt) with a fresh salt per backup; scrypt's next 16 bytes are stored as the
// key check, so a wrong key is told apart from a damaged file. The tag is at the end so both ways stream: the
// restore decrypts into a private temporary file and uses it only once the tag has been verified.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ConfigError } from '../common/errors.ts';

const MAGIC = Buffer.from('AGENCYBK', 'ascii');
const VERSION = 1;
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + SALT_BYTES + CHECK_BYTES + NONCE_BYTES;
// scrypt's cost for version 1: 32 MiB and about 0.1 s per backup, which makes guessing a weak key file slow.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A backup whose bytes are not the ones that were written: changed, truncated or damaged. Nothing was restored. */
export class BackupIntegrityError extends Error {
  override name = 'BackupIntegrityError';
}

export type BackupFormat = 'aes-256-gcm' | 'strapi-aes-128-ecb';

function deriveKeys(secret: string, salt: Buffer): Promise<{ key: Buffer; check: Buffer }> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, 32 + CHECK_BYTES, SCRYPT, (error, derived) =>
      error ? reject(error) : resolve({ key: derived.subarray(0, 32), check: derived.subarray(32) }),
    ),
  );
}

/** Seals the plain export `plainFile` into `targetFile` (created, never overwritten). */
export async function encryptBackup(plainFile: string, targetFile: string, secret: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const { key, check } = await deriveKeys(secret, salt);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, check, nonce]);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(header);
  // The header first, then the ciphertext, then the tag, which only exists once the cipher has seen everything.
  const seal = new Transform({
    transform: (chunk: Buffer, _encoding, done) => done(null, cipher.update(chunk)),
    flush: (done) => done(null, Buffer.concat([cipher.final(), cipher.getAuthTag()])),
  });
  seal.push(header);
  await pipeline(createReadStream(plainFile), seal, createWriteStream(targetFile, { flags: 'wx', mode: 0o600 }));
}

/** Which format `file` is in: this format by its first bytes, Strapi's own by its name; null when neither. */
export async function backupFormatOf(file: string): Promise<BackupFormat | null> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAGIC.length), 0, MAGIC.length, 0);
    if (bytesRead === MAGIC.length && buffer.equals(MAGIC)) return 'aes-256-gcm';
  } finally {
    await handle.close();
  }
  return file.endsWith('.tar.gz.enc') ? 'strapi-aes-128-ecb' : null;
}

/**
 * Decrypts a backup in this format into `plainFile` and verifies it. Throws ConfigError for a wrong key and
 * BackupIntegrityError for a changed or damaged file; either way `plainFile` must then be thrown away unused.
 */
export async function decryptBackup(file: string, plainFile: string, secret: string): Promise<void> {
  const { size } = await stat(file);
  if (size < HEADER_BYTES + TAG_BYTES)
    throw new BackupIntegrityError(`${file} is truncated: ${size} bytes, shorter than an empty backup. Nothing was restored.`);
  const handle = await open(file, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const version = header[MAGIC.length];
  if (version !== VERSION)
    throw new ConfigError(
      `${file} is a backup of format version ${version}; this checkout reads version ${VERSION}: restore it with a newer one.`,
    );
  let offset = MAGIC.length + 1;
  const take = (bytes: number) => header.subarray(offset, (offset += bytes));
  const salt = take(SALT_BYTES);
  const storedCheck = take(CHECK_BYTES);
  const nonce = take(NONCE_BYTES);
  const { key, check } = await deriveKeys(secret, salt);
  if (!timingSafeEqual(check, storedCheck))
    throw new ConfigError(
      `the key in BACKUP_KEY_FILE is not the one ${file} was made with (or the backup's header is damaged). Nothing was restored.`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, nonce).setAAD(header).setAuthTag(tag);
  try {
    // `end` is inclusive: everything between the header and the tag.
    await pipeline(
      createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }),
      decipher,
      createWriteStream(plainFile, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    if (error instanceof Error && /unable to authenticate/i.test(error.message))
      throw new BackupIntegrityError(
        `${file} was changed or damaged after it was written: its authentication tag does not match its contents. ` +
          'Nothing was restored and the database is unchanged; restore another copy of this backup, or an older one.',
      );
    throw error;
  }
}

/**
 * Decrypts a backup made by Strapi's own encryption (`strapi export --key`, before this format) into `plainFile`.
 * aes-128-ecb carries no integrity, so the most that can be checked is that the result is whole gzip data (its
 * CRC): an accidental corruption is caught, a deliberate change is not. The caller warns about that.
 */
export async function decryptLegacy(file: string, plainFile: string, secret: string): Promise<void> {
  // Strapi's derivation, word for word (@strapi/data-transfer, utils/encryption): scrypt with an empty salt, no IV.
  const decipher = createDecipheriv('aes-128-ecb', scryptSync(secret, '', 16), null);
  try {
    await pipeline(createReadStream(file), decipher, createWriteStream(plainFile, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof Error && /bad decrypt|wrong final block/i.test(error.message))
      throw new ConfigError(
        `the key in BACKUP_KEY_FILE is not the one ${file} was made with (an older backup: its BACKUP_ENCRYPTION_KEY). Nothing was restored.`,
      );
    throw error;
  }
  try {
    // Read to the end and thrown away: gunzip checks the CRC and length at the end of the data.
    await pipeline(createReadStream(plainFile), createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }));
  } catch {
    throw new BackupIntegrityError(
      `${file} decrypts to damaged data (its gzip check fails): the file was changed or damaged. Nothing was restored.`,
    );
  }
}
