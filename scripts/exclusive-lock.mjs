// @ts-check
/**
 * A lock file that one process at a time holds, across processes, with no dependency: the
 * bootstrap runs before anything is installed. `npm run start:api & npm run start:worker` must do
 * one install and one build in the shared folder, not two at once.
 *
 * The lock is a file holding its owner's pid, created complete and atomically: a draft is written,
 * then hard-linked to the lock's name, which fails when the name exists. So a waiter never reads a
 * half-written lock, and there is no window between "created" and "owner recorded".
 *
 * An owner killed with SIGKILL (or a crashed machine) leaves its lock behind: a waiter that finds
 * the owner's pid dead takes the lock over. Known limit: a dead owner's pid reused by an unrelated
 * live process looks alive, and waiters keep waiting; their message names the file to remove.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A break file older than this belongs to a waiter that died while breaking (it takes ms). */
const BREAK_GRACE_MS = 10_000;

/** Locks this process holds, so that a lock naming our own pid is told apart from a leftover. */
const held = new Set();

/**
 * Waits until the lock at `path` is ours. `onWait` is called once, with the owner's pid, if the
 * lock is held by another live process; then it is polled every `pollMs`.
 * @param {string} path
 * @param {{ pollMs?: number, onWait?: (ownerPid: number) => void }} [options]
 * @returns {Promise<() => void>} releases the lock; safe to call more than once
 */
export async function acquireLock(path, options = {}) {
  const lockPath = resolve(path);
  const { pollMs = 200, onWait = () => {} } = options;
  let told = false;
  for (;;) {
    if (tryCreate(lockPath)) {
      held.add(lockPath);
      return () => release(lockPath);
    }
    const owner = readOwner(lockPath);
    // Released between our attempt and the read: try again at once.
    if (owner === undefined) continue;
    if (!isAlive(owner, lockPath)) {
      if (breakIfStale(lockPath)) continue;
    } else if (!told) {
      told = true;
      onWait(owner);
    }
    await sleep(pollMs);
  }
}

/**
 * Releases the lock when the process ends: normally, on an uncaught error (both emit 'exit'), or
 * on SIGINT, SIGTERM or SIGHUP, after which the signal is raised again so that the exit status
 * still says what stopped the process.
 * @param {() => void} release
 */
export function releaseOnExit(release) {
  process.once('exit', release);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.once(signal, () => {
      release();
      process.kill(process.pid, signal);
    });
  }
}

/** @param {string} lockPath */
function tryCreate(lockPath) {
  const draft = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    linkSync(draft, lockPath);
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * The owner's pid, 0 for a lock file that names none (it was not made by this module: stale), or
 * undefined when there is no lock.
 * @param {string} lockPath
 * @returns {number | undefined}
 */
function readOwner(lockPath) {
  let text;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 0;
}

/** @param {number} pid @param {string} lockPath */
function isAlive(pid, lockPath) {
  if (pid === 0) return false;
  // Our own pid on a lock we do not hold: left by an earlier process that had our pid, as happens
  // when a container restarts and numbers its processes the same way.
  if (pid === process.pid) return held.has(lockPath);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return !hasCode(error, 'ESRCH');
  }
}

/**
 * Removes a stale lock, if it still is one. Two waiters may find the same dead owner: reading the
 * owner and removing the file must not interleave, or the second could remove the lock the first
 * has just created. A break file, created exclusively, serializes the breakers; while it is held
 * the lock can only change if its owner releases it, and a dead owner does not.
 * @param {string} lockPath
 * @returns {boolean} whether the lock may now be free
 */
function breakIfStale(lockPath) {
  const breakPath = `${lockPath}.break`;
  try {
    writeFileSync(breakPath, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
    if (ageMs(breakPath) > BREAK_GRACE_MS) rmSync(breakPath, { force: true });
    return false;
  }
  try {
    const owner = readOwner(lockPath);
    if (owner !== undefined && !isAlive(owner, lockPath)) rmSync(lockPath, { force: true });
    return true;
  } finally {
    rmSync(breakPath, { force: true });
  }
}

/** @param {string} lockPath */
function release(lockPath) {
  if (!held.delete(lockPath)) return;
  // Only ever our own: a live owner's lock is never broken, so it still names us.
  if (readOwner(lockPath) === process.pid) rmSync(lockPath, { force: true });
}

/** @param {string} path */
function ageMs(path) {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** @param {unknown} error @param {string} code */
function hasCode(error, code) {
  return error instanceof Error && 'code' in error && error.code === code;
}
