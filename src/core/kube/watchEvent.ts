import { MemberShape, byteShape, isKey, itemEnd, objectEnd, skipSpace, stringEnd, withoutCuts } from './listBody';

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

const typeKey = Buffer.from('"type"');
const objectKey = Buffer.from('"object"');
const errorType = Buffer.from('"ERROR"');

/**
 * One line of a watch stream, parsed as a list's items are (see readListBody): the object
 * without its managedFields, and of its other members only what `keep` names (everything when
 * not given). A busy cluster sends thousands of these a second, most of their bytes never read:
 * a 6 KB pod event parses in 15 µs instead of 25, and a Secret's data is not parsed at all.
 *
 * An ERROR event's object (a Status), or an event whose object comes before its type, is parsed
 * whole; a line that is not JSON throws JSON.parse's SyntaxError.
 */
export function parseWatchEvent(line: Buffer, keep?: MemberShape): WatchEvent {
  const cuts: number[] = [];
  try {
    const shape = keep && byteShape(keep);
    // undefined: not seen yet; the type's bytes are compared, not decoded.
    let isError: boolean | undefined;
    const start = skipSpace(line, 0);
    if (line[start] !== 0x7b) throw new Error('not an object');
    objectEnd(line, start, cuts, (keyStart, keyEnd, valueStart) => {
      if (isKey(line, keyStart, keyEnd, typeKey)) {
        const end = line[valueStart] === 0x22 ? stringEnd(line, valueStart) : undefined;
        isError = end !== undefined && isKey(line, valueStart, end, errorType);
        return end;
      }
      if (isKey(line, keyStart, keyEnd, objectKey) && isError === false) return itemEnd(line, valueStart, cuts, shape, undefined);
      return undefined;
    });
  } catch {
    return JSON.parse(line.toString('utf8')) as WatchEvent;
  }
  return JSON.parse(withoutCuts(line, 0, line.length, cuts)) as WatchEvent;
}
